using System.Text.Json;
using Akka.Actor;
using Akka.Event;
using SamplerTune.Coordinator.Studies;
using SamplerTune.Messages.Coordination;
using SamplerTune.Messages.Work;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Reference;
using SamplerTune.Worker.Cluster;

namespace SamplerTune.Coordinator.Actors;

/// <summary>
/// The job's root (run as a cluster singleton, so the same code serves local and cluster mode). It owns the
/// <see cref="Dispatcher"/>, runs the reference stage (each problem's reference as one unit of work, so references
/// spread over workers) and starts a persistent <see cref="StudyActor"/> per (problem, method) once the problem's
/// reference is in place (or, when the plan allows a provisional reference, once the running reference has published its
/// first round; the studies re-score their trials as it grows). Workers register through it; it answers <see cref="GetStatus"/> for the live view. Once every
/// study is finished it tells the dispatcher, which tells the workers to leave.
/// </summary>
public sealed class CoordinatorActor : ReceiveActor, IWithTimers
{
    private const string ReferencePrefix = "reference-";
    private readonly JobPlan _plan;
    private readonly ExperimentsLayout _layout;
    private readonly ProblemStore _problems;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _dispatcher;
    private readonly HashSet<string> _referencesPending = new();
    private readonly Dictionary<string, string> _failedProblems = new();
    private readonly Dictionary<string, StudyStatus> _statuses = new();
    private Dispatcher.View _view = new([], 0, 0);
    private string? _failure;
    private bool _finishAnnounced;

    public ITimerScheduler Timers { get; set; } = null!;

    private sealed record CheckProvisionalReferences
    {
        public static readonly CheckProvisionalReferences Instance = new();
    }

    public static Props Props(JobPlan plan) => Akka.Actor.Props.Create(() => new CoordinatorActor(plan));

    public CoordinatorActor(JobPlan plan)
    {
        _plan = plan;
        _layout = new ExperimentsLayout(plan.ExperimentsRoot);
        _problems = new ProblemStore(_layout.Problems);
        _dispatcher = Context.ActorOf(Dispatcher.Props(plan.MaxConcurrentRuns, plan.RetryLimit, ExperimentsIdentity.Ensure(_layout)), "dispatcher");

        Receive<RegisterWorker>(r => _dispatcher.Forward(r));
        Receive<ReferenceFinished>(r =>
        {
            _referencesPending.Remove(r.Pid);
            _log.Info("reference of {0} ready: {1}", r.Pid, r.Summary);
            StartStudies(r.Pid);
            foreach (var def in _plan.Studies.Where(d => d.Pid == r.Pid))
                Context.Child(def.Name).Tell(StudyActor.CheckReference.Instance);
        });
        Receive<CheckProvisionalReferences>(_ =>
        {
            if (_referencesPending.Count == 0) Timers.Cancel("provisional");
            foreach (var pid in _referencesPending.Where(pid => ReferenceSummary.IsPublishedIn(_problems.GroundTruthDirectoryOf(pid))).ToList())
            {
                if (_plan.Studies.Where(d => d.Pid == pid).All(d => !Context.Child(d.Name).IsNobody())) continue;
                _log.Info("studies of {0} start on its provisional reference (the reference is still running)", pid);
                StartStudies(pid);
            }
        });
        Receive<WorkFailed>(f => f.WorkId.StartsWith(ReferencePrefix), f =>
        {
            var pid = f.WorkId[ReferencePrefix.Length..];
            _referencesPending.Remove(pid);
            _failedProblems[pid] = f.Reason;
            _log.Error("reference of {0} failed ({1}); its studies are skipped", pid, f.Reason);
        });
        Receive<WorkRequeued>(_ => { });
        Receive<StudyStatus>(s =>
        {
            _statuses[s.Study] = s;
            if (!_finishAnnounced && Status().AllFinished)
            {
                _finishAnnounced = true;
                _dispatcher.Tell(Dispatcher.AllFinished.Instance);
            }
        });
        Receive<StudyRecoveryFailed>(f => _failure = $"study {f.Study} could not be recovered: persistence id {f.PersistenceId}, sequence number {f.SequenceNr}: {f.Reason}");
        Receive<Dispatcher.View>(v => _view = v);
        Receive<GetStatus>(_ => Sender.Tell(Status()));
    }

    protected override void PreStart()
    {
        foreach (var (pid, hasReference) in _plan.Problems)
        {
            if (hasReference)
            {
                StartStudies(pid);
                continue;
            }
            _referencesPending.Add(pid);
            _dispatcher.Tell(new WorkOrder(ReferencePrefix + pid, WorkKind.Reference, pid, JsonSerializer.Serialize(_plan.Reference, ArtifactJson.Options), 0));
        }
        if (_plan.ProvisionalReference && _referencesPending.Count > 0)
            Timers.StartPeriodicTimer("provisional", CheckProvisionalReferences.Instance, TimeSpan.FromSeconds(1));
    }


    // A failed study recovery must not be retried silently with an empty state: stop that study for good.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    private void StartStudies(string pid)
    {
        foreach (var def in _plan.Studies.Where(d => d.Pid == pid))
        {
            if (!Context.Child(def.Name).IsNobody()) continue;
            var settings = new StudyActor.StudySettings(_layout.Runs, Path.Combine(_layout.Studies, def.Name), _plan.SnapshotEvery, _plan.CsvInterval,
                _problems.GroundTruthDirectoryOf(pid), TimeSpan.FromSeconds(_plan.ReferencePollSec));
            Context.ActorOf(StudyActor.Props(def, _dispatcher, Self, settings), def.Name);
            _statuses.TryAdd(def.Name, new StudyStatus(def.Name, def.Pid, def.Method, 0, 0, 0, def.TrialBudget, null, null, false));
        }
    }

    private CoordinatorStatus Status()
    {
        var live = _plan.Studies.Where(d => !_failedProblems.ContainsKey(d.Pid)).ToList();
        bool allFinished = _failure is null && _referencesPending.Count == 0
            && live.All(d => _statuses.TryGetValue(d.Name, out var s) && s.Finished);
        string stage = _failure is not null ? "failed: " + _failure
            : allFinished ? "finished"
            : _referencesPending.Count > 0 ? "references" : "studies";
        var studies = _plan.Studies.Select(d => _statuses.GetValueOrDefault(d.Name)
            ?? new StudyStatus(d.Name, d.Pid, d.Method, 0, 0, 0, d.TrialBudget, null, null, false)).ToList();
        return new CoordinatorStatus(stage, studies, _view.InFlight, _referencesPending.Count, _view.Workers, allFinished);
    }
}
