namespace SamplerTune.Samplers.Diagnostics;

/// <summary>
/// The convergence diagnostics of R's posterior package (convergence.R, version 1.4.0), function for function,
/// on one variable's draws given as double[chain][draw] (all chains the same length). These follow posterior
/// exactly, NA included (returned as NaN); the project's stricter policy on stuck chains lives in
/// <see cref="ConvergenceSummary.Summarize"/>. One deliberate difference: posterior ranks ±Inf draws and still
/// reports rhat and ess_bulk for them; here any non-finite draw gives NaN everywhere.
/// Reference: Vehtari, Gelman, Simpson, Carpenter, Bürkner (2021), "Rank-normalization, folding, and
/// localization: an improved R-hat for assessing convergence of MCMC", Bayesian Analysis 16(2).
/// </summary>
public static class ConvergenceDiagnostics
{
    /// <summary>posterior::rhat: the larger of the bulk (rank-normalized split) and tail (folded) R-hat.</summary>
    public static double Rhat(double[][] chains)
    {
        if (ChainMath.AnyNaN(chains)) return double.NaN;
        double bulk = PotentialScaleReduction.Compute(ChainMath.RankNormalize(ChainMath.Split(chains)));
        double tail = PotentialScaleReduction.Compute(ChainMath.RankNormalize(ChainMath.Split(ChainMath.Fold(chains))));
        return double.IsNaN(bulk) || double.IsNaN(tail) ? double.NaN : Math.Max(bulk, tail);
    }

    /// <summary>posterior::rhat_basic: classic R-hat on the raw draws, split into half-chains unless split is false.</summary>
    public static double RhatBasic(double[][] chains, bool split = true) =>
        PotentialScaleReduction.Compute(split ? ChainMath.Split(chains) : chains);

    /// <summary>posterior::ess_bulk: ESS of the rank-normalized split chains.</summary>
    public static double EssBulk(double[][] chains) => EssBulk(chains, new AutocovarianceScratch());

    internal static double EssBulk(double[][] chains, AutocovarianceScratch scratch)
    {
        if (ChainMath.AnyNaN(chains)) return double.NaN;
        return EffectiveSampleSize.Compute(ChainMath.RankNormalize(ChainMath.Split(chains)), scratch);
    }

    /// <summary>posterior::ess_tail: the smaller of the quantile ESS at 5% and 95%.</summary>
    public static double EssTail(double[][] chains) => EssTail(chains, new AutocovarianceScratch());

    internal static double EssTail(double[][] chains, AutocovarianceScratch scratch)
    {
        double lower = EssQuantile(chains, 0.05, scratch), upper = EssQuantile(chains, 0.95, scratch);
        return double.IsNaN(lower) || double.IsNaN(upper) ? double.NaN : Math.Min(lower, upper);
    }

    /// <summary>posterior::ess_quantile: ESS of the indicator I(x &lt;= q), q the type-7 quantile of all draws, on split chains.</summary>
    public static double EssQuantile(double[][] chains, double prob) => EssQuantile(chains, prob, new AutocovarianceScratch());

    internal static double EssQuantile(double[][] chains, double prob, AutocovarianceScratch scratch)
    {
        if (prob is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(prob), prob, "must lie in [0, 1]");
        if (!ChainMath.AllFinite(chains) || ChainMath.IsConstant(chains)) return double.NaN;
        var sorted = ChainMath.Pooled(chains);
        Array.Sort(sorted);
        if (prob == 1) prob = (sorted.Length - 0.5) / sorted.Length;
        double q = ChainMath.QuantileType7(sorted, prob);
        var indicator = new double[chains.Length][];
        for (int c = 0; c < chains.Length; c++)
        {
            indicator[c] = new double[chains[c].Length];
            for (int i = 0; i < indicator[c].Length; i++) indicator[c][i] = chains[c][i] <= q ? 1 : 0;
        }
        return EffectiveSampleSize.Compute(ChainMath.Split(indicator), scratch);
    }

    /// <summary>posterior::ess_median: the quantile ESS at 50%.</summary>
    public static double EssMedian(double[][] chains) => EssQuantile(chains, 0.5);

    /// <summary>posterior::ess_mean: ESS of the raw split chains.</summary>
    public static double EssMean(double[][] chains) => EssBasic(chains, split: true);

    /// <summary>posterior::ess_basic: ESS of the raw draws, split into half-chains unless split is false.</summary>
    public static double EssBasic(double[][] chains, bool split = true) =>
        EffectiveSampleSize.Compute(split ? ChainMath.Split(chains) : chains);

    /// <summary>posterior::mcse_mean: sd / sqrt(ess_mean).</summary>
    public static double McseMean(double[][] chains) => Sd(chains) / Math.Sqrt(EssMean(chains));

    /// <summary>posterior::mcse_sd (1.4.0): delta-method MCSE of the sd, using the ESS of the squared deviations.</summary>
    public static double McseSd(double[][] chains)
    {
        double mean = Mean(chains);
        var squared = new double[chains.Length][];
        double evar = 0, fourth = 0;
        for (int c = 0; c < chains.Length; c++)
        {
            squared[c] = new double[chains[c].Length];
            for (int i = 0; i < squared[c].Length; i++)
            {
                double d = chains[c][i] - mean, d2 = d * d;
                squared[c][i] = d2;
                evar += d2;
                fourth += d2 * d2;
            }
        }
        int s = ChainMath.TotalDraws(chains);
        evar /= s;
        fourth /= s;
        double varVar = (fourth - evar * evar) / EssMean(squared);
        return Math.Sqrt(varVar / evar / 4);
    }

    public static double Mean(double[][] chains) => ChainMath.Mean(chains);

    /// <summary>Standard deviation of all pooled draws with denominator S - 1 (R's sd).</summary>
    public static double Sd(double[][] chains) => Math.Sqrt(ChainMath.Variance(chains));
}
