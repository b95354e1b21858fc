using SamplerTune.Coordinator.Tests.Support;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Cli;

public class ReadmeTests
{
    private const string Begin = "<!-- cli-reference:begin -->";
    private const string End = "<!-- cli-reference:end -->";

    /// <summary>The README's command reference is exactly `samplertune cli-reference`; regenerate it with scripts/update-cli-reference.</summary>
    [Fact]
    public void CommandReferenceMatchesHelp()
    {
        var readme = File.ReadAllText(Path.Combine(CliProcess.RepositoryRoot(), "README.md"));
        int b = readme.IndexOf(Begin, StringComparison.Ordinal), e = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(b >= 0 && e > b, "README.md lacks the cli-reference markers");
        var section = readme[(b + Begin.Length)..e].Trim();
        // Through the real executable: help text shows the executable's name.
        var generated = CliProcess.Run(CliProcess.TempDirectory(), "cli-reference");
        Assert.Equal(0, generated.ExitCode);
        Assert.True(generated.Stdout.Trim() == section,
            "README command reference is out of date: run scripts/update-cli-reference");
    }
}
