namespace SamplerTune.Samplers.Diagnostics;

/// <summary>
/// posterior's .rhat: the classic potential scale reduction sqrt(((n - 1)/n W + B/n) / W) with chain variances
/// using n - 1 (Gelman et al., BDA3 eq. 11.4; Vehtari et al. 2021 eq. 3-4). NaN for non-finite or all-equal draws.
/// </summary>
public static class PotentialScaleReduction
{
    public static double Compute(double[][] chains)
    {
        if (!ChainMath.AllFinite(chains) || ChainMath.IsConstant(chains)) return double.NaN;
        int m = chains.Length, n = chains[0].Length;
        var chainMeans = new double[m];
        double withinSum = 0;
        for (int c = 0; c < m; c++)
        {
            // matrixStats::colMeans2 and colVars(center = chain_mean), bit for bit where it matters.
            chainMeans[c] = ChainMath.SequentialMean(chains[c]);
            withinSum += ChainMath.MeanSquaredDeviation(chains[c], chainMeans[c]) * ((double)n / (n - 1));
        }
        double varBetween = n * ChainMath.Variance(chainMeans);
        double varWithin = withinSum / m;
        return Math.Sqrt((varBetween / varWithin + n - 1) / n);
    }
}
