namespace SamplerTune.Samplers.Diagnostics;

/// <summary>
/// posterior's autocovariance(): the biased autocovariance (divisor N) of one chain at lags 0..N-1 via FFT with zero
/// padding to at least 2N (so the circular correlation equals the linear one), scaled as posterior does:
/// ac / ac[0] * var(x) * (N - 1) / N; a chain with zero variance gives all zeros.
/// </summary>
public static class Autocovariance
{
    public static double[] Compute(double[] x)
    {
        var result = new double[x.Length];
        Compute(x, result, new AutocovarianceScratch());
        return result;
    }

    internal static void Compute(double[] x, double[] result, AutocovarianceScratch scratch)
    {
        int n = x.Length;
        // R's var() of identical values is exactly 0; a double-precision mean might not reproduce that, so test equality.
        if (Array.TrueForAll(x, v => v == x[0]))
        {
            Array.Clear(result, 0, n);
            return;
        }
        double variance = ChainMath.Variance(x);
        int length = Fft.NextPowerOfTwo(2 * n);
        var (re, im) = scratch.Fft(length);
        double mean = ChainMath.Mean(x);
        for (int i = 0; i < n; i++) re[i] = x[i] - mean;
        Array.Clear(re, n, length - n);
        Array.Clear(im, 0, length);

        Fft.Transform(re, im, length, inverse: false);
        for (int k = 0; k < length; k++)
        {
            re[k] = re[k] * re[k] + im[k] * im[k];
            im[k] = 0;
        }
        Fft.Transform(re, im, length, inverse: true);

        double scale = variance * (n - 1) / n / re[0];
        for (int t = 0; t < n; t++) result[t] = re[t] * scale;
    }
}

/// <summary>Buffers reused across the autocovariances and ESS computations of one summary (no per-chain allocation).</summary>
internal sealed class AutocovarianceScratch
{
    private double[] _re = [], _im = [], _row = [], _means = [], _rho = [];

    public (double[] Re, double[] Im) Fft(int length)
    {
        if (_re.Length < length)
        {
            _re = new double[length];
            _im = new double[length];
        }
        return (_re, _im);
    }

    public double[] Row(int n) => _row.Length >= n ? _row : _row = new double[n];
    public double[] Means(int n) => _means.Length >= n ? _means : _means = new double[n];
    public double[] Rho(int n) => _rho.Length >= n ? _rho : _rho = new double[n];
}
