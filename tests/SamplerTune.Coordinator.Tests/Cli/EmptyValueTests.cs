using SamplerTune.Coordinator.Tests.Support;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Cli;

/// <summary>An empty text value (an unset shell variable, say) is refused at parse time, naming the option.</summary>
public class EmptyValueTests
{
    [Theory]
    [InlineData("--out", "report", "--out", "")]
    [InlineData("--experiments", "status", "--experiments", " ")]
    [InlineData("--config", "run", "--local", "--config", "")]
    [InlineData("--study", "export", "--study", "")]
    public void AnEmptyValueIsAClearErrorWithExitTwo(string option, params string[] args)
    {
        var exp = CliProcess.TempDirectory();
        var r = CliProcess.RunIn(exp, args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{option}: the value is empty", r.Stderr);
        Assert.DoesNotContain("Exception", r.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(exp));
    }
}
