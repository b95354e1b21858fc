using System.Text.Json;
using SamplerTune.Coordinator.Tests.Support;
using SamplerTune.Samplers.Problems;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Cli;

public class SampleCommandTests
{
    [Fact]
    public void UserErrorsAreOneLineWithExitCodeTwo()
    {
        var exp = CliProcess.TempDirectory();
        var missingProblem = CliProcess.Run(exp, "sample", "nosuchpid", "--method", "mala");
        Assert.Equal(2, missingProblem.ExitCode);
        Assert.Contains("problem 'nosuchpid' not found", missingProblem.Stderr);

        var spec = ProblemSpec.Create("gaussian_mean", new Dictionary<string, string>(), null, "test");
        var (problem, _) = new ProblemStore(Path.Combine(exp, "problems")).Add(spec, null);
        var unknownMethod = CliProcess.Run(exp, "sample", problem.Pid, "--method", "nosuchmethod");
        Assert.Equal(2, unknownMethod.ExitCode);
        Assert.Contains("unknown method", unknownMethod.Stderr);
        Assert.Contains("allowed:", unknownMethod.Stderr);
        Assert.Single(unknownMethod.Stderr.Trim().Split('\n'));

        var noReference = CliProcess.Run(exp, "sample", problem.Pid, "--method", "mala");
        Assert.Equal(2, noReference.ExitCode);
        Assert.Contains($"run 'samplertune reference {problem.Pid}' first", noReference.Stderr);

        ExactReference.Write(problem);
        var unknownParam = CliProcess.Run(exp, "sample", problem.Pid, "--method", "mala", "--param", "nosuch=1");
        Assert.Equal(2, unknownParam.ExitCode);
        Assert.Contains("not a hyperparameter of mala (allowed:", unknownParam.Stderr);
        var outside = CliProcess.Run(exp, "sample", problem.Pid, "--method", "mala", "--param", "step_size=-1");
        Assert.Equal(2, outside.ExitCode);
        Assert.Contains("step_size must be", outside.Stderr);
        var repeated = CliProcess.Run(exp, "sample", problem.Pid, "--method", "mala", "--param", "step_size=0.1", "--param", "step_size=0.2");
        Assert.Equal(2, repeated.ExitCode);
        Assert.Contains("--param step_size: given twice (step_size=0.1 and step_size=0.2)", repeated.Stderr);
        var badBudget = CliProcess.Run(exp, "sample", problem.Pid, "--method", "mala", "--budget-sec", "0");
        Assert.Equal(2, badBudget.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(exp, "runs")), "no run folder for a refused command");
    }

    [Fact]
    public void SampleWritesTheRunAndTheSameCommandReusesIt()
    {
        var exp = CliProcess.TempDirectory();
        var problem = ExactReference.GaussianMean(exp);
        string[] args = ["sample", problem.Pid, "--method", "mala", "--budget-grad-evals", "20000", "--seed", "3", "--json"];
        var first = CliProcess.Run(exp, args);
        Assert.True(first.ExitCode == 0, first.Stderr);
        var metrics = JsonDocument.Parse(first.Stdout).RootElement;
        string rid = metrics.GetProperty("rid").GetString()!;
        Assert.Equal("budget_exhausted", metrics.GetProperty("status").GetString());
        Assert.True(metrics.GetProperty("objective").GetDouble() < 0.5, first.Stdout);
        var runDir = Path.Combine(exp, "runs", rid);
        foreach (var f in new[] { "manifest.json", "metrics.json", "artifacts/samples.h5", "log.txt" })
            Assert.True(File.Exists(Path.Combine(runDir, f)), $"missing {f}");

        var written = File.GetLastWriteTimeUtc(Path.Combine(runDir, "metrics.json"));
        var table = CliProcess.Run(exp, args[..^1]);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains($"rid {rid}", table.Stdout);
        Assert.Contains("reused", table.Stdout);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(runDir, "metrics.json")));
    }
}
