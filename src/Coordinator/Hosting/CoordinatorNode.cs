using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using SamplerTune.Coordinator.Actors;
using SamplerTune.Coordinator.Configuration;
using SamplerTune.Samplers.Common;
using SamplerTune.Worker.Hosting;

namespace SamplerTune.Coordinator.Hosting;

/// <summary>
/// What the coordinator node does in both modes ('run --local' and 'samplertune coordinator'): create the actor system,
/// join itself as the cluster's first member, start the <see cref="CoordinatorActor"/> as a cluster singleton on the
/// coordinator role, a proxy to it, and the inspection endpoint.
/// </summary>
public static class CoordinatorNode
{
    public const string InspectEndpointName = "inspect";

    /// <summary>
    /// Creates the system named by samplertune.cluster.name (default samplertune), its journal writing through
    /// <see cref="JournalConnections"/>, and waits until it is Up as its own seed.
    /// </summary>
    public static ActorSystem StartSelfJoined(Config config)
    {
        var name = config.GetString("samplertune.cluster.name", "samplertune");
        var system = ActorSystem.Create(name, BootstrapSetup.Create().WithConfig(config).And(JournalConnections.Setup(config)));
        var cluster = Cluster.Get(system);
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        if (!up.Task.Wait(TimeSpan.FromSeconds(30)))
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(5));
            throw new TimeoutException("the coordinator node did not join itself within 30 s");
        }
        return system;
    }

    /// <summary>Starts the coordinator singleton and the inspection endpoint; returns a proxy to the singleton.</summary>
    public static IActorRef StartCoordinator(ActorSystem system, ExperimentsLayout layout, JobPlan plan)
    {
        system.ActorOf(ClusterSingletonManager.Props(CoordinatorActor.Props(plan), PoisonPill.Instance,
            ClusterSingletonManagerSettings.Create(system).WithRole(WorkerNode.CoordinatorRole)), "coordinator");
        var proxy = WorkerNode.CoordinatorProxy(system);
        system.ActorOf(InspectEndpoint.Props(proxy), InspectEndpointName);
        return proxy;
    }
}
