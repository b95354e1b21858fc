using SamplerTune.Coordinator.Tests.Support;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Cli;

/// <summary>A bad --space value is refused before anything starts, naming the command line as its source.</summary>
public class SpaceOptionTests
{
    [Theory]
    [InlineData("mala.step_size=0.1..0.01", "hocon/search-spaces.conf + command line: step_size: inverted range")]
    [InlineData("mala.step_size=abc", "hocon/search-spaces.conf + command line: samplertune.search-spaces.mala.step_size: fixed abc")]
    [InlineData("mala.nope=1", "command line: mala.nope: unknown hyperparameter")]
    [InlineData("sgld.eta0=0.1", "--space sgld.eta0=0.1: 'sgld' is not a method of this study (mala)")]
    public void ABadSpaceValueIsOneErrorAndWritesNothing(string space, string expected)
    {
        var exp = Path.Combine(CliProcess.TempDirectory(), "experiments");
        var r = CliProcess.Run(exp, "run", "--local", "--methods", "mala", "--space", space);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
        Assert.False(Directory.Exists(exp));
    }
}
