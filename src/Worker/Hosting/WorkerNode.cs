using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using SamplerTune.Worker.Actors;

namespace SamplerTune.Worker.Hosting;

/// <summary>
/// What every node hosting workers does, in 'run --local' and in the worker executable alike: reach the coordinator
/// singleton (role coordinator) through a proxy and start WorkerActors with the settings of samplertune.worker.
/// </summary>
public static class WorkerNode
{
    public const string CoordinatorRole = "coordinator";

    /// <summary>A proxy to the coordinator singleton, wherever in the cluster it runs.</summary>
    public static IActorRef CoordinatorProxy(ActorSystem system) =>
        system.ActorOf(ClusterSingletonProxy.Props("/user/coordinator", ClusterSingletonProxySettings.Create(system).WithRole(CoordinatorRole)),
            "coordinator-proxy");

    /// <summary>The worker settings of <paramref name="config"/> (samplertune.worker); <paramref name="slots"/> 0 means one per core.</summary>
    public static WorkerSettings Settings(Config config, string experimentsRoot, int slots, string? experimentsId)
    {
        var w = config.GetConfig("samplertune.worker");
        return new WorkerSettings(experimentsRoot, slots > 0 ? slots : Environment.ProcessorCount, w.GetTimeSpan("budget-slack"),
            w.GetTimeSpan("grace-period"), w.GetTimeSpan("progress-interval"), w.GetTimeSpan("shutdown-wait"), experimentsId);
    }

    public static IActorRef StartWorker(ActorSystem system, IActorRef coordinator, string id, WorkerSettings settings, string name) =>
        system.ActorOf(WorkerActor.Props(coordinator, id, settings), name);

    /// <summary>A HOCON file embedded from hocon/ into the worker executable.</summary>
    public static Config Embedded(string name)
    {
        using var stream = typeof(WorkerNode).Assembly.GetManifestResourceStream($"hocon/{name}")
            ?? throw new InvalidOperationException($"embedded hocon/{name} missing (a build problem)");
        return ConfigurationFactory.ParseString(new StreamReader(stream).ReadToEnd());
    }
}
