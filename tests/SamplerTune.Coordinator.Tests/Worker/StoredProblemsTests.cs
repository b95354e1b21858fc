using SamplerTune.Samplers.Problems;
using SamplerTune.Worker.Runs;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Worker;

public class StoredProblemsTests
{
    private static (string Root, StoredProblem Problem) Stored()
    {
        var root = Path.Combine(Path.GetTempPath(), "samplertune-tests", "stored-problems-" + Guid.NewGuid().ToString("N")[..8]);
        var spec = ProblemSpec.Create("gaussian_mean", new Dictionary<string, string> { ["d"] = "2" }, null, "test");
        return (root, new ProblemStore(root).Add(spec, null).Problem);
    }

    [Fact]
    public void ASpecIsParsedOncePerProcess()
    {
        var (root, problem) = Stored();
        var first = StoredProblems.Get(root, problem.Pid);
        Assert.Equal(problem.Pid, first.Pid);
        Assert.Same(first, StoredProblems.Get(root, problem.Pid));
    }

    [Fact]
    public void AnEditedSpecIsReadAgainAndRefused()
    {
        var (root, problem) = Stored();
        StoredProblems.Get(root, problem.Pid);
        var path = Path.Combine(problem.Directory, ProblemStore.SpecFileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace("d: 2", "d: 3"));
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1)); // a later write time, whatever the file system's resolution
        Assert.Throws<SpecError>(() => StoredProblems.Get(root, problem.Pid));
    }

    [Fact]
    public void AMissingProblemIsNotRememberedAsMissing()
    {
        var (root, problem) = Stored();
        Assert.Throws<SpecError>(() => StoredProblems.Get(root, "nosuchpid0"));
        Assert.Equal(problem.Pid, StoredProblems.Get(root, problem.Pid).Pid);
    }
}
