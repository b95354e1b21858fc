using System.Diagnostics;
using SamplerTune.Coordinator.Tests.Support;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Reference;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Cli;

/// <summary>
/// `samplertune reference` killed with SIGKILL at random moments and rerun resumes from its chain
/// checkpoints, and ends with exactly the draws of an uninterrupted run.
/// </summary>
[Collection(SamplerTune.Coordinator.Tests.Support.MultiProcessTests.Name)]
public class ReferenceKillTests
{
    [Fact]
    public void SigkilledReferenceResumesAndEqualsAnUninterruptedRun()
    {
        string[] args = ["reference", "all", "--nuts", "--min-ess", "6000", "--checkpoint-sec", "0.2"];
        var straight = CliProcess.TempDirectory();
        Assert.Equal(0, CliProcess.Run(straight, "problems", "add", "--family", "probit_cauchy", "--set", "n=400").ExitCode);
        var full = CliProcess.Run(straight, args);
        Assert.True(full.ExitCode == 0, full.Stderr);

        var killed = CliProcess.TempDirectory();
        Assert.Equal(0, CliProcess.Run(killed, "problems", "add", "--family", "probit_cauchy", "--set", "n=400").ExitCode);
        var problem = new ProblemStore(Path.Combine(killed, "problems")).Scan().Single().Problem!;
        var chains = Path.Combine(problem.GroundTruthDirectory, "chains");
        var random = new Random(20261203);
        int resumedRuns = 0;
        for (int kill = 0; kill < 3; kill++)
        {
            using var process = CliProcess.Start(killed, args);
            // Wait for a checkpoint, then a random extra moment, then SIGKILL.
            var deadline = Stopwatch.StartNew();
            while (!File.Exists(ReferenceChain.JsonPath(chains, 0)) && !process.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(20);
            Thread.Sleep(random.Next(50, 700));
            if (process.HasExited) break;
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            resumedRuns++;
        }
        Assert.True(resumedRuns >= 1, "the reference finished before it could be killed");
        var rerun = CliProcess.Run(killed, args);
        Assert.True(rerun.ExitCode == 0, rerun.Stderr);
        Assert.Contains("resuming from checkpoints", rerun.Stdout);

        var a = DrawsFile.Read(Path.Combine(new ProblemStore(Path.Combine(straight, "problems")).Scan().Single().Problem!.GroundTruthDirectory, ReferenceSummary.DrawsFileName));
        var b = DrawsFile.Read(Path.Combine(problem.GroundTruthDirectory, ReferenceSummary.DrawsFileName));
        Assert.Equal(a.DrawsPerChain, b.DrawsPerChain);
        for (int c = 0; c < a.Chains; c++) Assert.Equal(a.Draws[c], b.Draws[c]);
        Assert.True(ReferenceSummary.TryRead(problem.GroundTruthDirectory)!.Converged);
    }
}
