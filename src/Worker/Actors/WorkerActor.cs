using Akka.Actor;
using Akka.Event;
using SamplerTune.Messages.Work;

namespace SamplerTune.Worker.Actors;

/// <summary>
/// A worker node's slots. It registers with the dispatcher (through <c>coordinator</c>, which forwards; in cluster mode
/// a singleton proxy), asks for one unit of work per free slot, runs each unit in its own <see cref="SamplerActor"/>
/// and passes results and progress back. A unit whose SamplerActor dies without a result is reported failed; the
/// worker keeps serving. A refusal (<see cref="WorkerRefused"/>) or the end of the studies (<see cref="StudiesFinished"/>)
/// is published on the event stream, where the hosting process (the worker executable) decides to leave.
/// </summary>
public sealed class WorkerActor : ReceiveActor, IWithTimers
{
    private readonly string _id;
    private readonly WorkerSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<IActorRef, WorkOrder> _running = new();
    private readonly HashSet<string> _reported = new();
    private readonly RunThreads _threads = new();
    private IActorRef? _dispatcher;

    public ITimerScheduler Timers { get; set; } = null!;

    private sealed record Register
    {
        public static readonly Register Instance = new();
    }

    public static Props Props(IActorRef coordinator, string id, WorkerSettings settings) =>
        Akka.Actor.Props.Create(() => new WorkerActor(coordinator, id, settings));

    public WorkerActor(IActorRef coordinator, string id, WorkerSettings settings)
    {
        _id = id;
        _settings = settings;
        Receive<Register>(_ => coordinator.Tell(new RegisterWorker(_id, _settings.Slots, _settings.ExperimentsId)));
        Receive<WorkerRefused>(r =>
        {
            Timers.Cancel("register");
            _log.Error("worker {0} refused by the coordinator: {1}", _id, r.Reason);
            Context.System.EventStream.Publish(r);
        });
        Receive<StudiesFinished>(f =>
        {
            Timers.Cancel("register");
            _log.Info("worker {0}: every study is finished", _id);
            Context.System.EventStream.Publish(f);
        });
        Receive<WorkerRegistered>(_ =>
        {
            if (_dispatcher is not null) return;
            Timers.Cancel("register");
            _dispatcher = Sender;
            Context.Watch(_dispatcher);
            _dispatcher.Tell(new RequestWork(_settings.Slots - _running.Count));
        });
        Receive<WorkOrder>(order =>
        {
            _log.Info("worker {0}: unit {1} (attempt {2}) started", _id, order.WorkId, order.Attempt);
            var child = Context.ActorOf(SamplerActor.Props(order, _settings, _threads), "unit-" + Sanitize(order.WorkId) + "-" + order.Attempt);
            Context.Watch(child);
            _running[child] = order;
        });
        Receive<WorkProgress>(p => _dispatcher?.Tell(p with { Worker = _id }));
        Receive<CancelWork>(c =>
        {
            foreach (var (child, order) in _running.Where(kv => kv.Value.WorkId == c.WorkId).ToList())
            {
                _log.Info("worker {0}: cancelling {1} ({2})", _id, c.WorkId, c.Reason);
                _reported.Add(order.WorkId); // the dispatcher already let it go: no result, just the slot back
                Context.Stop(child);
            }
        });
        Receive<RunFinished>(r => Report(r.WorkId, r));
        Receive<WorkFailed>(f => Report(f.WorkId, f));
        Receive<ReferenceFinished>(r => Report(r.WorkId, r));
        Receive<Terminated>(t =>
        {
            if (t.ActorRef.Equals(_dispatcher))
            {
                if (CoordinatedShutdown.Get(Context.System).ShutdownReason is not null) return; // the whole node is stopping
                _log.Warning("worker {0}: dispatcher lost; registering again", _id);
                _dispatcher = null;
                Timers.StartPeriodicTimer("register", Register.Instance, TimeSpan.Zero, TimeSpan.FromSeconds(2));
                return;
            }
            if (!_running.Remove(t.ActorRef, out var order)) return;
            if (!_reported.Remove(order.WorkId))
            {
                _dispatcher?.Tell(new WorkFailed(order.WorkId, "the sampler actor stopped without a result"));
            }
            _dispatcher?.Tell(new RequestWork(1));
        });
    }

    protected override void PreStart() => Timers.StartPeriodicTimer("register", Register.Instance, TimeSpan.Zero, TimeSpan.FromSeconds(2));

    // A sampler's exception fails its unit only; the worker keeps serving.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    private void Report(string workId, object result)
    {
        _log.Info("worker {0}: unit {1} ended ({2})", _id, workId, result.GetType().Name);
        _reported.Add(workId);
        _dispatcher?.Tell(result);
    }

    private static string Sanitize(string id) => new(id.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
}
