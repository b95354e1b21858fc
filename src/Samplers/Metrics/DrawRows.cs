using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;

namespace SamplerTune.Samplers.Metrics;

/// <summary>Draws pooled over chains as rows of one row-major array, and the sample moments the distance needs.</summary>
public static class DrawRows
{
    /// <summary>All draws of all chains, chain after chain: row i is <c>rows[i * P .. (i + 1) * P]</c>.</summary>
    public static double[] Pool(ChainDraws draws, out int count)
    {
        int p = draws.Parameters, n = draws.DrawsPerChain;
        count = draws.Chains * n;
        var rows = new double[count * p];
        for (int c = 0; c < draws.Chains; c++) draws.Draws[c].AsSpan(0, n * p).CopyTo(rows.AsSpan(c * n * p));
        return rows;
    }

    /// <summary>The rows whose every value is finite; <paramref name="dropped"/> counts the others.</summary>
    public static double[] Finite(double[] rows, int count, int dim, out int kept, out int dropped)
    {
        var result = new List<double>(rows.Length);
        kept = 0;
        for (int i = 0; i < count; i++)
        {
            var row = rows.AsSpan(i * dim, dim);
            bool finite = true;
            foreach (double v in row) finite &= double.IsFinite(v);
            if (!finite) continue;
            foreach (double v in row) result.Add(v);
            kept++;
        }
        dropped = count - kept;
        return result.ToArray();
    }

    public static double[] Mean(double[] rows, int count, int dim)
    {
        var mean = new double[dim];
        for (int i = 0; i < count; i++)
            for (int j = 0; j < dim; j++) mean[j] += rows[i * dim + j];
        for (int j = 0; j < dim; j++) mean[j] /= count;
        return mean;
    }

    /// <summary>Sample covariance with the n - 1 denominator (numpy.cov's default).</summary>
    public static double[][] Covariance(double[] rows, int count, int dim, double[] mean)
    {
        var cov = new double[dim][];
        for (int a = 0; a < dim; a++) cov[a] = new double[dim];
        var centered = new double[dim];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < dim; j++) centered[j] = rows[i * dim + j] - mean[j];
            for (int a = 0; a < dim; a++)
            {
                double ca = centered[a];
                var row = cov[a];
                for (int b = a; b < dim; b++) row[b] += ca * centered[b];
            }
        }
        for (int a = 0; a < dim; a++)
            for (int b = a; b < dim; b++) cov[b][a] = cov[a][b] /= count - 1;
        return cov;
    }

    /// <summary>
    /// <paramref name="take"/> rows chosen without replacement, in random order (a partial Fisher-Yates shuffle of the row
    /// indices), reproducible from <paramref name="rng"/>.
    /// </summary>
    public static double[] Subsample(double[] rows, int count, int dim, int take, Rng rng)
    {
        take = Math.Min(take, count);
        var index = new int[count];
        for (int i = 0; i < count; i++) index[i] = i;
        var result = new double[take * dim];
        for (int i = 0; i < take; i++)
        {
            int j = i + rng.NextInt(count - i);
            (index[i], index[j]) = (index[j], index[i]);
            rows.AsSpan(index[i] * dim, dim).CopyTo(result.AsSpan(i * dim, dim));
        }
        return result;
    }
}
