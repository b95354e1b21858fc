namespace SamplerTune.Samplers.Diagnostics;

/// <summary>
/// The convergence summary of one variable. Values that cannot be trusted are NaN and <see cref="Reason"/> says why
/// (null when every figure is reported).
/// </summary>
public sealed record ConvergenceSummary(
    string Variable, double Rhat, double EssBulk, double EssTail, double EssMean, double McseMean,
    double Mean, double Sd, string? Reason)
{
    /// <summary>Fewer draws per chain than this and R-hat and ESS are not reported.</summary>
    public const int MinDrawsPerChain = 4;

    /// <summary>
    /// Summarizes one variable's draws (double[chain][draw], chains of equal length) with posterior's estimators
    /// (<see cref="ConvergenceDiagnostics"/>) under the project's policy for degenerate input
    /// (design/ALGORITHMS.md "Diagnostics"):
    /// <list type="bullet">
    /// <item>NaN or ±Inf draws: R-hat, ESS and MCSE are NaN for this variable.</item>
    /// <item>Fewer than <see cref="MinDrawsPerChain"/> draws per chain: NaN. (4-5 draws give R-hat but no ESS, as posterior.)</item>
    /// <item>All draws equal: NaN, as posterior.</item>
    /// <item>Any half-chain constant (a stuck chain, including one constant except for a single value in its other half): NaN.
    /// This is stricter than posterior 1.4.0, which dropped the any-constant-chain rule of posterior #167 in #198:
    /// a stuck chain carries no information about mixing, and posterior's own estimate for it can exceed the
    /// number of draws (blackjax #1019 shows the same failure).</item>
    /// </list>
    /// A single chain is split into two halves and gets R-hat and ESS like any other.
    /// </summary>
    public static ConvergenceSummary Summarize(string name, double[][] chains)
    {
        ArgumentNullException.ThrowIfNull(chains);
        if (chains.Length == 0) throw new ArgumentException($"{name}: no chains", nameof(chains));
        int n = chains[0].Length;
        foreach (var c in chains)
            if (c.Length != n)
                throw new ArgumentException($"{name}: chains differ in length ({n} and {c.Length} draws)", nameof(chains));
        if (n == 0) throw new ArgumentException($"{name}: chains have no draws", nameof(chains));

        double mean = ConvergenceDiagnostics.Mean(chains);
        double sd = n * chains.Length > 1 ? ConvergenceDiagnostics.Sd(chains) : double.NaN;
        ConvergenceSummary Unreported(string reason) =>
            new(name, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, mean, sd, reason);

        if (!ChainMath.AllFinite(chains)) return Unreported("draws contain NaN or infinite values");
        if (n < MinDrawsPerChain) return Unreported($"fewer than {MinDrawsPerChain} draws per chain ({n})");
        if (ChainMath.IsConstant(chains)) return Unreported("all draws are equal (constant or stuck)");
        string? stuck = FindConstantHalfChain(chains);
        if (stuck is not null) return Unreported(stuck);

        var scratch = new AutocovarianceScratch();
        double rhat = ConvergenceDiagnostics.Rhat(chains);
        double essBulk = ConvergenceDiagnostics.EssBulk(chains, scratch);
        double essTail = ConvergenceDiagnostics.EssTail(chains, scratch);
        double essMean = EffectiveSampleSize.Compute(ChainMath.Split(chains), scratch);
        double mcseMean = sd / Math.Sqrt(essMean);

        string? reason = null;
        if (double.IsNaN(essBulk) || double.IsNaN(essMean))
            reason = "ESS needs at least 3 draws per half-chain (6 per chain)";
        else if (double.IsNaN(essTail))
            reason = "tail ESS undefined: the 5% or 95% indicator is constant (heavily tied draws)";
        return new ConvergenceSummary(name, rhat, essBulk, essTail, essMean, mcseMean, mean, sd, reason);
    }

    private static string? FindConstantHalfChain(double[][] chains)
    {
        int n = chains[0].Length, half = n / 2, secondStart = (n + 1) / 2;
        for (int c = 0; c < chains.Length; c++)
        {
            if (IsConstant(chains[c].AsSpan(0, half)))
                return $"chain {c + 1} is constant over its first half (stuck chain)";
            if (IsConstant(chains[c].AsSpan(secondStart, half)))
                return $"chain {c + 1} is constant over its second half (stuck chain)";
        }
        return null;
    }

    private static bool IsConstant(ReadOnlySpan<double> draws)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in draws)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        return Math.Abs(max - min) < ChainMath.MachineEpsilon;
    }
}
