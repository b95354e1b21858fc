using Akka.Actor;
using Akka.Configuration;
using SamplerTune.Messages.Work;
using SamplerTune.Samplers.Common;
using SamplerTune.Worker.Cluster;

namespace SamplerTune.Worker.Hosting;

/// <summary>
/// The worker executable's life: read a fresh seed.json, join the coordinator's cluster as a worker node, register the
/// slots and pull work (the same <see cref="Actors.WorkerActor"/> as 'run --local'), until one of:
/// the coordinator says every study is finished (leave, exit 0); SIGTERM (stop the runs, which write their checkpoints,
/// leave, exit 0); a refusal (exit 3); the node is cut off from the coordinator and downed by the split-brain resolver,
/// or cannot join (the coordinator died or moved): then read seed.json again and rejoin.
/// </summary>
public sealed class WorkerProcess(WorkerOptions options, TextWriter log)
{
    public const int BadConfig = 2, Refused = 3, NoSeed = 4;

    private enum End { Finished, Stopped, Refused, Lost }

    private readonly CancellationTokenSource _stop = new();
    private string? _refusal;

    /// <summary>Asks the worker to stop (SIGTERM): runs in flight are stopped and checkpointed, then it leaves.</summary>
    public void RequestStop() => _stop.Cancel();

    public int Run()
    {
        var defaults = WorkerNode.Embedded("cluster.conf").WithFallback(WorkerNode.Embedded("akka.conf")).WithFallback(WorkerNode.Embedded("worker.conf"));
        if (options.ConfigFile is { } file)
        {
            try { defaults = ConfigurationFactory.ParseString(File.ReadAllText(file)).WithFallback(defaults); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                log.WriteLine($"samplertune-worker: {file}: not valid HOCON ({e.Message.Split('\n')[0]})");
                return BadConfig;
            }
        }
        var clusterSettings = defaults.GetConfig("samplertune.cluster");
        var clusterName = options.ClusterName ?? clusterSettings.GetString("name");
        var layout = new ExperimentsLayout(options.Experiments);
        for (int session = 1; ; session++)
        {
            var (seed, problem) = SeedFile.WaitForFresh(options.SeedFile, options.SeedWait ?? clusterSettings.GetTimeSpan("seed-wait"),
                clusterSettings.GetTimeSpan("stale-after"), _stop.Token);
            if (_stop.IsCancellationRequested) return 0;
            if (seed is null)
            {
                log.WriteLine($"samplertune-worker: {problem}");
                return NoSeed;
            }
            if (seed.Finished)
            {
                log.WriteLine($"samplertune-worker: every study is finished (seed {options.SeedFile}); nothing to do");
                return 0;
            }
            if (seed.ClusterName != clusterName)
            {
                log.WriteLine($"samplertune-worker: refused: the seed file is for cluster '{seed.ClusterName}' but this worker belongs to cluster '{clusterName}'");
                return Refused;
            }
            var end = Session(seed, clusterName, defaults, clusterSettings.GetTimeSpan("join-timeout"), layout, session);
            switch (end)
            {
                case End.Finished:
                    log.WriteLine("samplertune-worker: every study is finished; left the cluster");
                    return 0;
                case End.Stopped:
                    log.WriteLine("samplertune-worker: stopped; runs in flight were checkpointed and go back to the coordinator");
                    return 0;
                case End.Refused:
                    log.WriteLine($"samplertune-worker: refused by the coordinator: {_refusal}");
                    return Refused;
                default:
                    log.WriteLine("samplertune-worker: lost the coordinator; reading the seed file again");
                    break;
            }
        }
    }

    private End Session(SeedFile seed, string clusterName, Config defaults, TimeSpan joinTimeout, ExperimentsLayout layout, int session)
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.remote.dot-netty.tcp { hostname = "{{options.Hostname}}", port = 0 }
            akka.cluster.roles = [worker]
            akka.cluster.shutdown-after-unsuccessful-join-seed-nodes = {{(int)joinTimeout.TotalSeconds}}s
            akka.cluster.singleton-proxy.log-singleton-identification-failure = off
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            """).WithFallback(defaults);
        using var system = ActorSystem.Create(clusterName, config);
        var cluster = Akka.Cluster.Cluster.Get(system);
        var ended = new TaskCompletionSource<End>(TaskCreationOptions.RunContinuationsAsynchronously);
        Action<string> refused = r => _refusal = r;
        var listener = system.ActorOf(Props.Create(() => new EndListener(ended, refused)), "end-listener");
        system.EventStream.Subscribe(listener, typeof(StudiesFinished));
        system.EventStream.Subscribe(listener, typeof(WorkerRefused));
        // Terminated from outside: told to leave ('inspect cluster leave') ends the worker; downed (cut off from the
        // coordinator, or 'inspect cluster down') means rejoin.
        system.WhenTerminated.ContinueWith(_ => ended.TrySetResult(
            CoordinatedShutdown.Get(system).ShutdownReason is CoordinatedShutdown.ClusterLeavingReason ? End.Stopped : End.Lost));
        using var onStop = _stop.Token.Register(() => ended.TrySetResult(End.Stopped));

        cluster.JoinSeedNodes([Address.Parse(seed.Address)]);
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        if (Task.WhenAny(up.Task, ended.Task).Wait(joinTimeout) is false || !up.Task.IsCompleted)
        {
            if (_stop.IsCancellationRequested) { system.Terminate().Wait(TimeSpan.FromSeconds(10)); return End.Stopped; }
            log.WriteLine($"samplertune-worker: could not join {seed.Address} within {joinTimeout.TotalSeconds:0} s");
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
            return End.Lost;
        }

        // Named by its cluster address, so an id seen in 'inspect runs' is what 'inspect cluster leave/down' takes.
        var id = $"{cluster.SelfAddress.Host}:{cluster.SelfAddress.Port}" + (session > 1 ? $"#{session}" : "");
        var settings = WorkerNode.Settings(config, layout.Root, options.Slots, ExperimentsIdentity.Read(layout));
        var proxy = WorkerNode.CoordinatorProxy(system);
        var worker = WorkerNode.StartWorker(system, proxy, id, settings, "worker");
        log.WriteLine($"samplertune-worker {id}: joined {seed.Address} as {cluster.SelfAddress} with {settings.Slots} slots");
        log.Flush();

        var end = ended.Task.Result;
        if (system.WhenTerminated.IsCompleted) return end; // left or downed from outside: the system has already stopped
        // Stop the worker first (its runs stop and write checkpoints, and the dispatcher sees it gone and re-queues
        // them), then leave the cluster, so no run is ever handed to another worker while this one still writes it.
        try { worker.GracefulStop(settings.ShutdownWait + TimeSpan.FromSeconds(5)).Wait(); }
        catch (AggregateException) { /* took too long: leaving anyway */ }
        var removed = new TaskCompletionSource();
        cluster.RegisterOnMemberRemoved(() => removed.TrySetResult());
        cluster.Leave(cluster.SelfAddress);
        removed.Task.Wait(TimeSpan.FromSeconds(15));
        system.Terminate().Wait(TimeSpan.FromSeconds(10));
        return end;
    }

    private sealed class EndListener : ReceiveActor
    {
        public EndListener(TaskCompletionSource<End> ended, Action<string> refused)
        {
            Receive<StudiesFinished>(_ => ended.TrySetResult(End.Finished));
            Receive<WorkerRefused>(r =>
            {
                refused(r.Reason);
                ended.TrySetResult(End.Refused);
            });
        }
    }
}
