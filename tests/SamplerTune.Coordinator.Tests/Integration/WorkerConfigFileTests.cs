using SamplerTune.Coordinator.Tests.Support;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Integration;

/// <summary>
/// samplertune-worker --config FILE (how 'bench scale' hands its overlay to the workers): the file's settings win over
/// the embedded defaults (a 1 s seed wait instead of 120 s: exit 4 at once), and a file Akka's parser rejects ends the
/// worker with exit 2 and one line (the parser is lenient about stray braces, not about a substitution of nothing).
/// </summary>
[Collection(MultiProcessTests.Name)]
public class WorkerConfigFileTests
{
    [Theory]
    [InlineData("samplertune.cluster.seed-wait = 1s", 4, "waited 1 s")]
    [InlineData("samplertune.cluster.seed-wait = ${no.such.setting}", 2, "worker.conf: not valid HOCON (Unresolved substitution: no.such.setting)")]
    public void TheConfigFileIsLayeredOverTheEmbeddedDefaults(string hocon, int exitCode, string says)
    {
        var exp = CliProcess.TempDirectory();
        var file = Path.Combine(exp, "worker.conf");
        File.WriteAllText(file, hocon + "\n");
        using var worker = NodeProcess.Worker("config-file", exp, "--config", file);
        Assert.True(worker.WaitForExit(TimeSpan.FromSeconds(60)) == exitCode, worker.Tail());
        Assert.True(worker.Says(says), worker.Tail());
    }
}
