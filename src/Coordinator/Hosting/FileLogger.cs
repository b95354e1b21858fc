using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;

namespace SamplerTune.Coordinator.Hosting;

/// <summary>
/// An Akka logger that appends every log event, one per line, to the file named by <c>samplertune.log-file</c>, so
/// cluster warnings (delayed heartbeats, unreachable members) do not interleave with the live view of
/// <c>run --local</c>. <see cref="Errors"/> reads the errors back to show them once the view has ended.
/// </summary>
public sealed class FileLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private const string ErrorTag = "[ERROR]";
    private readonly StreamWriter _writer;

    public FileLogger()
    {
        var path = Context.System.Settings.Config.GetString("samplertune.log-file");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _writer = new StreamWriter(path, append: true) { AutoFlush = true };
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e => _writer.WriteLine(e.ToString().ReplaceLineEndings(" | ")));
    }

    protected override void PostStop() => _writer.Dispose();

    /// <summary>The configuration that routes an actor system's logging to <paramref name="path"/> (and logs INFO there).</summary>
    public static Config Routing(string path) => ConfigurationFactory.ParseString(
        $"akka.loggers = [\"{typeof(FileLogger).AssemblyQualifiedName}\"]\nakka.loglevel = INFO\n" +
        $"samplertune.log-file = {System.Text.Json.JsonSerializer.Serialize(path)}");

    /// <summary>The error lines of a log file written by this logger (none when it does not exist).</summary>
    public static IReadOnlyList<string> Errors(string path) =>
        File.Exists(path) ? File.ReadLines(path).Where(l => l.StartsWith(ErrorTag, StringComparison.Ordinal)).ToList() : [];
}
