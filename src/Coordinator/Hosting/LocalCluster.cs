using Akka.Actor;
using Akka.Configuration;
using SamplerTune.Coordinator.Actors;
using SamplerTune.Coordinator.Configuration;
using SamplerTune.Samplers.Common;
using SamplerTune.Worker.Cluster;
using SamplerTune.Worker.Hosting;

namespace SamplerTune.Coordinator.Hosting;

/// <summary>
/// A local run: one actor system on the cluster provider that joins itself on 127.0.0.1 (any port), the coordinator
/// as a cluster singleton, and in-process workers that reach it through a singleton proxy, exactly as the worker
/// processes of cluster mode do (<see cref="CoordinatorNode"/> and <see cref="WorkerNode"/> are shared by both).
/// </summary>
public sealed class LocalCluster : IDisposable
{
    public ActorSystem System { get; }
    public IActorRef Coordinator { get; }

    private LocalCluster(ActorSystem system, IActorRef coordinator)
    {
        System = system;
        Coordinator = coordinator;
    }

    /// <summary>Starts the node; <paramref name="workers"/> null or 0 means samplertune.local.workers (0 there = one per core).</summary>
    public static LocalCluster Start(ExperimentsLayout layout, Func<Config, JobPlan> plan, int? workers, Config? overrides = null)
    {
        var config = (overrides ?? ConfigurationFactory.Empty).WithFallback(AkkaConfig.For(layout, "local.conf"));
        var system = CoordinatorNode.StartSelfJoined(config);
        var proxy = CoordinatorNode.StartCoordinator(system, layout, plan(config));
        var settings = WorkerNode.Settings(config, layout.Root, config.GetInt("samplertune.local.slots-per-worker"), ExperimentsIdentity.Ensure(layout));
        int count = WorkerCount(workers is > 0 ? workers : null, config);
        for (int i = 0; i < count; i++)
            WorkerNode.StartWorker(system, proxy, $"local-{i + 1}", settings, $"worker-{i + 1}");
        return new LocalCluster(system, proxy);
    }

    /// <summary>Workers requested with --workers, else samplertune.local.workers, where 0 means one per core.</summary>
    public static int WorkerCount(int? requested, Config config)
    {
        int n = requested ?? config.GetInt("samplertune.local.workers");
        return n > 0 ? n : Environment.ProcessorCount;
    }

    /// <summary>Coordinated shutdown: workers cancel their runs (which write checkpoints), the journal closes.</summary>
    public void Dispose()
    {
        // While stopping, Akka hands its log to the console; its routine INFO lines would land after the live view's end.
        System.EventStream.SetLogLevel(Akka.Event.LogLevel.WarningLevel);
        CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance).Wait(TimeSpan.FromSeconds(30));
    }
}
