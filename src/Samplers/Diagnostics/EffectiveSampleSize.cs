namespace SamplerTune.Samplers.Diagnostics;

/// <summary>
/// posterior's .ess (Vehtari et al. 2021, Bayesian Analysis 16(2), section 3.2; Stan reference manual "Effective
/// sample size"): multi-chain autocorrelations rho_t = 1 - (W - mean_chain_autocov_t) / var_plus, Geyer's initial
/// positive sequence on pairs, the initial monotone sequence, the last positive even term added as Stan does,
/// and tau floored at 1 / log10(S) so ESS never exceeds S log10(S).
/// </summary>
public static class EffectiveSampleSize
{
    /// <summary>ESS of chains of equal length exactly as posterior's .ess; NaN when posterior gives NA
    /// (fewer than 3 draws per chain, non-finite draws, or all draws equal).</summary>
    public static double Compute(double[][] chains) => Compute(chains, new AutocovarianceScratch());

    internal static double Compute(double[][] chains, AutocovarianceScratch scratch)
    {
        int m = chains.Length, n = chains[0].Length;
        if (n < 3 || !ChainMath.AllFinite(chains) || ChainMath.IsConstant(chains)) return double.NaN;

        var acovMeans = scratch.Means(n);
        Array.Clear(acovMeans, 0, n);
        var chainMeans = new double[m];
        var acov = scratch.Row(n);
        for (int c = 0; c < m; c++)
        {
            Autocovariance.Compute(chains[c], acov, scratch);
            for (int t = 0; t < n; t++) acovMeans[t] += acov[t];
            chainMeans[c] = ChainMath.SequentialMean(chains[c]); // matrixStats::colMeans2
        }
        for (int t = 0; t < n; t++) acovMeans[t] /= m;

        double meanVar = acovMeans[0] * n / (n - 1);
        double varPlus = meanVar * (n - 1) / n;
        if (m > 1) varPlus += ChainMath.Variance(chainMeans);

        var rho = scratch.Rho(n);
        Array.Clear(rho, 0, n);
        int t0 = 0;
        double rhoEven = 1;
        rho[0] = rhoEven;
        double rhoOdd = 1 - (meanVar - acovMeans[1]) / varPlus;
        rho[1] = rhoOdd;
        // Geyer's initial positive sequence: sum pairs while their sum stays positive.
        while (t0 < n - 5 && !double.IsNaN(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0)
        {
            t0 += 2;
            rhoEven = 1 - (meanVar - acovMeans[t0]) / varPlus;
            rhoOdd = 1 - (meanVar - acovMeans[t0 + 1]) / varPlus;
            if (rhoEven + rhoOdd >= 0)
            {
                rho[t0] = rhoEven;
                rho[t0 + 1] = rhoOdd;
            }
        }
        int maxT = t0;
        // Stan's improvement: the last even term is kept when positive (less bias for antithetic chains).
        if (rhoEven > 0) rho[maxT] = rhoEven;

        // Geyer's initial monotone sequence.
        for (int t = 0; t <= maxT - 4;)
        {
            t += 2;
            if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1])
            {
                rho[t] = (rho[t - 2] + rho[t - 1]) / 2;
                rho[t + 1] = rho[t];
            }
        }

        // R's sum(rho_hat_t[1:max_t]) takes index 1 alone when max_t is 0 (1:0 is c(1, 0)).
        double sum = 0;
        for (int t = 0; t < Math.Max(maxT, 1); t++) sum += rho[t];
        double tau = -1 + 2 * sum + rho[maxT];
        double draws = (double)m * n;
        tau = Math.Max(tau, 1 / Math.Log10(draws));
        return draws / tau;
    }
}
