namespace SamplerTune.Samplers.Metrics;

/// <summary>
/// Maximum mean discrepancy with an RBF kernel (Gretton, Borgwardt, Rasch, Schölkopf, Smola,
/// JMLR 2012, eq. 3: the unbiased estimate of MMD^2). Points are rows of row-major arrays.
/// </summary>
public static class Mmd
{
    /// <summary>
    /// Unbiased MMD^2 = mean_{i != j} k(x_i, x_j) + mean_{i != j} k(y_i, y_j) - 2 mean_{i,j} k(x_i, y_j),
    /// with k(a, b) = exp(-|a - b|^2 / (2 s^2)). It can be negative when the samples agree; reported as is.
    /// </summary>
    public static double UnbiasedSquared(ReadOnlySpan<double> x, int nx, ReadOnlySpan<double> y, int ny, int dim, double bandwidth)
    {
        if (nx < 2 || ny < 2) throw new ArgumentException("MMD needs at least two points per sample");
        double scale = -1 / (2 * bandwidth * bandwidth);
        double kxx = SumOffDiagonal(x, nx, dim, scale) / ((double)nx * (nx - 1));
        double kyy = SumOffDiagonal(y, ny, dim, scale) / ((double)ny * (ny - 1));
        double kxy = 0;
        for (int i = 0; i < nx; i++)
        {
            var xi = x.Slice(i * dim, dim);
            for (int j = 0; j < ny; j++) kxy += Math.Exp(scale * SquaredDistance(xi, y.Slice(j * dim, dim)));
        }
        return kxx + kyy - 2 * kxy / ((double)nx * ny);
    }

    /// <summary>Median of the pairwise Euclidean distances among the rows (the median heuristic for the RBF bandwidth).</summary>
    public static double MedianPairwiseDistance(ReadOnlySpan<double> x, int n, int dim)
    {
        if (n < 2) throw new ArgumentException("the median heuristic needs at least two points");
        var distances = new double[(long)n * (n - 1) / 2];
        long k = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                distances[k++] = Math.Sqrt(SquaredDistance(x.Slice(i * dim, dim), x.Slice(j * dim, dim)));
        Array.Sort(distances);
        long m = distances.LongLength;
        // numpy.median: the mean of the two middle values for an even count.
        return m % 2 == 1 ? distances[m / 2] : 0.5 * (distances[m / 2 - 1] + distances[m / 2]);
    }

    private static double SumOffDiagonal(ReadOnlySpan<double> x, int n, int dim, double scale)
    {
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            var xi = x.Slice(i * dim, dim);
            for (int j = i + 1; j < n; j++) sum += Math.Exp(scale * SquaredDistance(xi, x.Slice(j * dim, dim)));
        }
        return 2 * sum;
    }

    private static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) { double d = a[i] - b[i]; s += d * d; }
        return s;
    }
}
