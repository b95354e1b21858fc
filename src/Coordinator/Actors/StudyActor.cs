using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using SamplerTune.Coordinator.Optimization;
using SamplerTune.Coordinator.Pruning;
using SamplerTune.Coordinator.Rescoring;
using SamplerTune.Coordinator.Studies;
using SamplerTune.Messages.Coordination;
using SamplerTune.Messages.Studies;
using SamplerTune.Messages.Work;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Reference;
using SamplerTune.Samplers.Runs;
using SamplerTune.Worker.Runs;

namespace SamplerTune.Coordinator.Actors;

/// <summary>
/// One (problem, method) study, persisted as events (persistence id <c>study-&lt;name&gt;</c>). It keeps
/// <c>batch</c> trials in flight: asks the optimizer (a pure function of the replayed history), persists TrialAsked,
/// hands the runs to the dispatcher, tells each result exactly once and asks again, until the trial budget is spent.
/// After a restart it re-dispatches its pending trials; those whose run finished while it was down are told from
/// their metrics.json. It watches its problem's reference: when summary.json's version goes up (the reference was
/// extended, or a provisional reference grew), completed trials are re-scored from their stored draws off the actor
/// thread and the new objectives are persisted as TrialRescored, so the optimizer uses them from then on.
/// </summary>
public sealed class StudyActor : ReceivePersistentActor, IWithTimers
{
    private readonly StudyDefinition _def;
    private readonly IActorRef _dispatcher;
    private readonly IActorRef _coordinator;
    private readonly StudySettings _settings;
    private readonly ISampler _sampler;
    private readonly PruningMonitor? _pruning;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private StudyState _state = StudyState.Empty;
    private long _eventsSinceSnapshot;
    private bool _csvDirty, _rescoring;
    private int _referenceVersion, _unscorableVersion;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Asks for the study's trials (answered with its <see cref="StudyState"/>; local only, for inspect).</summary>
    public sealed record GetTrials
    {
        public static readonly GetTrials Instance = new();
    }

    /// <summary>Checks the problem's reference version now (sent by the coordinator when a reference finishes).</summary>
    public sealed record CheckReference
    {
        public static readonly CheckReference Instance = new();
    }

    /// <param name="GroundTruthDirectory">The problem's reference folder; null: the study does not watch its reference.</param>
    /// <param name="ReferencePoll">How often summary.json's version is read; zero: only when told <see cref="CheckReference"/>.</param>
    public sealed record StudySettings(string RunsRoot, string StudyDirectory, int SnapshotEvery, TimeSpan CsvInterval,
        string? GroundTruthDirectory = null, TimeSpan ReferencePoll = default);

    private sealed record Rescored(IReadOnlyList<Rescore> Results);

    private sealed record RescoreFailed(Exception Cause);

    private sealed record FlushFiles
    {
        public static readonly FlushFiles Instance = new();
    }

    /// <summary>Writes the results gathered since the last write, with the trials they free, in one journal write.</summary>
    private sealed record WriteTells
    {
        public static readonly WriteTells Instance = new();
    }

    /// <summary>Results received and not yet written, in arrival order: each is the event for its run's pending trial.</summary>
    private readonly List<(string Rid, Func<TrialSnapshot, IStudyEvent> ToEvent)> _tells = new();
    private bool _writeQueued;

    public static Props Props(StudyDefinition def, IActorRef dispatcher, IActorRef coordinator, StudySettings settings) =>
        Akka.Actor.Props.Create(() => new StudyActor(def, dispatcher, coordinator, settings));

    public StudyActor(StudyDefinition def, IActorRef dispatcher, IActorRef coordinator, StudySettings settings)
    {
        _def = def;
        _dispatcher = dispatcher;
        _coordinator = coordinator;
        _settings = settings;
        _sampler = SamplerCatalog.Create(def.Sampler);
        _pruning = def.Pruner?.Create() is { } pruner ? new PruningMonitor(pruner) : null;

        Recover<SnapshotOffer>(offer => _state = _state.Apply((StudySnapshot)offer.Snapshot));
        Recover<IStudyEvent>(e => _state = _state.Apply(e));
        Recover<RecoveryCompleted>(_ => Self.Tell(Recovered.Instance));

        Command<Recovered>(_ => Start());
        Command<RunFinished>(OnRunFinished);
        Command<WorkProgress>(OnProgress);
        Command<WorkFailed>(f => Tell(f.WorkId, t => new TrialFailed(t.Number, f.Reason, t.Attempt, DateTimeOffset.UtcNow)));
        Command<WorkRequeued>(OnRequeued);
        Command<WriteTells>(_ => { _writeQueued = false; WriteTellsAndAsk(); });
        Command<FlushFiles>(_ => WriteFiles());
        Command<GetStatus>(_ => Sender.Tell(Status()));
        Command<GetTrials>(_ => Sender.Tell(_state));
        Command<CheckReference>(_ => StartRescoring());
        Command<Rescored>(OnRescored);
        Command<RescoreFailed>(f =>
        {
            _rescoring = false;
            _unscorableVersion = _referenceVersion;
            _log.Error("study {0}: re-scoring against reference v{1} failed ({2}); trying again at the next check", _def.Name, _referenceVersion,
                f.Cause.GetBaseException().Message);
            Publish();
        });
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning("study {0}: snapshot failed: {1}", _def.Name, f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    private sealed record Recovered
    {
        public static readonly Recovered Instance = new();
    }

    public override string PersistenceId => _def.PersistenceId;

    /// <summary>
    /// Fails fast and loudly: the event after the last one recovered is the one that could not be read (events replay
    /// in order), so the error names this study's persistence id and that sequence number.
    /// </summary>
    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        long seqNr = LastSequenceNr + 1;
        var chain = new List<string>();
        for (var e = reason; e is not null; e = e.InnerException) chain.Add(e.Message);
        var why = string.Join(" <- ", chain.Distinct());
        _log.Error(reason, "study {0}: recovery failed at persistence id {1}, sequence number {2}: {3}", _def.Name, PersistenceId, seqNr, why);
        _coordinator.Tell(new StudyRecoveryFailed(_def.Name, PersistenceId, seqNr, why));
        base.OnRecoveryFailure(reason, message);
    }

    private void Start()
    {
        if (_settings.GroundTruthDirectory is not null && _settings.ReferencePoll > TimeSpan.Zero)
            Timers.StartPeriodicTimer("reference", CheckReference.Instance, TimeSpan.Zero, _settings.ReferencePoll);
        RestoreCurves();
        if (_state.Created is null)
        {
            var created = new StudyCreated(_def.Name, _def.Pid, _def.Family, _def.Method, _def.Sampler, _def.Seed, _def.TrialBudget, DateTimeOffset.UtcNow);
            Persist(created, e => { Applied(e); WriteTellsAndAsk(); });
            return;
        }
        if (_state.Created.TrialBudget != _def.TrialBudget)
        {
            // Started again with another --trials: journal the new budget so 'status' and reports show it.
            Persist(new TrialBudgetChanged(_def.TrialBudget, DateTimeOffset.UtcNow), e => { Applied(e); Resume(); });
            return;
        }
        Resume();
    }

    private void Resume()
    {
        foreach (var t in _state.Trials.Where(t => t.State == StudyState.Pending))
            Dispatch(t);
        WriteTellsAndAsk();
    }

    /// <summary>The pruner's view survives restarts: every told or running trial's curve is read back from its run folder.</summary>
    private void RestoreCurves()
    {
        if (_pruning is null) return;
        foreach (var t in _state.Trials.Where(t => t.State != StudyState.Failed))
            _pruning.Restore(t.Number, t.State == StudyState.Complete, RunDirectory.Under(_settings.RunsRoot, t.Rid).ReadProvisional());
    }

    /// <summary>A pending trial whose run already finished on disk is told from metrics.json; the rest go to the dispatcher.</summary>
    private void Dispatch(TrialSnapshot t)
    {
        var dir = RunDirectory.Under(_settings.RunsRoot, t.Rid);
        if (dir.IsFinished)
        {
            Self.Tell(RunReports.Finished(ArtifactJson.Read<RunMetrics>(dir.Metrics), reused: true));
            return;
        }
        _dispatcher.Tell(new WorkOrder(t.Rid, WorkKind.Run, _def.Pid, t.ManifestJson, t.Attempt));
    }

    /// <summary>
    /// One journal write for the results gathered so far and the trials they free: the tells are applied to a copy of
    /// the state, the optimizer asks against that copy (exactly the history a replay has when it reaches these asks), and
    /// tells and asks are persisted together. While the write is in flight the actor stashes; the results stashed meanwhile
    /// are gathered on unstashing and go into the next write, so a busy study writes once per group, not twice per trial.
    /// </summary>
    private void WriteTellsAndAsk()
    {
        var state = _state;
        var events = new List<IStudyEvent>();
        foreach (var (rid, toEvent) in _tells)
        {
            if (state.PendingByRid(rid) is not { } trial)
            {
                DroppedResult(rid);
                continue;
            }
            var e = toEvent(trial);
            events.Add(e);
            state = state.Apply(e);
        }
        _tells.Clear();
        int n = TrialPlanner.ToAsk(_def, state);
        var asked = TrialPlanner.Ask(_def, state, n, _sampler);
        events.AddRange(asked);
        if (n > 0 && asked.Count == 0)
        {
            // Every configuration of a finite space was tried: the study ends with the trials it has instead of
            // asking forever. Journaled as the new budget, so status, reports and a restart all see the end.
            _log.Warning("study {0}: the search space is exhausted after {1} trials (every configuration tried); the study ends at {1} of {2}",
                _def.Name, state.Asked, state.Created!.TrialBudget);
            events.Add(new TrialBudgetChanged(state.Asked, DateTimeOffset.UtcNow));
        }
        if (events.Count == 0)
        {
            Publish();
            return;
        }
        var refused = asked.OfType<TrialFailed>().Select(f => f.Number).ToHashSet();
        foreach (var f in asked.OfType<TrialFailed>()) _log.Warning("study {0}: trial {1} failed before its run: {2}", _def.Name, f.Number, f.Reason);
        int left = events.Count;
        PersistAll(events, e =>
        {
            Applied(e);
            if (e is TrialAsked a && !refused.Contains(a.Number)) Dispatch(_state.Trials[a.Number]);
            if (--left > 0) return;
            if (refused.Count > 0) WriteTellsAndAsk(); // the failed trials freed their places in the batch
            else Publish();
        });
    }

    private void OnRunFinished(RunFinished r) =>
        Tell(r.WorkId, t => r.RunStatus == "failed"
            ? new TrialFailed(t.Number, r.Reason ?? "run failed", t.Attempt, DateTimeOffset.UtcNow)
            : new TrialCompleted(t.Number, r.Rid, r.Objective, r.RunStatus, r.Summary, DateTimeOffset.UtcNow, r.ReferenceVersion));

    /// <summary>
    /// A run's provisional objective goes to the pruner; a hopeless run is recorded as TrialPruned with that value, its
    /// unit cancelled (the dispatcher frees the slot at once) and the next trial asked. Its late result, if any, is dropped.
    /// </summary>
    private void OnProgress(WorkProgress p)
    {
        if (_pruning is null || _state.PendingByRid(p.WorkId) is not { } trial || Gathered(p.WorkId)) return;
        if (!_pruning.Report(trial.Number, p.ElapsedSec, p.BudgetSec, p.ProvisionalObjective)) return;
        _log.Info("study {0}: pruning trial {1} (run {2}) at {3:0.##} of its budget, provisional objective {4:G4}",
            _def.Name, trial.Number, trial.Rid, p.ElapsedSec / p.BudgetSec, p.ProvisionalObjective);
        Persist(new TrialPruned(trial.Number, p.ProvisionalObjective), e =>
        {
            Applied(e);
            _dispatcher.Tell(new CancelWork(trial.Rid, $"trial {trial.Number} of {_def.Name} pruned"));
            WriteTellsAndAsk();
        });
    }

    /// <summary>
    /// Gathers the final event for the pending trial of run <paramref name="rid"/> for the next write; a result for a
    /// trial already told, or already gathered, is logged and dropped.
    /// </summary>
    private void Tell(string rid, Func<TrialSnapshot, IStudyEvent> toEvent)
    {
        if (_state.PendingByRid(rid) is null || Gathered(rid))
        {
            DroppedResult(rid);
            return;
        }
        _tells.Add((rid, toEvent));
        if (_writeQueued) return;
        _writeQueued = true;
        Self.Tell(WriteTells.Instance); // behind the results already in the mailbox, so they join this write
    }

    private bool Gathered(string rid) => _tells.Exists(t => t.Rid == rid);

    private void DroppedResult(string rid) =>
        _log.Warning("study {0}: dropped a late or duplicate result for run {1} (its trial was already told or is unknown)", _def.Name, rid);

    /// <summary>A requeue keeps the trial pending, so it is written at once; moot when the run's result is already gathered.</summary>
    private void OnRequeued(WorkRequeued r)
    {
        if (_state.PendingByRid(r.WorkId) is not { } trial || Gathered(r.WorkId))
        {
            DroppedResult(r.WorkId);
            return;
        }
        Persist(new TrialRequeued(trial.Number, r.Attempt, r.Reason), e =>
        {
            Applied(e);
            Publish();
        });
    }

    /// <summary>
    /// Reads the reference's version; when completed trials were scored against an older one, re-scores them on the
    /// thread pool (loading a reference and measuring many runs' draws would block the actor for seconds).
    /// </summary>
    private void StartRescoring()
    {
        if (_rescoring || _settings.GroundTruthDirectory is null) return;
        ReferenceSummary? summary;
        try { summary = ReferenceSummary.TryRead(_settings.GroundTruthDirectory); }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
        {
            _log.Warning("study {0}: cannot read the reference summary in {1}: {2}", _def.Name, _settings.GroundTruthDirectory, e.Message);
            return;
        }
        if (summary is null) return;
        _referenceVersion = Math.Max(_referenceVersion, summary.Version);
        if (!_state.HasTrialsScoredBefore(_referenceVersion))
        {
            Publish(); // the coordinator may be waiting for this study to settle on the final reference
            return;
        }
        _rescoring = true;
        Publish();
        var (state, runs, groundTruth, objective) = (_state, _settings.RunsRoot, _settings.GroundTruthDirectory!, _def.Objective);
        Task.Run(() => Rescorer.Rescore(state, runs, ReferenceDistances.For(groundTruth, objective)))
            .PipeTo(Self, success: r => new Rescored(r), failure: e => new RescoreFailed(e));
    }

    private void OnRescored(Rescored r)
    {
        _rescoring = false;
        var events = r.Results.Where(x => _state.Trials[x.Number] is { State: StudyState.Complete } t && t.ReferenceVersion < x.ToVersion)
            .Select(x => new TrialRescored(x.Number, x.ToVersion, x.Objective, x.Stale, x.Reason)).ToList();
        if (events.Count == 0)
        {
            Publish();
            return;
        }
        int version = events.Max(e => e.ReferenceVersion), left = events.Count;
        PersistAll(events, e =>
        {
            Applied(e);
            if (--left > 0) return;
            _log.Info("study {0}: {1} trials re-scored against reference v{2} ({3} stale: no stored draws); best objective now {4:G4}",
                _def.Name, events.Count, version, events.Count(x => x.Stale), _state.Best?.Objective);
            Publish();
            Self.Tell(CheckReference.Instance); // trials told meanwhile, or a reference extended again
        });
    }

    private void Applied(IStudyEvent e)
    {
        _state = _state.Apply(e);
        if (e is TrialCompleted c)
        {
            _pruning?.Completed(c.Number);
            if (c.ReferenceVersion < _referenceVersion) Self.Tell(CheckReference.Instance);
        }
        _csvDirty = true;
        if (++_eventsSinceSnapshot >= _settings.SnapshotEvery)
        {
            SaveSnapshot(_state.ToSnapshot());
            _eventsSinceSnapshot = 0;
        }
    }

    private void Publish()
    {
        var status = Status();
        if (status.Finished) WriteFiles();
        else if (_csvDirty && !Timers.IsTimerActive("flush"))
            Timers.StartSingleTimer("flush", FlushFiles.Instance, _settings.CsvInterval);
        _coordinator.Tell(status);
    }

    private void WriteFiles()
    {
        if (!_csvDirty) return;
        TrialsCsv.Write(_state, _settings.StudyDirectory);
        _csvDirty = false;
    }

    private StudyStatus Status()
    {
        var best = _state.Best;
        // Not finished while its trials still have to be re-scored against a newer reference (unless that failed).
        bool settled = !_rescoring && (!_state.HasTrialsScoredBefore(_referenceVersion) || _unscorableVersion == _referenceVersion);
        int budget = _state.TrialBudgetOr(_def.TrialBudget);
        return new StudyStatus(_def.Name, _def.Pid, _def.Method, _state.DoneCount, _state.FailedCount, _state.PendingCount, budget,
            best?.Objective, best?.Number, _state.FinishedAt(budget) && settled);
    }

    protected override void PostStop()
    {
        if (_state.Created is not null) WriteFiles();
        base.PostStop();
    }
}
