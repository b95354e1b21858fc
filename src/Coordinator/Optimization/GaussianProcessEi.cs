using SamplerTune.Samplers.Common;

namespace SamplerTune.Coordinator.Optimization;

/// <summary>Settings of <see cref="GaussianProcessEi"/>.</summary>
/// <param name="MaxObservations">conditioning set cap: the best half and the most recent half of the completed trials</param>
/// <param name="MaxFitObservations">hyperparameters are fitted on at most this many of them (best and most recent), as the fit is O(n^3) per iteration</param>
public sealed record GpOptions(int StartupTrials = 10, int MaxObservations = 200, int MaxFitObservations = 80, int RandomCandidates = 512, int LocalStarts = 5);

/// <summary>
/// Gaussian-process Bayesian optimization: Matérn-5/2 ARD GP on the unit cube (log scales in log space, categoricals
/// one-hot), hyperparameters by MAP marginal likelihood, next point maximizing log expected improvement (Ament et
/// al. 2023, "Unexpected improvements to expected improvement") over random and local candidates. Pending trials and
/// the earlier proposals of a batch are fantasized at the posterior mean (kriging believer, Ginsbourger et al. 2010),
/// which shrinks the variance there so the batch spreads. The fit is refit at every ask from the history alone
/// (no hidden state): the O(n^3) cost is bounded by <see cref="GpOptions.MaxObservations"/> and <see cref="GpOptions.MaxFitObservations"/>.
/// </summary>
public sealed class GaussianProcessEi(GpOptions? options = null) : ISampler
{
    public GpOptions Options { get; } = options ?? new GpOptions();

    public string Name => "gp";

    public AskResult Ask(SearchSpace space, IReadOnlyList<Trial> history, int count, Rng rng)
    {
        var encoder = new UnitCubeEncoder(space);
        GaussianProcess? gp = null;
        double bestY = 0;
        int pendingSeen = 0;
        return BatchProposer.Run(space, history, count, rng, h =>
        {
            int completed = 0;
            for (int i = 0; i < h.Count; i++) if (h.States[i] == TrialState.Complete) completed++;
            if (completed < Math.Max(Options.StartupTrials, 2) || space.Tunable.Count == 0) return RandomSearch.Draw(space, rng);
            if (gp is null) (gp, bestY) = FitModel(h, encoder);
            // Fantasize every pending row not yet in the model (the history's pending trials, then this batch's proposals).
            for (; pendingSeen < h.Count; pendingSeen++)
            {
                if (h.States[pendingSeen] != TrialState.Pending) continue;
                var u = encoder.Encode(h.Row(pendingSeen));
                gp.Add(u, gp.Predict(u, new double[gp.Count]).Mean);
            }
            return encoder.Decode(MaximizeLogEi(gp, bestY, encoder, h, rng));
        });
    }

    private (GaussianProcess, double) FitModel(EncodedHistory h, UnitCubeEncoder encoder)
    {
        var done = Enumerable.Range(0, h.Count).Where(i => h.States[i] == TrialState.Complete).ToList();
        var kept = Subset(done, h, Options.MaxObservations);
        var values = kept.Select(i => h.Values[i]!.Value).ToArray();
        // Standardize; infinite values (diverged without a finite penalty) are clipped to the worst finite one.
        double worst = values.Where(double.IsFinite).DefaultIfEmpty(0).Max();
        for (int i = 0; i < values.Length; i++) if (!double.IsFinite(values[i])) values[i] = worst;
        double mean = values.Average(), sd = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
        if (!(sd > 0)) sd = 1;
        var y = values.Select(v => (v - mean) / sd).ToArray();
        var x = kept.Select(i => encoder.Encode(h.Row(i))).ToArray();
        var fitIdx = Subset(Enumerable.Range(0, kept.Count).ToList(), null, Options.MaxFitObservations, y);
        var hyper = GaussianProcess.Fit(fitIdx.Select(i => x[i]).ToList(), fitIdx.Select(i => y[i]).ToList());
        return (new GaussianProcess(x, y, hyper), y.Min());
    }

    /// <summary>At most <paramref name="cap"/> rows: the best cap/2 by value, then the most recent ones; order kept.</summary>
    private static List<int> Subset(List<int> rows, EncodedHistory? h, int cap, double[]? y = null)
    {
        if (rows.Count <= cap) return rows;
        double Value(int i) => y is not null ? y[i] : h!.Values[i]!.Value;
        var chosen = rows.OrderBy(Value).ThenBy(i => i).Take(cap / 2).ToHashSet();
        for (int k = rows.Count - 1; k >= 0 && chosen.Count < cap; k--) chosen.Add(rows[k]);
        return rows.Where(chosen.Contains).ToList();
    }

    private double[] MaximizeLogEi(GaussianProcess gp, double bestY, UnitCubeEncoder encoder, EncodedHistory h, Rng rng)
    {
        var scratch = new double[gp.Count];
        double Score(double[] u) { var (m, v) = gp.Predict(u, scratch); return LogExpectedImprovement.Value(bestY, m, Math.Sqrt(v)); }

        var candidates = new List<double[]>(Options.RandomCandidates);
        for (int c = 0; c < Options.RandomCandidates; c++) candidates.Add(encoder.Snap(encoder.Random(rng)));
        // Local candidates around the best observed points.
        var bestRows = Enumerable.Range(0, h.Count).Where(i => h.States[i] == TrialState.Complete)
            .OrderBy(i => h.Values[i]!.Value).ThenBy(i => i).Take(Options.LocalStarts).ToList();
        foreach (var i in bestRows)
        {
            var u = encoder.Encode(h.Row(i));
            for (int c = 0; c < 32; c++) candidates.Add(encoder.Snap(encoder.Perturb(u, 0.05, rng)));
        }
        var scored = candidates.Select(u => (Score: Score(u), U: u)).ToList();
        var starts = scored.OrderByDescending(s => s.Score).Take(Options.LocalStarts).ToList();
        var best = starts[0];
        // Shrinking random local search from the best starts: cheap, derivative-free, handles the discrete dimensions.
        foreach (var start in starts)
        {
            var cur = start;
            double step = 0.1;
            for (int it = 0; it < 40; it++)
            {
                var u = encoder.Snap(encoder.Perturb(cur.U, step, rng));
                double s = Score(u);
                if (s > cur.Score) cur = (s, u); else step = Math.Max(step * 0.8, 1e-4);
            }
            if (cur.Score > best.Score) best = cur;
        }
        return best.U;
    }
}

/// <summary>log EI for minimization, stable far into the tail (Ament et al. 2023, eq. 9, with an asymptotic series below z = -20).</summary>
internal static class LogExpectedImprovement
{
    private static readonly double LogSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);

    public static double Value(double best, double mean, double sd)
    {
        double z = (best - mean) / sd;
        return Math.Log(sd) + LogH(z);
    }

    /// <summary>log(phi(z) + z Phi(z)).</summary>
    public static double LogH(double z)
    {
        double logPhi = -0.5 * z * z - LogSqrt2Pi;
        if (z > -20)
        {
            double h = Math.Exp(logPhi) + z * TruncatedNormal.Ndtr(z);
            if (h > 0) return Math.Log(h);
        }
        double z2 = z * z;
        return logPhi - Math.Log(z2) + Math.Log(1 - 3 / z2 + 15 / (z2 * z2) - 105 / (z2 * z2 * z2));
    }
}
