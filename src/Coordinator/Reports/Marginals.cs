using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Metrics;

namespace SamplerTune.Coordinator.Reports;

/// <summary>Which marginals of a run's draws the report shows over the reference, and their histograms. Akka- and plot-free.</summary>
public static class Marginals
{
    /// <summary>The first <paramref name="max"/> parameters (the 1-D panels).</summary>
    public static IReadOnlyList<int> FirstParameters(int parameters, int max = 3) => Enumerable.Range(0, Math.Min(parameters, max)).ToList();

    /// <summary>
    /// The pair of parameters with the largest absolute correlation in the reference (ties: the first in order), so the
    /// 2-D panel shows the shape a method most easily gets wrong; (0, 1) when all correlations are zero; null below 2 parameters.
    /// </summary>
    public static (int I, int J)? MostCorrelatedPair(double[][] cov)
    {
        int d = cov.Length;
        if (d < 2) return null;
        (int, int) pair = (0, 1);
        double bestAbs = -1;
        for (int i = 0; i < d; i++)
            for (int j = i + 1; j < d; j++)
            {
                double denominator = Math.Sqrt(cov[i][i] * cov[j][j]);
                double r = denominator > 0 ? Math.Abs(cov[i][j] / denominator) : 0;
                if (r > bestAbs) { bestAbs = r; pair = (i, j); }
            }
        return pair;
    }

    /// <summary>Sample covariance of the pooled draws (n - 1).</summary>
    public static double[][] Covariance(ChainDraws draws)
    {
        var rows = DrawRows.Pool(draws, out int count);
        return DrawRows.Covariance(rows, count, draws.Parameters, DrawRows.Mean(rows, count, draws.Parameters));
    }

    /// <summary>Finite values of parameter <paramref name="p"/>, all chains pooled.</summary>
    public static double[] Values(ChainDraws draws, int p) => draws.Parameter(p).SelectMany(c => c).Where(double.IsFinite).ToArray();

    /// <summary>At most <paramref name="max"/> values, evenly spaced through the array (keeps every chain represented), for scatter plots.</summary>
    public static double[] Thin(double[] values, int max)
    {
        if (values.Length <= max) return values;
        var result = new double[max];
        for (int k = 0; k < max; k++) result[k] = values[(int)((long)k * values.Length / max)];
        return result;
    }

    /// <summary>
    /// Density histogram on common bins: the edges span the central 99.8% of the reference and the run together (the
    /// tails of a bad run would otherwise squash the picture). Densities integrate to the fraction of values inside the edges.
    /// </summary>
    public static (double[] Edges, double[] Density) Histogram(double[] values, double lo, double hi, int bins)
    {
        if (!(hi > lo)) throw new ArgumentException($"histogram range [{lo}, {hi}] is empty");
        var edges = Enumerable.Range(0, bins + 1).Select(k => lo + (hi - lo) * k / bins).ToArray();
        var counts = new double[bins];
        foreach (var v in values)
        {
            if (v < lo || v > hi) continue;
            int k = Math.Min((int)((v - lo) / (hi - lo) * bins), bins - 1);
            counts[k]++;
        }
        double width = (hi - lo) / bins;
        int n = Math.Max(values.Length, 1);
        return (edges, counts.Select(c => c / (n * width)).ToArray());
    }

    /// <summary>The histogram range shared by the reference and a run: quantiles 0.001 and 0.999 of both pooled.</summary>
    public static (double Lo, double Hi) CommonRange(double[] reference, double[] run)
    {
        var all = reference.Concat(run).Where(double.IsFinite).Order().ToArray();
        if (all.Length == 0) return (-1, 1);
        double lo = all[(int)(0.001 * (all.Length - 1))], hi = all[(int)Math.Ceiling(0.999 * (all.Length - 1))];
        if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
        return (lo, hi);
    }

    /// <summary>A reference subsample for plots: at most <paramref name="max"/> draws, seeded (the same picture every time).</summary>
    public static ChainDraws Subsample(ChainDraws draws, int max, ulong seed = 1)
    {
        var rows = DrawRows.Pool(draws, out int count);
        if (count <= max) return draws;
        var picked = DrawRows.Subsample(rows, count, draws.Parameters, max, Rng.ForStream(seed, 3));
        return new ChainDraws(draws.ParameterNames, [picked], new Dictionary<string, IReadOnlyList<double[]>>());
    }
}
