using SamplerTune.Samplers.Problems;

namespace SamplerTune.Worker.Runs;

/// <summary>
/// One parsed <see cref="StoredProblem"/> per (problems folder, pid) per process: reading spec.yaml parses YAML and
/// re-derives the pid, which costs far more than a short run. Keyed by spec.yaml's write time, so an edited spec is
/// read (and refused by <see cref="ProblemStore"/>) again. StoredProblem is immutable, so concurrent runs share it.
/// </summary>
public static class StoredProblems
{
    private static readonly FileStampedCache<(string, string), StoredProblem> Cache = new();

    public static StoredProblem Get(string problemsDirectory, string pid)
    {
        var root = Path.GetFullPath(problemsDirectory);
        return Cache.Get((root, pid), Path.Combine(root, pid, ProblemStore.SpecFileName), () => new ProblemStore(root).Get(pid));
    }
}
