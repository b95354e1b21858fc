namespace SamplerTune.Samplers.Diagnostics;

/// <summary>
/// Small building blocks of R's posterior package (convergence.R) on chains given as double[chain][draw]:
/// splitting, pooled moments, the constancy test, type-7 quantiles and average ranks.
/// </summary>
internal static class ChainMath
{
    /// <summary>R's .Machine$double.eps (2^-52); .NET's double.Epsilon is the smallest subnormal instead.</summary>
    public const double MachineEpsilon = 2.220446049250313e-16;

    public static int TotalDraws(double[][] chains)
    {
        int total = 0;
        foreach (var c in chains) total += c.Length;
        return total;
    }

    public static bool AllFinite(double[][] chains)
    {
        foreach (var c in chains)
            foreach (double v in c)
                if (!double.IsFinite(v)) return false;
        return true;
    }

    public static bool AnyNaN(double[][] chains)
    {
        foreach (var c in chains)
            foreach (double v in c)
                if (double.IsNaN(v)) return true;
        return false;
    }

    /// <summary>posterior's is_constant: max - min below machine epsilon (an absolute tolerance).</summary>
    public static bool IsConstant(double[][] chains)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var c in chains)
            foreach (double v in c)
            {
                if (v < min) min = v;
                if (v > max) max = v;
            }
        return Math.Abs(max - min) < MachineEpsilon;
    }

    public static bool IsConstant(double[] draws) => IsConstant([draws]);

    /// <summary>
    /// posterior's .split_chains: each chain becomes its first and second half; an odd middle draw is dropped;
    /// chains of one draw are not split.
    /// </summary>
    public static double[][] Split(double[][] chains)
    {
        int n = chains[0].Length;
        if (n == 1) return chains;
        int half = n / 2, secondStart = (n + 1) / 2;
        var split = new double[2 * chains.Length][];
        for (int c = 0; c < chains.Length; c++)
        {
            split[2 * c] = chains[c].AsSpan(0, half).ToArray();
            split[2 * c + 1] = chains[c].AsSpan(secondStart, half).ToArray();
        }
        return split;
    }

    /// <summary>
    /// Mean as accurate as R's (long double sum, then a correction pass, summary.c): a compensated sum plus the
    /// same correction. For draws with a tiny spread around a large value (x = 1 + 1e-10 z) the centred draws,
    /// and so every autocovariance, depend on the last bits of the mean.
    /// </summary>
    public static double Mean(ReadOnlySpan<double> x)
    {
        double mean = CompensatedSum(x, 0) / x.Length;
        if (!double.IsFinite(mean)) return mean;
        return mean + CompensatedSum(x, mean) / x.Length;
    }

    public static double Mean(double[][] chains) => Mean(Pooled(chains));

    /// <summary>
    /// Chain mean as matrixStats::colMeans2 computes it (posterior's .rhat and .ess use it): a plain sequential
    /// double sum divided by n. For draws with a tiny spread the between-chain variance depends on these last bits.
    /// </summary>
    public static double SequentialMean(ReadOnlySpan<double> x)
    {
        double sum = 0;
        foreach (double v in x) sum += v;
        return sum / x.Length;
    }

    /// <summary>Mean of (x - center)^2 with an accurate sum, as base R's colMeans (long double accumulation).</summary>
    public static double MeanSquaredDeviation(ReadOnlySpan<double> x, double center)
    {
        double sum = 0, compensation = 0;
        foreach (double v in x) Neumaier(ref sum, ref compensation, (v - center) * (v - center));
        return Total(sum, compensation) / x.Length;
    }

    /// <summary>Sample variance (denominator n - 1), two-pass around the accurate mean; exactly 0 for constant input as R's var.</summary>
    public static double Variance(ReadOnlySpan<double> x)
    {
        double m = Mean(x), sum = 0, compensation = 0;
        foreach (double v in x) Neumaier(ref sum, ref compensation, (v - m) * (v - m));
        return Total(sum, compensation) / (x.Length - 1);
    }

    public static double Variance(double[][] chains) => Variance(Pooled(chains));

    /// <summary>Neumaier's compensated sum of x[i] - shift.</summary>
    private static double CompensatedSum(ReadOnlySpan<double> x, double shift)
    {
        double sum = 0, compensation = 0;
        foreach (double v in x) Neumaier(ref sum, ref compensation, v - shift);
        return Total(sum, compensation);
    }

    /// <summary>An infinite sum leaves a NaN compensation (Inf - Inf); the sum itself is then the answer.</summary>
    private static double Total(double sum, double compensation) => double.IsFinite(sum) ? sum + compensation : sum;

    private static void Neumaier(ref double sum, ref double compensation, double term)
    {
        double t = sum + term;
        compensation += Math.Abs(sum) >= Math.Abs(term) ? (sum - t) + term : (term - t) + sum;
        sum = t;
    }

    public static double[] Pooled(double[][] chains)
    {
        var all = new double[TotalDraws(chains)];
        int k = 0;
        foreach (var c in chains)
        {
            c.CopyTo(all, k);
            k += c.Length;
        }
        return all;
    }

    /// <summary>R's quantile(x, prob, type = 7) of sorted finite values, written in R's exact arithmetic order
    /// so the tail-ESS indicator x &lt;= q flips at the same draws as in R.</summary>
    public static double QuantileType7(double[] sorted, double prob)
    {
        int n = sorted.Length;
        double index = 1.0 + Math.Max(n - 1, 0) * prob;
        double lo = Math.Floor(index), hi = Math.Ceiling(index);
        double qs = sorted[(int)lo - 1], upper = sorted[(int)hi - 1];
        if (index > lo && upper != qs)
        {
            double h = index - lo;
            qs = (1 - h) * qs + h * upper;
        }
        return qs;
    }

    public static double Median(double[] sorted) => QuantileType7(sorted, 0.5);

    /// <summary>Ranks 1..S of all pooled draws, ties given their average rank (R's rank(ties.method = "average")).</summary>
    public static double[] AverageRanks(double[] values)
    {
        int n = values.Length;
        var keys = (double[])values.Clone();
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Array.Sort(keys, order);
        var ranks = new double[n];
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && keys[end] == keys[start]) end++;
            double average = (start + 1 + end) / 2.0; // mean of 1-based ranks start+1 .. end
            for (int k = start; k < end; k++) ranks[order[k]] = average;
            start = end;
        }
        return ranks;
    }

    /// <summary>
    /// posterior's z_scale: z = Phi^-1((r - 3/8) / (S + 1/4)) of average ranks over all pooled draws
    /// (Blom's offset, Vehtari et al. 2021, eq. 14), returned in the same chain layout.
    /// </summary>
    public static double[][] RankNormalize(double[][] chains)
    {
        var ranks = AverageRanks(Pooled(chains));
        double denominator = ranks.Length - 2 * 0.375 + 1;
        var z = new double[chains.Length][];
        int k = 0;
        for (int c = 0; c < chains.Length; c++)
        {
            z[c] = new double[chains[c].Length];
            for (int i = 0; i < z[c].Length; i++) z[c][i] = NormalQuantile.InverseCdf((ranks[k++] - 0.375) / denominator);
        }
        return z;
    }

    /// <summary>posterior's fold_draws: |x - median(x)| over all pooled draws.</summary>
    public static double[][] Fold(double[][] chains)
    {
        var sorted = Pooled(chains);
        Array.Sort(sorted);
        double median = Median(sorted);
        var folded = new double[chains.Length][];
        for (int c = 0; c < chains.Length; c++)
        {
            folded[c] = new double[chains[c].Length];
            for (int i = 0; i < folded[c].Length; i++) folded[c][i] = Math.Abs(chains[c][i] - median);
        }
        return folded;
    }
}
