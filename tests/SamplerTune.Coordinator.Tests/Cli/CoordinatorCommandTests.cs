using SamplerTune.Coordinator.Tests.Support;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Cli;

public class CoordinatorCommandTests
{
    [Theory]
    [InlineData("70000")]
    [InlineData("-1")]
    public void A_port_out_of_range_is_refused_before_anything_is_written(string port)
    {
        var exp = Path.Combine(CliProcess.TempDirectory(), "experiments");
        var r = CliProcess.Run(exp, "coordinator", "--hostname", "127.0.0.1", "--port", port);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"--port must be from 0 to 65535 (0: any free port), got {port}", r.Stderr);
        Assert.False(Directory.Exists(exp));
    }
}
