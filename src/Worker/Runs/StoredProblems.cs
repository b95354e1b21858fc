using System.Collections.Concurrent;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Worker.Runs;

/// <summary>
/// One parsed <see cref="StoredProblem"/> per (problems folder, pid) per process: reading spec.yaml parses YAML and
/// re-derives the pid, which costs far more than a short run. The key includes spec.yaml's write time, so an edited
/// spec is read (and refused by <see cref="ProblemStore"/>) again. StoredProblem is immutable, so concurrent runs share it.
/// </summary>
public static class StoredProblems
{
    private static readonly ConcurrentDictionary<(string, string, DateTime), Lazy<StoredProblem>> Cache = new();

    public static StoredProblem Get(string problemsDirectory, string pid)
    {
        var root = Path.GetFullPath(problemsDirectory);
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(root, pid, ProblemStore.SpecFileName));
        var entry = Cache.GetOrAdd((root, pid, stamp), _ => new Lazy<StoredProblem>(() => new ProblemStore(root).Get(pid)));
        try { return entry.Value; }
        catch
        {
            Cache.TryRemove(new KeyValuePair<(string, string, DateTime), Lazy<StoredProblem>>((root, pid, stamp), entry)); // a missing or bad spec is read again next time
            throw;
        }
    }
}
