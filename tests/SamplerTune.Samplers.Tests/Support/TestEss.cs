namespace SamplerTune.Samplers.Tests.Support;

/// <summary>
/// Effective sample size of one chain by Geyer's initial monotone sequence estimator
/// (Geyer 1992; Stan Reference Manual, "Effective sample size"): sum the autocorrelation pairs
/// rho_2k + rho_2k+1 while positive, force them to decrease, tau = -1 + 2 sum. Test-only: the
/// product's diagnostics live in src/Samplers/Diagnostics.
/// </summary>
public static class TestEss
{
    public static double Compute(IReadOnlyList<double> x)
    {
        int n = x.Count;
        double mean = 0;
        for (int i = 0; i < n; i++) mean += x[i];
        mean /= n;
        double c0 = AutoCovariance(x, mean, 0);
        if (c0 == 0) return double.NaN;

        double tau = -1, previousPair = double.PositiveInfinity;
        for (int lag = 0; lag + 1 < n; lag += 2)
        {
            double pair = (AutoCovariance(x, mean, lag) + AutoCovariance(x, mean, lag + 1)) / c0;
            if (pair <= 0) break;
            pair = Math.Min(pair, previousPair);
            previousPair = pair;
            tau += 2 * pair;
        }
        // Stan's floor keeps antithetic chains from reporting absurdly large ESS.
        tau = Math.Max(tau, 1 / Math.Log10(n));
        return n / tau;
    }

    /// <summary>Biased (1/n) autocovariance at <paramref name="lag"/>, as the spectral estimators use.</summary>
    private static double AutoCovariance(IReadOnlyList<double> x, double mean, int lag)
    {
        double sum = 0;
        for (int i = 0; i + lag < x.Count; i++) sum += (x[i] - mean) * (x[i + lag] - mean);
        return sum / x.Count;
    }
}
