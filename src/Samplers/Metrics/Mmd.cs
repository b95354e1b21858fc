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
                distances[k++] = SquaredDistance(x.Slice(i * dim, dim), x.Slice(j * dim, dim)); // sqrt is monotone: taken after selecting
        long m = distances.LongLength;
        // numpy.median: the mean of the two middle values for an even count. Selection instead of a full sort: for
        // the 2000-point reference subsample that is 2 million distances, and sorting them was most of a reference load.
        double upper = Math.Sqrt(SelectInPlace(distances, m / 2));
        if (m % 2 == 1) return upper;
        double lower = double.NegativeInfinity;
        for (long i = 0; i < m / 2; i++) lower = Math.Max(lower, distances[i]); // the left part holds the m/2 smallest
        return 0.5 * (Math.Sqrt(lower) + upper);
    }

    /// <summary>
    /// Hoare's quickselect (median-of-three pivots): reorders <paramref name="a"/> so that a[k] is the value a full sort
    /// would put there, everything before it no larger and everything after it no smaller; returns a[k].
    /// </summary>
    private static double SelectInPlace(double[] a, long k)
    {
        long lo = 0, hi = a.LongLength - 1;
        while (lo < hi)
        {
            long mid = lo + (hi - lo) / 2;
            if (a[mid] < a[lo]) (a[mid], a[lo]) = (a[lo], a[mid]);
            if (a[hi] < a[lo]) (a[hi], a[lo]) = (a[lo], a[hi]);
            if (a[hi] < a[mid]) (a[hi], a[mid]) = (a[mid], a[hi]);
            double pivot = a[mid];
            long i = lo, j = hi;
            while (i <= j)
            {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) { (a[i], a[j]) = (a[j], a[i]); i++; j--; }
            }
            // Now a[lo..j] <= pivot <= a[i..hi], and a[j+1..i-1] (if any) equal the pivot.
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return a[k];
        }
        return a[k];
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
