using System.Diagnostics;
using System.Text.Json;
using SamplerTune.Coordinator.Tests.Support;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Cli;

[Collection(SamplerTune.Coordinator.Tests.Support.MultiProcessTests.Name)]
public class SampleKillTests
{
    /// <summary>
    /// Issue 4: a killed 'sample' process leaves a usable provisional score, and the same command resumes from the
    /// checkpoint (the wall-clock budget counts the time before the kill) instead of starting over.
    /// </summary>
    [Fact]
    public void KilledRunLeavesProvisionalMetricsAndTheSameCommandResumes()
    {
        var exp = CliProcess.TempDirectory();
        var problem = ExactReference.GaussianMean(exp);
        string[] args = ["--experiments", exp, "sample", problem.Pid, "--method", "mala", "--budget-sec", "6", "--checkpoint-sec", "1", "--json"];

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "samplertune.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("SAMPLERTUNE_EXPERIMENTS");
        using (var process = Process.Start(psi)!)
        {
            var runs = Path.Combine(exp, "runs");
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (PartialMetrics(runs) is null && DateTime.UtcNow < deadline && !process.HasExited) Thread.Sleep(50);
            if (process.HasExited) Assert.Fail("the run ended before it was killed: " + process.StandardError.ReadToEnd());
            Assert.NotNull(PartialMetrics(runs));
            process.Kill(); // SIGKILL: no chance to clean up
            process.WaitForExit();
        }

        var partialPath = PartialMetrics(Path.Combine(exp, "runs"))!;
        var runDir = Path.GetDirectoryName(partialPath)!;
        var partial = JsonDocument.Parse(File.ReadAllText(partialPath)).RootElement;
        Assert.True(double.IsFinite(partial.GetProperty("objective").GetDouble()));
        Assert.True(partial.GetProperty("provisional").GetBoolean());
        Assert.False(File.Exists(Path.Combine(runDir, "metrics.json")));
        var checkpoint = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "checkpoint.json"))).RootElement;
        long checkpointEvals = checkpoint.GetProperty("grad_evals").GetInt64();
        double spent = checkpoint.GetProperty("elapsed_sec").GetDouble();

        var rerun = CliProcess.RunIn(Environment.CurrentDirectory, args);
        Assert.True(rerun.ExitCode == 0, rerun.Stderr);
        var metrics = JsonDocument.Parse(rerun.Stdout).RootElement;
        Assert.Equal(Path.GetFileName(runDir), metrics.GetProperty("rid").GetString());
        Assert.Equal(checkpointEvals, metrics.GetProperty("resumed_from").GetInt64());
        Assert.True(metrics.GetProperty("grad_evals").GetInt64() > checkpointEvals);
        Assert.Equal("budget_exhausted", metrics.GetProperty("status").GetString());
        double runtime = metrics.GetProperty("runtime_sec").GetDouble();
        Assert.True(runtime is >= 6 and < 7.5, $"runtime {runtime} s should be the 6 s budget over both sessions ({spent} s before the kill)");
        Assert.True(double.IsFinite(metrics.GetProperty("objective").GetDouble()));
        Assert.Contains("resumed", File.ReadAllText(Path.Combine(runDir, "log.txt")));
    }

    private static string? PartialMetrics(string runs) =>
        Directory.Exists(runs) ? Directory.GetFiles(runs, "metrics.partial.json", SearchOption.AllDirectories).FirstOrDefault() : null;
}
