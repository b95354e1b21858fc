using System.CommandLine;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using SamplerTune.Coordinator.Configuration;
using SamplerTune.Coordinator.Hosting;
using SamplerTune.Messages.Coordination;
using SamplerTune.Worker.Cluster;

namespace SamplerTune.Coordinator.Cli;

/// <summary>
/// <c>samplertune inspect VERB</c>: asks a running coordinator node (over Akka remoting, from a throw-away remote-only
/// actor system) about its cluster, actors, studies and runs; or tells it to make a member leave or go down. The
/// address is --address, else the one in the experiments folder's cluster/seed.json, else 127.0.0.1 on the default port.
/// </summary>
public static class InspectCommand
{
    public const int NotListening = 3;

    private static readonly Option<string?> AddressOption = new("--address")
    {
        Description = "host:port of the coordinator (default: cluster/seed.json of the experiments folder, else 127.0.0.1:4053)",
        Recursive = true,
    };

    public static Command Build()
    {
        var cmd = new Command("inspect", "look into a running coordinator: cluster members, actor tree, studies, runs in flight") { AddressOption };

        var cluster = new Command("cluster", "cluster membership");
        cluster.Subcommands.Add(Leaf("show", "members, roles, status and reachability", "cluster", _ => ["show"]));
        var leaveAddr = new Argument<string>("ADDR") { Description = "member address, host:port or akka.tcp://samplertune@host:port" };
        var leave = Leaf("leave", "ask a member to leave the cluster gracefully", "cluster", p => ["leave", p.GetValue(leaveAddr)!]);
        leave.Arguments.Add(leaveAddr);
        cluster.Subcommands.Add(leave);
        var downAddr = new Argument<string>("ADDR") { Description = "member address, host:port or akka.tcp://samplertune@host:port" };
        var down = Leaf("down", "mark a member down (its work is queued again)", "cluster", p => ["down", p.GetValue(downAddr)!]);
        down.Arguments.Add(downAddr);
        cluster.Subcommands.Add(down);
        cmd.Subcommands.Add(cluster);

        var actor = new Command("actor", "the coordinator node's actors");
        var depth = new Option<int?>("-d", "--depth") { Description = "levels below the root to show" };
        var hierarchy = Leaf("hierarchy", "the live actor tree of the coordinator node", "actor",
            p => p.GetValue(depth) is { } d ? ["hierarchy", "-d", d.ToString()] : ["hierarchy"]);
        hierarchy.Options.Add(depth);
        actor.Subcommands.Add(hierarchy);
        cmd.Subcommands.Add(actor);

        cmd.Subcommands.Add(Leaf("studies", "each study: trials done/total, in flight, best objective", "studies", _ => []));
        var name = new Argument<string>("NAME") { Description = "study name (see 'inspect studies')" };
        var study = Leaf("study", "a study's top trials with their parameters", "study", p => [p.GetValue(name)!]);
        study.Arguments.Add(name);
        cmd.Subcommands.Add(study);
        var active = new Option<bool>("--active") { Description = "runs in flight (the only listing there is)" };
        var runs = Leaf("runs", "runs in flight: run, worker, method, elapsed, provisional objective", "runs", _ => ["--active"]);
        runs.Options.Add(active);
        cmd.Subcommands.Add(runs);
        return cmd;
    }

    private static Command Leaf(string name, string description, string verb, Func<ParseResult, string[]> args)
    {
        var cmd = new Command(name, description);
        cmd.SetAction(p => Ask(p, new InspectRequest(verb, args(p))));
        return cmd;
    }

    private static int Ask(ParseResult p, InspectRequest request)
    {
        var (host, port, systemName) = Target(p);
        if (!Listening(host, port))
        {
            Console.Error.WriteLine($"error: nothing is listening at {host}:{port} (is 'samplertune coordinator' running? pass --address host:port)");
            return NotListening;
        }
        var config = ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.loglevel = ERROR
            akka.stdout-loglevel = ERROR
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            """).WithFallback(HoconFiles.Embedded("akka.conf"));
        if (host is not ("127.0.0.1" or "localhost"))
            config = ConfigurationFactory.ParseString("akka.remote.dot-netty.tcp.hostname = \"\"").WithFallback(config); // reachable back from a remote coordinator
        using var system = ActorSystem.Create("samplertune-inspect", config);
        try
        {
            var endpoint = system.ActorSelection($"akka.tcp://{systemName}@{host}:{port}/user/{CoordinatorNode.InspectEndpointName}");
            InspectReply reply;
            try { reply = endpoint.Ask<InspectReply>(request, TimeSpan.FromSeconds(15)).Result; }
            catch (AggregateException e) when (e.InnerException is AskTimeoutException)
            {
                Console.Error.WriteLine($"error: {host}:{port} accepts connections but no SamplerTune coordinator named '{systemName}' answered within 15 s");
                return NotListening;
            }
            (reply.Ok ? Console.Out : Console.Error).WriteLine(reply.Ok ? reply.Text : "error: " + reply.Text);
            return reply.Ok ? 0 : 1;
        }
        finally { system.Terminate().Wait(TimeSpan.FromSeconds(5)); }
    }

    private static (string Host, int Port, string SystemName) Target(ParseResult p)
    {
        if (p.GetValue(AddressOption) is { } address)
        {
            int colon = address.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(address[(colon + 1)..], out var port))
                throw new UserInputError($"--address {address}: expected host:port");
            return (address[..colon], port, "samplertune");
        }
        var seed = SeedFile.TryRead(Path.Combine(GlobalOptions.Layout(p).Cluster, "seed.json"));
        if (seed is not null) return (seed.Host, seed.Port, seed.ClusterName);
        return ("127.0.0.1", HoconFiles.Embedded("cluster.conf").GetInt("samplertune.cluster.port"), "samplertune");
    }

    private static bool Listening(string host, int port)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(host, port).Wait(TimeSpan.FromSeconds(3)) && client.Connected;
        }
        catch (AggregateException) { return false; }
        catch (SocketException) { return false; }
    }
}
