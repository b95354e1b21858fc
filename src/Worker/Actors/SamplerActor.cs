using System.Text.Json;
using Akka.Actor;
using Akka.Event;
using SamplerTune.Messages.Work;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Metrics;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Reference;
using SamplerTune.Samplers.Runs;
using SamplerTune.Worker.Methods;
using SamplerTune.Worker.Runs;

namespace SamplerTune.Worker.Actors;

/// <summary>
/// One unit of work under wall-time supervision. The work (MethodRunner.Run, or ReferenceRunner.Run) runs on a run
/// dedicated thread with a cancellation token; a timer cancels it once its budget plus a slack has passed, and if it
/// has not returned a grace period later the run is scored from its last checkpoint (metrics.partial.json) and the
/// thread abandoned. Progress is forwarded about once a second. Stopping the actor (shutdown) cancels the work and
/// waits briefly so the run writes its checkpoint.
/// </summary>
public sealed class SamplerActor : ReceiveActor
{
    private readonly WorkOrder _order;
    private readonly WorkerSettings _settings;
    private readonly RunThreads _threads;
    private readonly ExperimentsLayout _layout;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _cancel = new();
    private readonly ManualResetEventSlim _returned = new();
    private ICancelable? _budgetTimer;
    private bool _reported;

    private sealed record Result(object Message);

    private sealed record BudgetExpired
    {
        public static readonly BudgetExpired Instance = new();
    }

    private sealed record GraceExpired
    {
        public static readonly GraceExpired Instance = new();
    }

    public static Props Props(WorkOrder order, WorkerSettings settings, RunThreads threads) =>
        Akka.Actor.Props.Create(() => new SamplerActor(order, settings, threads));

    public SamplerActor(WorkOrder order, WorkerSettings settings, RunThreads threads)
    {
        _threads = threads;
        _order = order;
        _settings = settings;
        _layout = new ExperimentsLayout(settings.ExperimentsRoot);
        Receive<Result>(r => Report(r.Message));
        Receive<WorkProgress>(p => Context.Parent.Tell(p));
        Receive<BudgetExpired>(_ =>
        {
            _log.Warning("{0}: wall-time budget passed; cancelling", _order.WorkId);
            _reachedBudget = true;
            _cancel.Cancel();
            Context.System.Scheduler.ScheduleTellOnce(_settings.GracePeriod, Self, GraceExpired.Instance, Self);
        });
        Receive<GraceExpired>(_ => { if (!_reported) Report(ScoreFromCheckpoint()); });
    }

    protected override void PreStart()
    {
        var self = Self;
        double budgetSec;
        Func<object> work;
        if (_order.Kind == WorkKind.Run)
        {
            var manifest = JsonSerializer.Deserialize<RunManifest>(_order.PayloadJson!, ArtifactJson.Options)!;
            budgetSec = manifest.BudgetSec;
            work = () => RunMethod(manifest, self);
        }
        else
        {
            var settings = JsonSerializer.Deserialize<ReferenceSettings>(_order.PayloadJson!, ArtifactJson.Options)!;
            budgetSec = settings.MaxSeconds;
            work = RunReference;
        }
        var returned = _returned;
        _threads.Start(() =>
        {
            object message;
            try { message = work(); }
            catch (OperationCanceledException) { message = new WorkFailed(_order.WorkId, "interrupted"); }
            catch (Exception e) { message = new WorkFailed(_order.WorkId, $"{e.GetType().Name}: {e.Message}"); }
            returned.Set();
            self.Tell(new Result(message));
        });
        _budgetTimer = Context.System.Scheduler.ScheduleTellOnceCancelable(TimeSpan.FromSeconds(budgetSec) + _settings.BudgetSlack, Self, BudgetExpired.Instance, Self);
    }

    private object RunMethod(RunManifest manifest, IActorRef self)
    {
        var method = MethodCatalog.Find(manifest.Method) ?? throw new SpecError($"unknown method '{manifest.Method}'");
        var dir = RunDirectory.Under(_layout.Runs, manifest.Rid);
        if (dir.IsFinished) return RunReports.Finished(ArtifactJson.Read<RunMetrics>(dir.Metrics), reused: true);
        var problem = StoredProblems.Get(_layout.Problems, manifest.Pid);
        var distance = ReferenceDistances.For(problem.GroundTruthDirectory, manifest.Objective);
        var progress = new ThrottledProgress(_settings.ProgressInterval, p =>
            self.Tell(new WorkProgress(_order.WorkId, "", p.ElapsedSec, p.BudgetSec, p.ProvisionalObjective)));
        var outcome = MethodRunner.Run(method, manifest, problem.Build(), distance, dir, _cancel.Token, progress);
        if (outcome.Metrics is null && _reachedBudget)
            // Cancelled at its budget: resuming from the checkpoint finds the budget spent and scores the draws.
            outcome = MethodRunner.Run(method, manifest, problem.Build(), distance, dir, CancellationToken.None, null);
        return outcome.Metrics is { } m ? RunReports.Finished(m, outcome.Reused) : new WorkFailed(_order.WorkId, "interrupted; checkpoint written");
    }

    private volatile bool _reachedBudget;

    private object RunReference()
    {
        var settings = JsonSerializer.Deserialize<ReferenceSettings>(_order.PayloadJson!, ArtifactJson.Options)!;
        var problem = StoredProblems.Get(_layout.Problems, _order.Pid);
        var s = ReferenceRunner.Run(problem, settings, null, _cancel.Token);
        return new ReferenceFinished(_order.WorkId, _order.Pid,
            $"{s.Source} v{s.Version}, {s.Chains}x{s.DrawsPerChain} draws, min ESS {s.MinEssBulk:0}, max R-hat {s.MaxRhat:0.000}, converged {(s.Converged ? "yes" : "no")}");
    }

    /// <summary>The run did not return within the grace period: metrics.json from its last provisional metrics, if any.</summary>
    private object ScoreFromCheckpoint()
    {
        if (_order.Kind != WorkKind.Run)
            return new WorkFailed(_order.WorkId, "the reference did not stop within the grace period after its time limit");
        var dir = RunDirectory.Under(_layout.Runs, _order.WorkId);
        if (!File.Exists(dir.PartialMetrics))
            return new WorkFailed(_order.WorkId, "the run passed its wall-time budget, did not stop, and left no checkpoint to score");
        var partial = ArtifactJson.Read<RunMetrics>(dir.PartialMetrics);
        var metrics = partial with
        {
            Status = RunStatus.BudgetExhausted, Provisional = false,
            Reason = "did not stop within the grace period after its budget; scored from its last checkpoint",
        };
        ArtifactJson.Write(dir.Metrics, metrics);
        dir.AppendLog("scored from the last checkpoint by the worker: " + metrics.Reason);
        return RunReports.Finished(metrics, reused: false);
    }

    private void Report(object message)
    {
        if (_reported) return;
        _reported = true;
        Context.Parent.Tell(message);
        Context.Stop(Self);
    }

    protected override void PostStop()
    {
        _cancel.Cancel();
        _budgetTimer?.Cancel(); // a finished run's budget timer would otherwise wait out the whole budget
        if (!_reported) _returned.Wait(_settings.ShutdownWait);
    }

    /// <summary>Forwards a run's progress at most once per interval (the harness reports after every slice).</summary>
    private sealed class ThrottledProgress(TimeSpan interval, Action<RunProgress> forward) : IProgress<RunProgress>
    {
        private DateTime _last = DateTime.MinValue;

        public void Report(RunProgress value)
        {
            if (DateTime.UtcNow - _last < interval && !value.CheckpointWritten) return;
            _last = DateTime.UtcNow;
            forward(value);
        }
    }
}
