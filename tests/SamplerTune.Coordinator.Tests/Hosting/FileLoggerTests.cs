using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using SamplerTune.Coordinator.Hosting;
using SamplerTune.Coordinator.Tests.Support;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Hosting;

public class FileLoggerTests
{
    [Fact]
    public void Akka_log_events_go_to_the_file_and_its_errors_can_be_shown_afterwards()
    {
        var path = Path.Combine(CliProcess.TempDirectory(), "logs", "run.log");
        var config = FileLogger.Routing(path).WithFallback(ConfigurationFactory.ParseString("akka.actor.provider = local"));
        using (var system = ActorSystem.Create("file-logger-test", config))
        {
            system.Log.Warning("Scheduled sending of heartbeat was delayed");
            system.Log.Error(new InvalidOperationException("line one\nline two"), "study x failed");
            system.Log.Info("unit started");
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
        var lines = File.ReadAllLines(path);
        Assert.Contains(lines, l => l.StartsWith("[WARNING]") && l.Contains("heartbeat was delayed"));
        Assert.Contains(lines, l => l.StartsWith("[INFO]") && l.Contains("unit started"));
        var errors = FileLogger.Errors(path);
        var error = Assert.Single(errors);
        Assert.Contains("study x failed", error);
        Assert.Contains("line one | line two", error);
        Assert.Empty(FileLogger.Errors(Path.Combine(Path.GetDirectoryName(path)!, "missing.log")));
    }
}
