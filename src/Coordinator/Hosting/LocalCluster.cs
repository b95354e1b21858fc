using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using SamplerTune.Coordinator.Actors;
using SamplerTune.Coordinator.Configuration;
using SamplerTune.Samplers.Common;
using SamplerTune.Worker.Actors;

namespace SamplerTune.Coordinator.Hosting;

/// <summary>
/// A local run: one actor system on the cluster provider that joins itself on 127.0.0.1 (any port), the coordinator
/// as a cluster singleton, and in-process workers that reach it through a singleton proxy, exactly as remote workers
/// will in cluster mode.
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
        var system = ActorSystem.Create("samplertune", config);
        var cluster = Cluster.Get(system);
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        if (!up.Task.Wait(TimeSpan.FromSeconds(30)))
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(5));
            throw new TimeoutException("the local node did not join itself within 30 s");
        }
        var jobPlan = plan(config);
        system.ActorOf(ClusterSingletonManager.Props(CoordinatorActor.Props(jobPlan), PoisonPill.Instance, ClusterSingletonManagerSettings.Create(system)),
            "coordinator");
        var proxy = system.ActorOf(ClusterSingletonProxy.Props("/user/coordinator", ClusterSingletonProxySettings.Create(system)), "coordinator-proxy");

        var w = config.GetConfig("samplertune.worker");
        int slots = config.GetInt("samplertune.local.slots-per-worker");
        var settings = new WorkerSettings(layout.Root, slots, w.GetTimeSpan("budget-slack"), w.GetTimeSpan("grace-period"),
            w.GetTimeSpan("progress-interval"), w.GetTimeSpan("shutdown-wait"));
        int count = WorkerCount(workers is > 0 ? workers : null, config);
        for (int i = 0; i < count; i++)
            system.ActorOf(WorkerActor.Props(proxy, $"local-{i + 1}", settings), $"worker-{i + 1}");
        return new LocalCluster(system, proxy);
    }

    /// <summary>Workers requested with --workers, else samplertune.local.workers, where 0 means one per core.</summary>
    public static int WorkerCount(int? requested, Config config)
    {
        int n = requested ?? config.GetInt("samplertune.local.workers");
        return n > 0 ? n : Environment.ProcessorCount;
    }

    /// <summary>Coordinated shutdown: workers cancel their runs (which write checkpoints), the journal closes.</summary>
    public void Dispose() => CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance).Wait(TimeSpan.FromSeconds(30));
}
