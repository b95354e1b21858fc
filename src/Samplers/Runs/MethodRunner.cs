using System.Diagnostics;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Diagnostics;
using SamplerTune.Samplers.Methods;
using SamplerTune.Samplers.Metrics;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Samplers.Runs;

/// <summary>
/// Runs one manifest to its end under its budgets, with checkpoints (issue 4, part 2). Akka-free: the worker's
/// actor and the <c>sample</c> command both call this. The method is advanced in slices of gradient evaluations
/// sized to take about <see cref="SliceSeconds"/>, so the wall-clock budget, the gradient budget, cancellation and
/// the checkpoint interval are all checked at least that often. The wall clock is accumulated across resumes
/// (stored in the checkpoint), so killing and resuming never extends a budget.
/// </summary>
public static class MethodRunner
{
    public const double SliceSeconds = 0.1;
    private const long FirstSlice = 64;

    /// <summary>Finds the method by its manifest name in <see cref="SamplingMethods"/> and runs it.</summary>
    public static RunOutcome Run(RunManifest manifest, IPosterior posterior, ReferenceDistance distance, RunDirectory dir,
        CancellationToken cancellationToken = default, IProgress<RunProgress>? progress = null)
    {
        var method = SamplingMethods.Find(manifest.Method)
            ?? throw new SpecError($"unknown method '{manifest.Method}' (allowed: {SamplingMethods.Names})");
        return Run(method, manifest, posterior, distance, dir, cancellationToken, progress);
    }

    /// <summary>
    /// Runs <paramref name="manifest"/> with <paramref name="method"/>: reuses a finished run (metrics.json), resumes
    /// from checkpoint.json when there is one, otherwise starts. Returns with null metrics only when cancelled, after
    /// writing a checkpoint. A method that throws ends the run with status failed (and the penalty objective), never
    /// with an exception out of here.
    /// </summary>
    public static RunOutcome Run(ISamplingMethod method, RunManifest manifest, IPosterior posterior, ReferenceDistance distance, RunDirectory dir,
        CancellationToken cancellationToken = default, IProgress<RunProgress>? progress = null)
    {
        if (method.Name != manifest.Method) throw new ArgumentException($"manifest is for {manifest.Method}, not {method.Name}");
        string rid = manifest.Rid;
        if (dir.IsFinished) return new RunOutcome(rid, ArtifactJson.Read<RunMetrics>(dir.Metrics), Reused: true);
        if (!File.Exists(dir.Manifest)) ArtifactJson.Write(dir.Manifest, manifest);

        var session = new Session(method, manifest, rid, posterior, distance, dir, progress);
        try
        {
            session.StartOrResume();
            return session.Loop(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            dir.AppendLog($"failed: {e}");
            return new RunOutcome(rid, session.Finish(RunStatus.Failed, $"{e.GetType().Name}: {e.Message}"), Reused: false);
        }
    }

    /// <summary>One process's part of a run: the state between slices.</summary>
    private sealed class Session(ISamplingMethod method, RunManifest manifest, string rid, IPosterior posterior, ReferenceDistance distance,
        RunDirectory dir, IProgress<RunProgress>? progress)
    {
        private readonly Stopwatch _clock = new();
        private IMethodRun? _run;
        private double _elapsedBefore;
        private int _sessions = 1;
        private long? _resumedFrom;
        private double? _provisionalObjective;

        private double Elapsed => _elapsedBefore + _clock.Elapsed.TotalSeconds;

        public void StartOrResume()
        {
            _clock.Start();
            var hyperparameters = manifest.HyperparametersFor(method);
            var checkpoint = File.Exists(dir.Checkpoint) ? ArtifactJson.Read<RunCheckpoint>(dir.Checkpoint) : null;
            if (checkpoint is not null && checkpoint.Rid == rid)
            {
                _run = method.Resume(posterior, hyperparameters, checkpoint.MethodState);
                _elapsedBefore = checkpoint.ElapsedSec;
                _sessions = checkpoint.Sessions + 1;
                _resumedFrom = checkpoint.GradEvals;
                dir.AppendLog($"resumed {rid} ({manifest.Method} on {manifest.Pid}) from {checkpoint.GradEvals} gradient evaluations, {checkpoint.ElapsedSec:0.###} s spent");
            }
            else
            {
                if (checkpoint is not null) dir.AppendLog($"ignored checkpoint.json of another run ({checkpoint.Rid})");
                _run = method.Start(posterior, hyperparameters, manifest.Seed);
                dir.AppendLog($"started {rid} ({manifest.Method} on {manifest.Pid}, seed {manifest.Seed}, budget {manifest.BudgetSec} s" +
                              (manifest.BudgetGradEvals is { } g ? $", {g} gradient evaluations)" : ")"));
            }
        }

        public RunOutcome Loop(CancellationToken cancellationToken)
        {
            var run = _run!;
            long slice = FirstSlice;
            double lastCheckpoint = Elapsed;
            while (!run.Finished)
            {
                double remainingSec = manifest.BudgetSec - Elapsed;
                long remainingEvals = manifest.BudgetGradEvals is { } budget ? budget - run.GradientEvaluations : long.MaxValue;
                if (remainingSec <= 0 || remainingEvals <= 0) break;
                if (cancellationToken.IsCancellationRequested)
                {
                    WriteCheckpoint();
                    dir.AppendLog($"interrupted at {run.GradientEvaluations} gradient evaluations, {Elapsed:0.###} s spent; checkpoint written");
                    return new RunOutcome(rid, null, Reused: false);
                }

                long before = run.GradientEvaluations;
                double t0 = _clock.Elapsed.TotalSeconds;
                run.Advance(Math.Max(1, Math.Min(slice, remainingEvals)));
                slice = NextSlice(slice, run.GradientEvaluations - before, _clock.Elapsed.TotalSeconds - t0, remainingSec);

                bool checkpointDue = Elapsed - lastCheckpoint >= manifest.CheckpointSec && !run.Finished;
                if (checkpointDue)
                {
                    WriteCheckpoint();
                    lastCheckpoint = Elapsed;
                }
                progress?.Report(new RunProgress(Elapsed, manifest.BudgetSec, run.GradientEvaluations, manifest.BudgetGradEvals,
                    _provisionalObjective, checkpointDue));
            }
            _clock.Stop(); // runtime_sec is the sampling time; scoring the draws does not count
            var status = !run.Finished ? RunStatus.BudgetExhausted : run.DivergenceReason is null ? RunStatus.Complete : RunStatus.Diverged;
            return new RunOutcome(rid, Finish(status, run.DivergenceReason), Reused: false);
        }

        /// <summary>
        /// The next slice: as many evaluations as the last slice's rate fits into <see cref="SliceSeconds"/> (and into the
        /// remaining time), growing at most fourfold per slice so one slow step cannot be extrapolated into a long call.
        /// </summary>
        private static long NextSlice(long slice, long done, double seconds, double remainingSec)
        {
            if (done <= 0 || seconds <= 0) return Math.Min(slice * 2, 1L << 40);
            double rate = done / seconds;
            double target = rate * Math.Min(SliceSeconds, Math.Max(remainingSec - seconds, 0.001));
            return (long)Math.Clamp(target, 1, Math.Min(4.0 * slice, 1L << 40));
        }

        private void WriteCheckpoint()
        {
            var run = _run!;
            ArtifactJson.Write(dir.Checkpoint, new RunCheckpoint(rid, Elapsed, run.GradientEvaluations, _sessions, run.Checkpoint(), DateTimeOffset.UtcNow));
            double t0 = _clock.Elapsed.TotalSeconds;
            var partial = Metrics(RunStatus.Running, run.DivergenceReason, convergence: false, provisional: true);
            _provisionalObjective = partial.Objective;
            ArtifactJson.Write(dir.PartialMetrics, partial);
            dir.AppendProvisional(Elapsed, manifest.BudgetSec, partial.Objective);
            dir.AppendLog($"checkpoint at {run.GradientEvaluations} gradient evaluations, {Elapsed:0.###} s; provisional objective {partial.Objective:G6} " +
                          $"({partial.NumSamples} draws scored in {_clock.Elapsed.TotalSeconds - t0:0.###} s)");
        }

        /// <summary>Writes samples.h5 and metrics.json, removes the checkpoint (the run is done).</summary>
        public RunMetrics Finish(RunStatus status, string? reason)
        {
            RunMetrics metrics;
            if (status == RunStatus.Failed)
            {
                metrics = FailedMetrics(reason!);
            }
            else
            {
                metrics = Metrics(status, reason, convergence: true, provisional: false);
                var draws = _run!.Draws();
                if (draws.Chains > 0 && draws.DrawsPerChain > 0)
                    DrawsFile.Write(dir.Samples, draws, new Dictionary<string, string> { ["method"] = manifest.Method, ["pid"] = manifest.Pid, ["rid"] = rid });
            }
            ArtifactJson.Write(dir.Metrics, metrics);
            if (File.Exists(dir.Checkpoint)) File.Delete(dir.Checkpoint);
            dir.AppendLog($"finished: {metrics.Status}, objective {metrics.Objective:G6}, {metrics.GradEvals} gradient evaluations, {metrics.RuntimeSec:0.###} s" +
                          (metrics.Reason is null ? "" : $" ({metrics.Reason})"));
            return metrics;
        }

        private RunMetrics Metrics(RunStatus status, string? divergenceReason, bool convergence, bool provisional)
        {
            var run = _run!;
            var draws = run.Draws();
            var d = distance.Measure(draws, divergenceReason);
            // A run with no usable draws is scored as diverged, so the optimizer learns to avoid it (issue 4, part 3).
            if (d.Penalized && status is RunStatus.Complete or RunStatus.BudgetExhausted) status = RunStatus.Diverged;
            var diagnostics = new SortedDictionary<string, double>(StringComparer.Ordinal);
            if (convergence) AddConvergence(draws, diagnostics);
            foreach (var (k, v) in run.Diagnostics()) diagnostics[k] = v;
            return new RunMetrics(d.Objective, d.Mmd, d.MmdNoiseFloor, d.MeanErrorL2, d.CovErrorFro, Elapsed, run.GradientEvaluations,
                d.NumSamples, status, diagnostics, manifest.Method, manifest.Pid, rid, manifest.Hyperparams, distance.ReferenceVersion,
                d.PenaltyReason, _resumedFrom, provisional);
        }

        private RunMetrics FailedMetrics(string reason) =>
            new(distance.Settings.Penalty, double.NaN, distance.NoiseFloor, double.NaN, double.NaN, Elapsed, _run?.GradientEvaluations ?? 0,
                0, RunStatus.Failed, new Dictionary<string, double>(), manifest.Method, manifest.Pid, rid, manifest.Hyperparams,
                distance.ReferenceVersion, reason, _resumedFrom, false);

        /// <summary>Smallest bulk ESS and largest R-hat over the parameters, when the draws allow them (ConvergenceSummary's policy).</summary>
        private static void AddConvergence(ChainDraws draws, IDictionary<string, double> diagnostics)
        {
            if (draws.Chains == 0 || draws.DrawsPerChain < ConvergenceSummary.MinDrawsPerChain) return;
            double essMin = double.PositiveInfinity, rhatMax = double.NegativeInfinity;
            for (int p = 0; p < draws.Parameters; p++)
            {
                var s = ConvergenceSummary.Summarize(draws.ParameterNames[p], draws.Parameter(p));
                if (double.IsFinite(s.EssBulk)) essMin = Math.Min(essMin, s.EssBulk);
                if (double.IsFinite(s.Rhat)) rhatMax = Math.Max(rhatMax, s.Rhat);
            }
            if (double.IsFinite(essMin)) diagnostics["ess_bulk_min"] = essMin;
            if (double.IsFinite(rhatMax)) diagnostics["rhat_max"] = rhatMax;
        }
    }
}
