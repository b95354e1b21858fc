using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using SamplerTune.Coordinator.Configuration;
using SamplerTune.Coordinator.Hosting;
using SamplerTune.Coordinator.Studies;
using SamplerTune.Messages.Coordination;
using SamplerTune.Samplers.Common;
using SamplerTune.Worker.Cluster;

namespace SamplerTune.Coordinator.Cli;

/// <summary>
/// <c>samplertune coordinator</c>: the cluster seed. It runs the same coordinator singleton as 'run --local' (with no
/// workers of its own), listens on --hostname:--port, writes experiments/cluster/seed.json (heartbeat refreshed every
/// few seconds) for samplertune-worker processes to join, and when every study is finished tells the workers to leave,
/// waits for them, and exits 0. Killed, it is restarted with the same command: the studies continue from the journal.
/// </summary>
public static class CoordinatorCommand
{
    public static Command Build()
    {
        var hostname = new Option<string?>("--hostname") { Description = "address workers reach this node at (default: this machine's host name)" };
        var port = new Option<int?>("--port") { Description = "port to listen on (default samplertune.cluster.port, 4053)" };
        var study = new StudyOptions();
        var cmd = new Command("coordinator", "start the cluster coordinator: studies, journal and seed.json for samplertune-worker processes") { hostname, port };
        study.AddTo(cmd);
        cmd.SetAction(p =>
        {
            if (p.GetValue(port) is < 0 or > 65535)
                throw new UserInputError($"--port must be from 0 to 65535 (0: any free port), got {p.GetValue(port)}");
            var layout = GlobalOptions.Layout(p);
            var plan = study.Read(p, layout);
            return Run(layout, plan, p.GetValue(hostname) ?? Dns.GetHostName(), p.GetValue(port));
        });
        return cmd;
    }

    private static int Run(ExperimentsLayout layout, StudyConfig study, string host, int? port)
    {
        using var experimentsLock = ExperimentsLock.Acquire(layout);
        var node = ConfigurationFactory.ParseString($$"""
            akka.remote.dot-netty.tcp.hostname = "{{host}}"
            akka.cluster.roles = [coordinator]
            """);
        var config = node.WithFallback(AkkaConfig.For(layout));
        int listenPort = port ?? config.GetInt("samplertune.cluster.port");
        config = ConfigurationFactory.ParseString($"akka.remote.dot-netty.tcp.port = {listenPort}").WithFallback(config);
        var cluster = config.GetConfig("samplertune.cluster");

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

        ActorSystem system;
        try { system = CoordinatorNode.StartSelfJoined(config); }
        catch (Exception e) when (e.GetBaseException() is System.Net.Sockets.SocketException or Akka.Remote.RemoteTransportException)
        {
            throw new UserInputError($"cannot listen on {host}:{listenPort}: {e.GetBaseException().Message} (another coordinator running? pick --port)");
        }
        // A node downed or removed from the cluster shuts its actor system down: end the command, not a frozen view.
        system.WhenTerminated.ContinueWith(_ => { try { stop.Cancel(); } catch (ObjectDisposedException) { /* the command already ended */ } });
        try
        {
            var c = config.GetConfig("samplertune.coordinator");
            var proxy = CoordinatorNode.StartCoordinator(system, layout, JobPlanner.Plan(study, layout, c.GetInt("snapshot-every"), c.GetTimeSpan("csv-interval")));
            var self = Cluster.Get(system).SelfAddress;
            var seedPath = Path.Combine(layout.Cluster, "seed.json");
            var now = DateTimeOffset.UtcNow;
            using var heartbeat = new SeedHeartbeat(seedPath,
                new SeedFile(self.ToString(), system.Name, self.Host!, self.Port!.Value, Environment.ProcessId, SeedFile.CurrentJobId(), now, now, false),
                cluster.GetTimeSpan("heartbeat-interval"));
            Console.WriteLine($"samplertune coordinator: listening at {self}; seed file {seedPath}; study {study.Source}; experiments {layout.Root}");
            Console.Out.Flush();

            var view = new LiveView(Console.Out, !Console.IsOutputRedirected, TimeSpan.FromSeconds(10));
            var status = WaitForEnd(proxy, view, config.GetTimeSpan("samplertune.coordinator.status-interval"), stop.Token);
            if (system.WhenTerminated.IsCompleted)
            {
                Console.Error.WriteLine("error: this coordinator node was removed from the cluster (downed or told to leave); start the same command again to continue");
                return 1;
            }
            if (stop.IsCancellationRequested)
            {
                Console.Error.WriteLine("stopped: workers keep their checkpoints; start the same command again to continue");
                return RunCommand.Interrupted;
            }
            if (status.Stage.StartsWith("failed"))
            {
                Console.Error.WriteLine("error: " + status.Stage["failed: ".Length..]);
                return 1;
            }
            heartbeat.MarkFinished();
            WaitForWorkersToLeave(system, cluster.GetTimeSpan("leave-wait"), stop.Token);
            view.Update(status, force: true);
            Console.WriteLine($"all studies finished; trials.csv per study under {layout.Studies}");
            return 0;
        }
        finally
        {
            CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance).Wait(TimeSpan.FromSeconds(30));
        }
    }

    private static CoordinatorStatus WaitForEnd(IActorRef proxy, LiveView view, TimeSpan interval, CancellationToken stop)
    {
        CoordinatorStatus? status = null;
        while (!stop.IsCancellationRequested)
        {
            try { status = proxy.Ask<CoordinatorStatus>(GetStatus.Instance, TimeSpan.FromSeconds(5)).Result; }
            catch (AggregateException) { /* the singleton is still starting */ }
            if (status is not null)
            {
                view.Update(status);
                if (status.AllFinished || status.Stage.StartsWith("failed")) return status;
            }
            stop.WaitHandle.WaitOne(interval);
        }
        return status ?? new CoordinatorStatus("stopped", [], [], 0, 0, false);
    }

    /// <summary>Workers were told to leave; wait (bounded) until this node is the only member left.</summary>
    private static void WaitForWorkersToLeave(ActorSystem system, TimeSpan wait, CancellationToken stop)
    {
        var cluster = Cluster.Get(system);
        var deadline = DateTime.UtcNow + wait;
        while (DateTime.UtcNow < deadline && !stop.IsCancellationRequested)
        {
            var others = cluster.State.Members.Count(m => m.Address != cluster.SelfAddress) + cluster.State.Unreachable.Count;
            if (others == 0) return;
            stop.WaitHandle.WaitOne(200);
        }
    }
}
