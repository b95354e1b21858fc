using Akka.Actor;
using Akka.Event;
using SamplerTune.Messages.Work;

namespace SamplerTune.Coordinator.Actors;

/// <summary>
/// Hands units of work to workers by work pulling: a worker registers, then asks for one unit per free slot; the
/// dispatcher sends queued units to workers with outstanding demand (at most <c>maxConcurrent</c> in flight, 0 = no
/// limit). It death-watches workers: a dead worker's units are queued again (up to the retry limit; a rerun resumes
/// from the run's checkpoint) and their owners told. Results go to the unit's owner, which tells exactly once; a result
/// from a worker that no longer holds the unit (it was re-queued after that worker was lost) is dropped with a log line.
/// Workers whose experiments folder is not the coordinator's are refused; once every study is finished, workers are
/// told to leave.
/// </summary>
public sealed class Dispatcher : ReceiveActor
{
    private readonly int _maxConcurrent, _retryLimit;
    private readonly string _experimentsId;
    private bool _finished;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly LinkedList<WorkOrder> _queue = new();
    private readonly Dictionary<string, IActorRef> _owners = new();
    private readonly Dictionary<string, (WorkOrder Order, IActorRef Worker)> _inFlight = new();
    private readonly Dictionary<IActorRef, (string Id, int Slots, int Demand)> _workers = new();
    private readonly Dictionary<string, WorkProgress> _progress = new();

    /// <summary>What the dispatcher is doing, pushed to its parent for the status view (local only, never serialized).</summary>
    public sealed record View(IReadOnlyList<WorkProgress> InFlight, int Queued, int Workers);

    private sealed record PushView
    {
        public static readonly PushView Instance = new();
    }

    /// <summary>From the coordinator: every study is finished, so registered and future workers are told to leave.</summary>
    public sealed record AllFinished
    {
        public static readonly AllFinished Instance = new();
    }

    /// <summary>Asks for the units in flight (answered with a list of <see cref="ActiveUnit"/>; local only, for inspect).</summary>
    public sealed record GetActive
    {
        public static readonly GetActive Instance = new();
    }

    public sealed record ActiveUnit(string WorkId, string Worker, string Method, double ElapsedSec, double BudgetSec, double? ProvisionalObjective);

    public static Props Props(int maxConcurrent, int retryLimit, string experimentsId) =>
        Akka.Actor.Props.Create(() => new Dispatcher(maxConcurrent, retryLimit, experimentsId));

    public Dispatcher(int maxConcurrent, int retryLimit, string experimentsId)
    {
        _maxConcurrent = maxConcurrent;
        _retryLimit = retryLimit;
        _experimentsId = experimentsId;
        Receive<WorkOrder>(Submit);
        Receive<RegisterWorker>(r =>
        {
            if (r.ExperimentsId != _experimentsId)
            {
                _log.Warning("worker {0} at {1} refused: its experiments folder (id {2}) is not this coordinator's (id {3})",
                    r.WorkerId, Sender.Path.Address, r.ExperimentsId ?? "none", _experimentsId);
                Sender.Tell(new WorkerRefused(r.WorkerId,
                    $"its experiments folder (id {r.ExperimentsId ?? "none"}) is not the coordinator's (id {_experimentsId}); give the worker the coordinator's experiments folder"));
                return;
            }
            if (_finished)
            {
                Sender.Tell(StudiesFinished.Instance);
                return;
            }
            if (!_workers.ContainsKey(Sender)) _log.Info("worker {0} registered with {1} slots from {2}", r.WorkerId, r.Slots, Sender.Path.Address);
            Context.Watch(Sender);
            _workers[Sender] = (r.WorkerId, r.Slots, _workers.TryGetValue(Sender, out var w) ? w.Demand : 0);
            Sender.Tell(new WorkerRegistered(r.WorkerId));
        });
        Receive<RequestWork>(r =>
        {
            if (!_workers.TryGetValue(Sender, out var w)) return; // not registered (yet): it registers again
            _workers[Sender] = w with { Demand = w.Demand + r.FreeSlots };
            Distribute();
        });
        Receive<WorkProgress>(p =>
        {
            if (!_inFlight.TryGetValue(p.WorkId, out var unit)) return;
            _progress[p.WorkId] = p;
            if (unit.Order.Kind == WorkKind.Run && _owners.TryGetValue(p.WorkId, out var owner)) owner.Tell(p, Self); // for its pruner
        });
        Receive<CancelWork>(Cancel);
        Receive<RunFinished>(r => Completed(r.WorkId, r));
        Receive<WorkFailed>(f => Completed(f.WorkId, f));
        Receive<ReferenceFinished>(r => Completed(r.WorkId, r));
        Receive<Terminated>(t => WorkerLost(t.ActorRef));
        Receive<AllFinished>(_ =>
        {
            if (_finished) return;
            _finished = true;
            _log.Info("every study is finished; telling {0} workers to leave", _workers.Count);
            foreach (var w in _workers.Keys) w.Tell(StudiesFinished.Instance);
        });
        Receive<GetActive>(_ => Sender.Tell(_inFlight.Select(kv =>
        {
            var p = _progress.GetValueOrDefault(kv.Key);
            var worker = _workers.TryGetValue(kv.Value.Worker, out var w) ? w.Id : kv.Value.Worker.Path.Name;
            return new ActiveUnit(kv.Key, worker, MethodOf(kv.Value.Order), p?.ElapsedSec ?? 0, p?.BudgetSec ?? 0, p?.ProvisionalObjective);
        }).OrderBy(u => u.WorkId, StringComparer.Ordinal).ToList()));
        Receive<PushView>(_ => Context.Parent.Tell(new View(
            _inFlight.Keys.Select(id => _progress.GetValueOrDefault(id) ?? new WorkProgress(id, _inFlight[id].Worker.Path.Name, 0, 0, null)).ToList(),
            _queue.Count, _workers.Count)));
        Context.System.Scheduler.ScheduleTellRepeatedly(TimeSpan.Zero, TimeSpan.FromMilliseconds(250), Self, PushView.Instance, Self);
    }

    private void Submit(WorkOrder order)
    {
        _owners[order.WorkId] = Sender;
        if (_inFlight.ContainsKey(order.WorkId) || _queue.Any(o => o.WorkId == order.WorkId)) return; // already on its way
        // References first: every study of a problem waits for its reference.
        if (order.Kind == WorkKind.Reference) _queue.AddFirst(order);
        else _queue.AddLast(order);
        Distribute();
    }

    private void Completed(string workId, object result)
    {
        if (!_inFlight.TryGetValue(workId, out var holder) || !holder.Worker.Equals(Sender))
        {
            string now = holder.Worker is { } w ? $"now held by {_workers.GetValueOrDefault(w).Id ?? w.Path.ToString()} as attempt {holder.Order.Attempt}"
                : _queue.Any(o => o.WorkId == workId) ? "now queued again" : "no longer in flight";
            _log.Warning("dropped a late result for work {0} from {1}: the unit was re-queued ({2})", workId, Sender.Path, now);
            return;
        }
        _inFlight.Remove(workId);
        _progress.Remove(workId);
        if (_owners.TryGetValue(workId, out var owner)) owner.Tell(result, Self);
        else _log.Warning("result for unknown work {0} dropped", workId);
    }

    /// <summary>Drops a queued unit, or takes an in-flight one back from its worker; either way its slot is free at once.</summary>
    private void Cancel(CancelWork c)
    {
        var queued = _queue.FirstOrDefault(o => o.WorkId == c.WorkId);
        if (queued is not null) _queue.Remove(queued);
        if (_inFlight.Remove(c.WorkId, out var unit))
        {
            _progress.Remove(c.WorkId);
            unit.Worker.Tell(c, Self);
        }
        Distribute();
    }

    private void WorkerLost(IActorRef worker)
    {
        if (!_workers.Remove(worker, out var info)) return;
        foreach (var (id, (order, _)) in _inFlight.Where(kv => kv.Value.Worker.Equals(worker)).ToList())
        {
            _inFlight.Remove(id);
            _progress.Remove(id);
            var owner = _owners[id];
            int attempt = order.Attempt + 1;
            if (attempt > _retryLimit)
            {
                _log.Warning("work {0}: worker {1} lost; retry limit {2} reached, giving up", id, info.Id, _retryLimit);
                owner.Tell(new WorkFailed(id, $"worker {info.Id} lost and the retry limit ({_retryLimit}) was reached"), Self);
                continue;
            }
            _log.Warning("work {0}: worker {1} lost; queued again as attempt {2}", id, info.Id, attempt);
            owner.Tell(new WorkRequeued(id, attempt, $"worker {info.Id} lost"), Self);
            _queue.AddFirst(order with { Attempt = attempt });
        }
        Distribute();
    }

    private static string MethodOf(WorkOrder order)
    {
        if (order.Kind == WorkKind.Reference) return "reference";
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(order.PayloadJson ?? "{}");
            return doc.RootElement.TryGetProperty("method", out var m) ? m.GetString() ?? "?" : "?";
        }
        catch (System.Text.Json.JsonException) { return "?"; }
    }

    private void Distribute()
    {
        while (_queue.Count > 0 && (_maxConcurrent <= 0 || _inFlight.Count < _maxConcurrent))
        {
            var worker = _workers.Where(kv => kv.Value.Demand > 0)
                .OrderBy(kv => _inFlight.Values.Count(v => v.Worker.Equals(kv.Key))).Select(kv => kv.Key).FirstOrDefault();
            if (worker is null) return;
            var order = _queue.First!.Value;
            _queue.RemoveFirst();
            var w = _workers[worker];
            _workers[worker] = w with { Demand = w.Demand - 1 };
            _inFlight[order.WorkId] = (order, worker);
            worker.Tell(order, Self);
        }
    }
}
