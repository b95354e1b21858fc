using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Diagnostics;
using SamplerTune.Samplers.Mcmc;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Samplers.Reference;

/// <summary>
/// Computes a problem's reference posterior in ground_truth/: exact draws where the family has an
/// exact sampler (unless NUTS is forced), else NUTS chains run in parallel and extended in rounds
/// until max R-hat &lt; threshold and min bulk and tail ESS &gt;= target, or the time or draw limit
/// is reached (then the summary says converged: false and why). Every round rewrites
/// posterior_samples.h5 and summary.json (version + 1), so a killed run leaves the last round's
/// reference, and the chains resume from their checkpoints.
/// </summary>
public static class ReferenceRunner
{
    public static ReferenceSummary Run(StoredProblem problem, ReferenceSettings settings, IProgress<ReferenceProgress>? progress = null, CancellationToken cancel = default)
    {
        var posterior = problem.Build();
        var existing = ReferenceSummary.TryRead(problem.GroundTruthDirectory);
        bool exact = posterior is IExactSampler && !settings.ForceNuts;
        string source = exact ? "exact" : "nuts";
        if (existing is { Converged: true } && existing.Source == source && existing.MinEssTarget >= settings.MinEss && existing.Chains == settings.Chains)
            return existing;
        return exact
            ? RunExact(problem, (IExactSampler)posterior, posterior, settings, existing, progress)
            : RunNuts(problem, posterior, settings, existing, progress, cancel);
    }

    private static ReferenceSummary RunExact(StoredProblem problem, IExactSampler sampler, IPosterior posterior, ReferenceSettings s, ReferenceSummary? existing, IProgress<ReferenceProgress>? progress)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Independent draws have ESS close to their number; 2.5x the target leaves room for the estimator's noise.
        int perChain = Math.Max(1000, (int)Math.Ceiling(2.5 * s.MinEss / s.Chains));
        int p = posterior.ParameterNames.Count;
        var draws = new List<double[]>();
        for (int c = 0; c < s.Chains; c++)
        {
            var rng = Rng.ForStream(s.Seed, (ulong)c);
            var chain = new double[perChain * p];
            for (int i = 0; i < perChain; i++) sampler.SampleConstrained(rng, chain.AsSpan(i * p, p));
            draws.Add(chain);
        }
        var chainDraws = new ChainDraws(posterior.ParameterNames, draws, new Dictionary<string, IReadOnlyList<double[]>>());
        progress?.Report(new ReferenceProgress(problem.Pid, "exact", 1, Enumerable.Repeat(perChain, s.Chains).ToArray(), perChain, double.NaN, double.NaN, clock.Elapsed, TimeSpan.Zero));
        return Publish(problem, "exact", chainDraws, s, existing, gradEvals: 0, divergences: 0, clock.Elapsed.TotalSeconds, limitReason: null);
    }

    private static ReferenceSummary RunNuts(StoredProblem problem, IPosterior posterior, ReferenceSettings s, ReferenceSummary? existing, IProgress<ReferenceProgress>? progress, CancellationToken cancel)
    {
        var chainsDir = Path.Combine(problem.GroundTruthDirectory, "chains");
        var nutsSettings = new NutsSettings(Warmup: s.Warmup, TargetAcceptance: s.TargetAcceptance, SaveWarmup: true);
        var chains = new ReferenceChain[s.Chains];
        try
        {
            for (int c = 0; c < s.Chains; c++)
                chains[c] = ReferenceChain.OpenOrStart(posterior.Clone(), chainsDir, c, s.Seed, nutsSettings);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            if (chains.Any(ch => ch.Resumed))
                progress?.Report(new ReferenceProgress(problem.Pid, "resumed", 0, chains.Select(ch => ch.Draws).ToArray(), 0, double.NaN, double.NaN, TimeSpan.Zero, null));
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            deadline.CancelAfter(TimeSpan.FromSeconds(s.MaxSeconds));
            // The round plan is persisted, so a resumed run extends toward the same targets as an uninterrupted one.
            var planPath = Path.Combine(chainsDir, "plan.json");
            var plan = File.Exists(planPath) ? ArtifactJson.Read<RoundPlan>(planPath) : new RoundPlan(1, s.InitialDraws);
            int target = Math.Max(plan.Target, chains.Min(ch => ch.Draws));
            ReferenceSummary? summary = null;
            for (int round = plan.Round; ; round++)
            {
                ArtifactJson.Write(planPath, new RoundPlan(round, target));
                RunRound(chains, target, s, deadline.Token, progress, problem.Pid, round, clock, summary);
                string? limit = cancel.IsCancellationRequested ? "interrupted"
                    : deadline.IsCancellationRequested ? $"max time {s.MaxSeconds:0} s reached" : null;
                if (chains.Min(ch => ch.Draws) < ConvergenceSummary.MinDrawsPerChain)
                    return Unpublished(problem, posterior, s, summary ?? existing, $"{limit} during warm-up; rerun to resume from the checkpoints");
                var draws = Collect(chainsDir, posterior, chains);
                summary = Publish(problem, "nuts", draws, s, existing ?? summary, chains.Sum(ch => ch.GradEvals), chains.Sum(ch => ch.Divergences),
                    chains.Max(ch => ch.RuntimeSec), limit);
                existing = null;
                if (summary.Converged || limit is not null) return summary;
                int next = NextTarget(summary, draws.DrawsPerChain, s);
                if (next <= draws.DrawsPerChain)
                    return Publish(problem, "nuts", draws, s, summary, summary.NGradEvals, summary.Divergences, summary.RuntimeSec,
                        $"max draws per chain ({s.MaxDrawsPerChain}) reached");
                target = next;
            }
        }
        finally
        {
            foreach (var ch in chains) ch?.Dispose();
        }
    }

    private sealed record RoundPlan(int Round, int Target);

    /// <summary>Stopped before there were draws to diagnose: the previous reference (if any) stays as it is.</summary>
    private static ReferenceSummary Unpublished(StoredProblem problem, IPosterior posterior, ReferenceSettings s, ReferenceSummary? previous, string reason)
    {
        if (previous is not null) return previous with { Converged = false, NotConvergedReason = reason };
        int p = posterior.ParameterNames.Count;
        double[] nan = Enumerable.Repeat(double.NaN, p).ToArray();
        return new ReferenceSummary(problem.Pid, problem.Spec.Family.Name, "nuts", posterior.ParameterNames, nan, nan,
            Enumerable.Range(0, p).Select(_ => nan).ToArray(), nan, nan, nan, double.NaN, 0, 0, 0, 0, 0, false, reason, [], 0,
            s.Chains, 0, s.MinEss, s.Seed, DateTimeOffset.UtcNow);
    }

    private static void RunRound(ReferenceChain[] chains, int target, ReferenceSettings s, CancellationToken token, IProgress<ReferenceProgress>? progress,
        string pid, int round, System.Diagnostics.Stopwatch clock, ReferenceSummary? last)
    {
        var tasks = chains.Select(ch => Task.Factory.StartNew(
            () => ch.RunUntil(target, TimeSpan.FromSeconds(s.CheckpointSeconds), token), TaskCreationOptions.LongRunning)).ToArray();
        int startDraws = chains.Sum(ch => ch.Draws);
        var roundClock = System.Diagnostics.Stopwatch.StartNew();
        while (!Task.WaitAll(tasks, TimeSpan.FromMilliseconds(250)))
            progress?.Report(Progress());
        Task.WaitAll(tasks); // rethrows a chain's failure (NutsFailureException names the reason)
        progress?.Report(Progress());

        ReferenceProgress Progress()
        {
            int done = chains.Sum(ch => ch.Draws);
            double rate = (done - startDraws) / Math.Max(roundClock.Elapsed.TotalSeconds, 1e-9);
            int remaining = chains.Length * target - done;
            TimeSpan? eta = rate > 0 ? TimeSpan.FromSeconds(remaining / rate) : null;
            string phase = chains.Any(ch => ch.Draws == 0) ? "warm-up" : "sampling";
            return new ReferenceProgress(pid, phase, round, chains.Select(ch => ch.Draws).ToArray(), target,
                last is null ? double.NaN : Math.Min(last.MinEssBulk, last.MinEssTail), last?.MaxRhat ?? double.NaN, clock.Elapsed, eta);
        }
    }

    /// <summary>ESS grows about linearly with draws: aim 20% past the target, at least 1.5x when R-hat is still high.</summary>
    private static int NextTarget(ReferenceSummary summary, int drawsPerChain, ReferenceSettings s)
    {
        double minEss = Math.Min(summary.MinEssBulk, summary.MinEssTail);
        double factor = double.IsFinite(minEss) && minEss > 0 ? 1.2 * s.MinEss / minEss : 2;
        if (!(summary.MaxRhat < s.RhatThreshold)) factor = Math.Max(factor, 1.5);
        factor = Math.Clamp(factor, 1.25, 8);
        return (int)Math.Min(s.MaxDrawsPerChain, Math.Ceiling(drawsPerChain * factor));
    }

    /// <summary>All chains cut to the shortest, as one ChainDraws with Stan's sampler statistics.</summary>
    private static ChainDraws Collect(string chainsDir, IPosterior posterior, ReferenceChain[] chains)
    {
        int n = chains.Min(ch => ch.Draws), p = posterior.ParameterNames.Count;
        var draws = new List<double[]>();
        var stats = ReferenceChain.StatNames.ToDictionary(name => name, _ => new List<double[]>());
        foreach (var ch in chains)
        {
            var (values, chainStats) = ReferenceChain.ReadRows(chainsDir, ch.Index, p, n);
            draws.Add(values);
            for (int k = 0; k < chainStats.Length; k++) stats[ReferenceChain.StatNames[k]].Add(chainStats[k]);
        }
        return new ChainDraws(posterior.ParameterNames, draws, stats.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<double[]>)kv.Value));
    }

    /// <summary>Diagnoses the draws and writes posterior_samples.h5 then summary.json (the summary last: it is the commit point).</summary>
    private static ReferenceSummary Publish(StoredProblem problem, string source, ChainDraws draws, ReferenceSettings s, ReferenceSummary? previous,
        long gradEvals, long divergences, double runtimeSec, string? limitReason)
    {
        // The version marks new draws; republishing the same draws (e.g. a rerun that adds nothing) keeps it.
        bool sameDraws = previous is not null && previous.Source == source && previous.Chains == draws.Chains && previous.DrawsPerChain == draws.DrawsPerChain;
        int p = draws.Parameters;
        var diagnostics = Enumerable.Range(0, p).Select(j => ConvergenceSummary.Summarize(draws.ParameterNames[j], draws.Parameter(j))).ToArray();
        double maxRhat = diagnostics.Max(r => double.IsNaN(r.Rhat) ? double.PositiveInfinity : r.Rhat);
        double minBulk = diagnostics.Min(r => double.IsNaN(r.EssBulk) ? 0 : r.EssBulk);
        double minTail = diagnostics.Min(r => double.IsNaN(r.EssTail) ? 0 : r.EssTail);
        bool converged = maxRhat < s.RhatThreshold && minBulk >= s.MinEss && minTail >= s.MinEss;
        string? reason = converged ? null : string.Join("; ", new[]
        {
            limitReason,
            maxRhat < s.RhatThreshold ? null : $"max R-hat {Fmt(maxRhat)} >= {s.RhatThreshold} ({Worst(diagnostics, r => r.Rhat, true)}; chains disagree: not mixed or multimodal)",
            minBulk >= s.MinEss ? null : $"min bulk ESS {minBulk:0} < {s.MinEss} ({Worst(diagnostics, r => r.EssBulk, false)})",
            minTail >= s.MinEss ? null : $"min tail ESS {minTail:0} < {s.MinEss} ({Worst(diagnostics, r => r.EssTail, false)})",
        }.Where(x => x is not null));
        // Divergences do not stop convergence by R-hat and ESS, but they mean NUTS could not explore
        // part of the posterior (Betancourt 2017, §6.2): the reference may be biased there.
        string[] warnings = divergences > 0
            ? [$"{divergences} divergent transitions after warm-up: the draws may be biased where the posterior is too curved for the step size"]
            : [];
        var pooled = Metrics.DrawRows.Pool(draws, out int n);
        var mean = Metrics.DrawRows.Mean(pooled, n, p);
        var cov = Metrics.DrawRows.Covariance(pooled, n, p, mean);
        var summary = new ReferenceSummary(
            problem.Pid, problem.Spec.Family.Name, source, draws.ParameterNames, mean,
            Enumerable.Range(0, p).Select(j => Math.Sqrt(cov[j][j])).ToArray(), cov,
            diagnostics.Select(r => r.EssBulk).ToArray(), diagnostics.Select(r => r.EssTail).ToArray(), diagnostics.Select(r => r.Rhat).ToArray(),
            maxRhat, minBulk, minTail, divergences, gradEvals, runtimeSec, converged, reason, warnings,
            (previous?.Version ?? 0) + (sameDraws ? 0 : 1), draws.Chains, draws.DrawsPerChain, s.MinEss, s.Seed, DateTimeOffset.UtcNow);
        DrawsFile.Write(Path.Combine(problem.GroundTruthDirectory, ReferenceSummary.DrawsFileName), draws,
            new Dictionary<string, string> { ["pid"] = problem.Pid, ["source"] = source, ["version"] = summary.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        ArtifactJson.Write(ReferenceSummary.PathIn(problem.GroundTruthDirectory), summary);
        return summary;
    }

    private static string Worst(ConvergenceSummary[] rows, Func<ConvergenceSummary, double> value, bool highIsBad)
    {
        var worst = highIsBad
            ? rows.MaxBy(r => double.IsNaN(value(r)) ? double.PositiveInfinity : value(r))!
            : rows.MinBy(r => double.IsNaN(value(r)) ? double.NegativeInfinity : value(r))!;
        return worst.Variable + (worst.Reason is null ? "" : $": {worst.Reason}");
    }

    private static string Fmt(double v) => double.IsFinite(v) ? v.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : "NaN";

}
