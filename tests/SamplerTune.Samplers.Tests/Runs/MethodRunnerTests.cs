using System.Text.Json;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Metrics;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Runs;
using SamplerTune.Samplers.Tests.Support;
using Xunit;

namespace SamplerTune.Samplers.Tests.Runs;

public class MethodRunnerTests
{
    private static readonly RandomWalkTestMethod Method = new();
    private static readonly GaussianMeanPosterior Posterior = new(3, 100, 1.0, 0.0, 10.0, 1);
    private static readonly Lazy<ReferenceDistance> Distance = new(() =>
    {
        var rng = new Rng(5);
        var draws = new double[1000 * 3];
        for (int i = 0; i < 1000; i++) Posterior.SampleConstrained(rng, draws.AsSpan(i * 3, 3));
        return ReferenceDistance.FromDraws(new ChainDraws(Posterior.ParameterNames, [draws], new Dictionary<string, IReadOnlyList<double[]>>()), referenceVersion: 2);
    });

    private static RunManifest Manifest(Dictionary<string, string>? hyperparams = null, double budgetSec = 60, long? gradEvals = 20_000, double checkpointSec = 60, ulong seed = 1) =>
        RunManifest.Create(Method, "pid0", "gaussian_mean", hyperparams ?? new() { ["step_size"] = "0.15" }, seed, budgetSec, gradEvals, checkpointSec);

    private static RunDirectory NewDirectory(RunManifest m) =>
        RunDirectory.Under(Path.Combine(Path.GetTempPath(), "samplertune-tests", Guid.NewGuid().ToString("N")[..12]), m.Rid);

    private static RunOutcome Run(RunManifest m, RunDirectory dir, CancellationToken ct = default, IProgress<RunProgress>? progress = null) =>
        MethodRunner.Run(Method, m, Posterior, Distance.Value, dir, ct, progress);

    [Fact]
    public void GradientBudgetRunWritesTheRunFolderAndTheIssueMetrics()
    {
        var m = Manifest();
        var dir = NewDirectory(m);
        var outcome = Run(m, dir);
        var metrics = outcome.Metrics!;
        Assert.False(outcome.Reused);
        Assert.Equal(RunStatus.BudgetExhausted, metrics.Status);
        Assert.Equal(20_000, metrics.GradEvals); // one evaluation per step: the slice is cut to the remaining budget
        Assert.Null(metrics.ResumedFrom);
        Assert.True(metrics.Objective < 0.5, $"objective {metrics.Objective}");
        Assert.InRange(metrics.Diagnostics["ess_bulk_min"], 10, 1000);
        Assert.InRange(metrics.Diagnostics["rhat_max"], 0.9, 1.2);
        Assert.True(metrics.Diagnostics.ContainsKey("acceptance_rate"));

        Assert.True(File.Exists(dir.Manifest) && File.Exists(dir.Log) && !File.Exists(dir.Checkpoint));
        var json = JsonDocument.Parse(File.ReadAllText(dir.Metrics)).RootElement;
        foreach (var field in new[] { "objective", "mmd", "mmd_noise_floor", "mean_error_l2", "cov_error_fro", "runtime_sec", "grad_evals",
                     "num_samples", "status", "diagnostics", "method", "pid", "rid", "hyperparams", "reference_version" })
            Assert.True(json.TryGetProperty(field, out _), $"metrics.json lacks {field}");
        Assert.Equal("budget_exhausted", json.GetProperty("status").GetString());
        Assert.Equal(m.Rid, json.GetProperty("rid").GetString());
        Assert.Equal(0.15, json.GetProperty("hyperparams").GetProperty("step_size").GetDouble());
        Assert.Equal(2, json.GetProperty("reference_version").GetInt32());

        var samples = DrawsFile.Read(dir.Samples);
        Assert.Equal(metrics.NumSamples, samples.Chains * samples.DrawsPerChain);
        Assert.Equal(Posterior.ParameterNames, samples.ParameterNames);

        // The same manifest again: reused from metrics.json, nothing recomputed.
        var written = File.GetLastWriteTimeUtc(dir.Metrics);
        var again = Run(m, dir);
        Assert.True(again.Reused);
        Assert.Equal(metrics.Objective, again.Metrics!.Objective);
        Assert.Equal(written, File.GetLastWriteTimeUtc(dir.Metrics));
    }

    [Fact]
    public void RidIsAContentHashOfWhatChangesTheResult()
    {
        var m = Manifest();
        Assert.Equal(m.Rid, Manifest().Rid);
        Assert.Equal(m.Rid, Manifest(checkpointSec: 5).Rid); // how often we checkpoint does not change the result
        Assert.Equal(m.Rid, Manifest(new() { ["step_size"] = "0.15", ["capacity"] = "1000" }).Rid); // defaults filled in
        Assert.NotEqual(m.Rid, Manifest(seed: 2).Rid);
        Assert.NotEqual(m.Rid, Manifest(budgetSec: 61).Rid);
        Assert.NotEqual(m.Rid, Manifest(gradEvals: 20_001).Rid);
        Assert.NotEqual(m.Rid, Manifest(new() { ["step_size"] = "0.2" }).Rid);
        Assert.NotEqual(m.Rid, (m with { Objective = m.Objective with { Penalty = 11 } }).Rid);
        Assert.NotEqual(m.Rid, (m with { CodeVersion = "other" }).Rid);

        // manifest.json read back has the same rid and validates again.
        var path = Path.Combine(Path.GetTempPath(), "samplertune-tests", Guid.NewGuid().ToString("N")[..12], "manifest.json");
        ArtifactJson.Write(path, m);
        var back = ArtifactJson.Read<RunManifest>(path);
        Assert.Equal(m.Rid, back.Rid);
        Assert.Equal(0.15, back.HyperparametersFor(Method).Real("step_size"));
        Assert.Equal(1000, back.HyperparametersFor(Method).Int("capacity"));

        Assert.Throws<SpecError>(() => Manifest(new() { ["stepsize"] = "0.1" }));
        Assert.Throws<SpecError>(() => Manifest(new() { ["step_size"] = "-1" }));
        Assert.Throws<ArgumentException>(() => Manifest(budgetSec: 0));
    }

    /// <summary>
    /// A run interrupted after a checkpoint (as a killed worker would be) resumes from checkpoint.json and ends with
    /// exactly the draws of an uninterrupted run: the gradient budget makes the run reproducible.
    /// </summary>
    [Fact]
    public void InterruptedRunResumesFromItsCheckpointBitForBit()
    {
        var m = Manifest(gradEvals: 600_000, checkpointSec: 0.05);
        var dir = NewDirectory(m);
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress(p => { if (p.CheckpointWritten) cts.Cancel(); });
        var first = Run(m, dir, cts.Token, progress);
        Assert.True(first.Interrupted);
        Assert.False(File.Exists(dir.Metrics));
        var partial = ArtifactJson.Read<RunMetrics>(dir.PartialMetrics);
        Assert.True(partial.Provisional && double.IsFinite(partial.Objective));
        Assert.Equal(RunStatus.Running, partial.Status);
        var checkpoint = ArtifactJson.Read<RunCheckpoint>(dir.Checkpoint);
        Assert.InRange(checkpoint.GradEvals, 1000, 599_999);

        var resumed = Run(m, dir).Metrics!;
        Assert.Equal(checkpoint.GradEvals, resumed.ResumedFrom);
        Assert.Equal(600_000, resumed.GradEvals);
        Assert.True(resumed.RuntimeSec >= checkpoint.ElapsedSec);

        var straightDir = NewDirectory(m);
        var straight = Run(m, straightDir).Metrics!;
        Assert.Equal(straight.Objective, resumed.Objective);
        Assert.Equal(DrawsFile.Read(straightDir.Samples).Draws[0], DrawsFile.Read(dir.Samples).Draws[0]);
        Assert.Contains("resumed", File.ReadAllText(dir.Log));
    }

    [Fact]
    public void WallClockBudgetIsAccumulatedAcrossResumes()
    {
        var m = Manifest(budgetSec: 3.0, gradEvals: null, checkpointSec: 0.3);
        var dir = NewDirectory(m);
        using var cts = new CancellationTokenSource();
        var first = Run(m, dir, cts.Token, new SynchronousProgress(p => { if (p.ElapsedSec > 1.5) cts.Cancel(); }));
        Assert.True(first.Interrupted);
        double spent = ArtifactJson.Read<RunCheckpoint>(dir.Checkpoint).ElapsedSec;
        Assert.True(spent is > 1.5 and < 2.9, $"{spent} s spent before the interruption; log:\n{File.ReadAllText(dir.Log)}");

        var metrics = Run(m, dir).Metrics!;
        Assert.Equal(RunStatus.BudgetExhausted, metrics.Status);
        // Accumulated, the total stops at the 3 s budget (plus a slice's overshoot); restarted from zero it
        // would be spent + 3 s >= 4.5 s. The upper bound sits halfway so machine load cannot flip the verdict.
        Assert.InRange(metrics.RuntimeSec, 3.0, 3.0 + spent / 2);
        Assert.NotNull(metrics.ResumedFrom);
    }

    [Fact]
    public void MethodThatFinishesByItselfIsComplete()
    {
        var metrics = Run(Manifest(new() { ["step_size"] = "0.15", ["max_evals"] = "3000" }, gradEvals: null), NewDirectory(Manifest())).Metrics!;
        Assert.Equal(RunStatus.Complete, metrics.Status);
        Assert.Equal(3000, metrics.GradEvals);
    }

    [Fact]
    public void DivergedRunGetsThePenaltyAndIsFlagged()
    {
        var m = Manifest(new() { ["diverge_at"] = "2000" });
        var dir = NewDirectory(m);
        var metrics = Run(m, dir).Metrics!;
        Assert.Equal(RunStatus.Diverged, metrics.Status);
        Assert.Equal(m.Objective.Penalty, metrics.Objective);
        Assert.Contains("diverging at 2000", metrics.Reason);
        Assert.True(File.Exists(dir.Samples), "the draws up to the divergence are kept");
    }

    [Fact]
    public void MethodExceptionEndsAsFailedNotAsACrash()
    {
        var m = Manifest(new() { ["fail_at"] = "1500" });
        var dir = NewDirectory(m);
        var metrics = Run(m, dir).Metrics!;
        Assert.Equal(RunStatus.Failed, metrics.Status);
        Assert.Equal(m.Objective.Penalty, metrics.Objective);
        Assert.Contains("test double failing at 1500", metrics.Reason);
        Assert.Contains("InvalidOperationException", File.ReadAllText(dir.Log)); // the stack trace goes to log.txt
        Assert.Equal("failed", JsonDocument.Parse(File.ReadAllText(dir.Metrics)).RootElement.GetProperty("status").GetString());
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the runner's callers need the report before the next slice.</summary>
    private sealed class SynchronousProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }
}
