using SamplerTune.Coordinator.Tests.Support;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Reference;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Cli;

public class ReferenceCommandTests
{
    private static Dictionary<string, byte[]> Snapshot(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order().ToDictionary(f => f, File.ReadAllBytes);

    [Fact]
    public void Nuts_refuses_to_replace_an_exact_reference_unless_forced()
    {
        var exp = CliProcess.TempDirectory();
        Assert.Equal(0, CliProcess.Run(exp, "problems", "add", "--family", "gaussian_mean", "--set", "d=2").ExitCode);
        var problem = new ProblemStore(Path.Combine(exp, "problems")).Scan().Single().Problem!;
        var exact = CliProcess.Run(exp, "reference", problem.Pid, "--min-ess", "400");
        Assert.True(exact.ExitCode == 0, exact.Stderr);
        Assert.Equal("exact", ReferenceSummary.TryRead(problem.GroundTruthDirectory)!.Source);
        var before = Snapshot(problem.GroundTruthDirectory);

        foreach (var target in new[] { problem.Pid, "all" })
        {
            var refused = CliProcess.Run(exp, "reference", target, "--nuts", "--min-ess", "100");
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains($"--nuts: {problem.Pid} has an exact reference", refused.Stderr);
            Assert.Contains("--force", refused.Stderr);
            Assert.Single(refused.Stderr.Trim().Split('\n'));
            Assert.Equal(before, Snapshot(problem.GroundTruthDirectory));
        }

        var forced = CliProcess.Run(exp, "reference", problem.Pid, "--nuts", "--force", "--min-ess", "100");
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.Equal("nuts", ReferenceSummary.TryRead(problem.GroundTruthDirectory)!.Source);
    }

    [Fact]
    public void A_misspelled_key_of_the_reference_config_file_is_refused()
    {
        var exp = CliProcess.TempDirectory();
        Assert.Equal(0, CliProcess.Run(exp, "problems", "add", "--family", "gaussian_mean", "--set", "d=2").ExitCode);
        var file = Path.Combine(exp, "reference.conf");
        File.WriteAllText(file, "samplertune.reference { min-es = 100 }");
        var r = CliProcess.Run(exp, "reference", "all", "--config", file);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{file}: samplertune.reference.min-es: unknown key; allowed in samplertune.reference: chains, min-ess", r.Stderr);
        Assert.Empty(Directory.GetDirectories(Directory.GetDirectories(Path.Combine(exp, "problems")).Single()));
    }

    [Theory]
    [InlineData("rhat-threshold = 0.9", "samplertune.reference.rhat-threshold must be a number above 1")]
    [InlineData("min-ess = -4", "samplertune.reference.min-ess must be at least 1")]
    public void A_reference_setting_out_of_range_in_the_config_file_is_refused(string setting, string expected)
    {
        var exp = CliProcess.TempDirectory();
        Assert.Equal(0, CliProcess.Run(exp, "problems", "add", "--family", "gaussian_mean", "--set", "d=2").ExitCode);
        var file = Path.Combine(exp, "reference.conf");
        File.WriteAllText(file, $"samplertune.reference {{ {setting} }}");
        var r = CliProcess.Run(exp, "reference", "all", "--config", file);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{file}: {expected}", r.Stderr);
        Assert.Empty(Directory.GetDirectories(Directory.GetDirectories(Path.Combine(exp, "problems")).Single()));
    }
}
