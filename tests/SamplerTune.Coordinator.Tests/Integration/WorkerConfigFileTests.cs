using SamplerTune.Coordinator.Tests.Support;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Integration;

/// <summary>
/// samplertune-worker --config FILE (how 'bench scale' hands its overlay to the workers): the file's settings win over
/// the embedded defaults, and a file Akka's parser rejects ends the worker with exit 2 and one line (the parser is
/// lenient about stray braces, but not about a substitution that resolves to nothing).
/// </summary>
[Collection(MultiProcessTests.Name)]
public class WorkerConfigFileTests
{
    [Fact]
    public void TheConfigFileOverridesTheEmbeddedDefaults()
    {
        var exp = CliProcess.TempDirectory();
        var file = Path.Combine(exp, "worker.conf");
        File.WriteAllText(file, "samplertune.cluster.seed-wait = 1s  # the embedded default is 120 s\n");
        using var worker = NodeProcess.Worker("config-file", exp, "--config", file);
        Assert.True(worker.WaitForExit(TimeSpan.FromSeconds(60)) == 4, worker.Tail());
        Assert.True(worker.Says("waited 1 s"), worker.Tail());
    }

    [Fact]
    public void AConfigFileTheParserRejectsEndsTheWorkerWithOneLine()
    {
        var exp = CliProcess.TempDirectory();
        var file = Path.Combine(exp, "worker.conf");
        File.WriteAllText(file, "samplertune.cluster.seed-wait = ${no.such.setting}\n");
        using var worker = NodeProcess.Worker("bad-config-file", exp, "--config", file);
        Assert.True(worker.WaitForExit(TimeSpan.FromSeconds(60)) == 2, worker.Tail());
        Assert.True(worker.Says($"{file}: not valid HOCON (Unresolved substitution: no.such.setting)"), worker.Tail());
    }
}
