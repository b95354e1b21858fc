using System.Globalization;
using System.Text;
using Akka.Actor;
using Akka.Cluster;
using SamplerTune.Coordinator.Actors;
using SamplerTune.Coordinator.Studies;
using SamplerTune.Messages.Coordination;

namespace SamplerTune.Coordinator.Hosting;

/// <summary>
/// The coordinator node's answer to <c>samplertune inspect</c> (our stand-in for Petabridge.Cmd, which our package
/// registry does not serve): it lives at /user/inspect, takes an <see cref="InspectRequest"/> over remoting and renders
/// the answer as text from the live node (cluster state, actor tree, the coordinator's and its studies' state).
/// </summary>
public sealed class InspectEndpoint : ReceiveActor
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);
    private readonly IActorRef _coordinator;

    public static Props Props(IActorRef coordinator) => Akka.Actor.Props.Create(() => new InspectEndpoint(coordinator));

    public InspectEndpoint(IActorRef coordinator)
    {
        _coordinator = coordinator;
        ReceiveAsync<InspectRequest>(async r =>
        {
            InspectReply reply;
            try { reply = await Answer(r); }
            catch (Exception e) { reply = new InspectReply(false, $"{r.Verb}: {e.GetBaseException().Message}"); }
            Sender.Tell(reply);
        });
    }

    private async Task<InspectReply> Answer(InspectRequest r)
    {
        var args = r.Args;
        return (r.Verb, args.Count > 0 ? args[0] : null) switch
        {
            ("cluster", "show") => Ok(ClusterShow()),
            ("cluster", "leave") when args.Count == 2 => MemberCommand(args[1], (c, a) => c.Leave(a), "leaving"),
            ("cluster", "down") when args.Count == 2 => MemberCommand(args[1], (c, a) => c.Down(a), "downed"),
            ("actor", "hierarchy") => Ok(Hierarchy(Depth(args))),
            ("studies", null) => Ok(Studies(await _coordinator.Ask<CoordinatorStatus>(GetStatus.Instance, AskTimeout))),
            ("study", { } name) => await Study(name),
            ("runs", "--active") => Ok(Runs(await Singleton("dispatcher").Ask<List<Dispatcher.ActiveUnit>>(Dispatcher.GetActive.Instance, AskTimeout))),
            _ => new InspectReply(false, $"unknown request '{string.Join(' ', [r.Verb, .. args])}'"),
        };
    }

    private static InspectReply Ok(string text) => new(true, text);

    private ActorSelection Singleton(string child) => Context.ActorSelection($"/user/coordinator/singleton/{child}");

    private string ClusterShow()
    {
        var cluster = Cluster.Get(Context.System);
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.UniqueAddress).ToHashSet();
        var sb = new StringBuilder();
        sb.AppendLine($"cluster {Context.System.Name}: {state.Members.Count} members, {state.Unreachable.Count} unreachable, leader {state.Leader?.ToString() ?? "none"} (self {cluster.SelfAddress})");
        sb.AppendLine($"{"address",-44} {"status",-9} {"reachability",-12} roles");
        foreach (var m in state.Members.Concat(state.Unreachable.Where(u => !state.Members.Contains(u))).OrderBy(m => m.Address.ToString(), StringComparer.Ordinal))
            sb.AppendLine($"{m.Address,-44} {m.Status,-9} {(unreachable.Contains(m.UniqueAddress) ? "unreachable" : "reachable"),-12} {string.Join(",", m.Roles.Order())}");
        return sb.ToString().TrimEnd();
    }

    private InspectReply MemberCommand(string address, Action<Cluster, Address> act, string verb)
    {
        var cluster = Cluster.Get(Context.System);
        Address parsed;
        try { parsed = Address.Parse(address.Contains("://") ? address : $"akka.tcp://{Context.System.Name}@{address}"); }
        catch (Exception) { return new InspectReply(false, $"'{address}' is not an address (host:port or akka.tcp://{Context.System.Name}@host:port)"); }
        if (cluster.State.Members.All(m => m.Address != parsed) && cluster.State.Unreachable.All(m => m.Address != parsed))
            return new InspectReply(false, $"{parsed} is not a member; members: {string.Join(", ", cluster.State.Members.Select(m => m.Address))}");
        // Removing the node that answers this request would take the studies' singleton with it mid-run.
        if (parsed == cluster.SelfAddress)
            return new InspectReply(false, $"{parsed} is the coordinator itself; stop it with Ctrl-C or SIGTERM (its runs keep their checkpoints)");
        act(cluster, parsed);
        return Ok($"{parsed}: {verb}");
    }

    private static int Depth(IReadOnlyList<string> args)
    {
        for (int i = 1; i < args.Count - 1; i++)
            if (args[i] is "-d" or "--depth" && int.TryParse(args[i + 1], out var d) && d > 0) return d;
        return int.MaxValue;
    }

    /// <summary>The live actor tree under /user and /system, read from the actor cells (inspection only: names, no messages).</summary>
    private string Hierarchy(int depth)
    {
        var sb = new StringBuilder();
        var root = ((ExtendedActorSystem)Context.System).Provider.RootGuardian;
        void Walk(IActorRef actor, int level, string indent)
        {
            sb.AppendLine(indent + (level == 0 ? actor.Path.ToString() : actor.Path.Name));
            if (level >= depth || actor is not ActorRefWithCell cell) return;
            foreach (var child in cell.Children.OrderBy(c => c.Path.Name, StringComparer.Ordinal)) Walk(child, level + 1, indent + "  ");
        }
        Walk(root, 0, "");
        return sb.ToString().TrimEnd();
    }

    private static string Studies(CoordinatorStatus status)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"stage {status.Stage}; {status.Workers} workers; {status.InFlight.Count} units in flight; {status.ReferencesPending} references pending");
        sb.AppendLine($"{"study",-44} {"done",9} {"in flight",9} {"failed",6} {"best objective",15}  state");
        foreach (var s in status.Studies)
            sb.AppendLine($"{s.Study,-44} {$"{s.Done}/{s.TrialBudget}",9} {s.Pending,9} {s.Failed,6} {Format(s.BestObjective),15}  {(s.Finished ? "finished" : "running")}");
        return sb.ToString().TrimEnd();
    }

    private async Task<InspectReply> Study(string name)
    {
        StudyState state;
        try { state = await Singleton(name).Ask<StudyState>(StudyActor.GetTrials.Instance, AskTimeout); }
        catch (AskTimeoutException) { return new InspectReply(false, $"no running study named '{name}' (see 'inspect studies')"); }
        var sb = new StringBuilder();
        var c = state.Created!;
        sb.AppendLine($"study {c.Study}: problem {c.Pid} ({c.Family}), method {c.Method}, sampler {c.Sampler}; {state.DoneCount}/{c.TrialBudget} done, {state.PendingCount} in flight, {state.FailedCount} failed");
        var top = state.Trials.Where(t => t.State == StudyState.Complete && t.Objective is { } v && !double.IsNaN(v))
            .OrderBy(t => t.Objective).Take(10).ToList();
        sb.AppendLine($"{"trial",5} {"objective",12} {"status",-17} parameters");
        foreach (var t in top)
            sb.AppendLine($"{t.Number,5} {Format(t.Objective),12} {t.RunStatus,-17} {string.Join(", ", t.Params.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={FormatValue(p.Value)}"))}");
        if (top.Count == 0) sb.AppendLine("(no completed trials yet)");
        return Ok(sb.ToString().TrimEnd());
    }

    private static string Runs(List<Dispatcher.ActiveUnit> units)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{"run",-28} {"worker",-28} {"method",-9} {"elapsed",10} {"provisional",12}");
        foreach (var u in units)
            sb.AppendLine($"{u.WorkId,-28} {u.Worker,-28} {u.Method,-9} {$"{u.ElapsedSec:0.0}/{u.BudgetSec:0} s",10} {Format(u.ProvisionalObjective),12}");
        if (units.Count == 0) sb.AppendLine("(no runs in flight)");
        return sb.ToString().TrimEnd();
    }

    private static string Format(double? v) => v is { } x ? x.ToString("G5", CultureInfo.InvariantCulture) : "-";

    private static string FormatValue(object v) => v switch
    {
        double d => d.ToString("G5", CultureInfo.InvariantCulture),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };
}
