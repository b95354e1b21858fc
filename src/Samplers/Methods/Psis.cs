namespace SamplerTune.Samplers.Methods;

/// <summary>
/// Pareto-smoothed importance sampling (Vehtari, Simpson, Gelman, Yao &amp; Gabry 2024, JMLR 25(72))
/// and its k-hat diagnostic as a check of a variational approximation (Yao, Vehtari, Simpson &amp;
/// Gelman 2018, "Yes, but did it work?", ICML). Follows the R package loo 2.5.1 (psis.R,
/// gpdfit.R) step for step, with r_eff = 1 (independent draws from q): the largest
/// M = ceil(min(S / 5, 3 sqrt(S))) log ratios are fitted with a generalized Pareto distribution
/// by Zhang &amp; Stephens (2009, Technometrics 51(3)) and the weakly informative prior
/// adjustment k = (M k + 10 * 0.5) / (M + 10).
/// k-hat &lt; 0.5: the importance weights (and q) are reliable; &lt; 0.7 usable; above, not.
/// </summary>
public static class Psis
{
    /// <summary>Generalized Pareto shape k and scale sigma (k &gt; 0: heavy tail with 1/k finite moments).</summary>
    public readonly record struct GeneralizedParetoFit(double K, double Sigma);

    /// <summary>Fewer tail draws than this and loo gives up (k-hat = Inf).</summary>
    public const int MinimumTailLength = 5;

    /// <summary>loo refuses to fit a tail whose values all agree to within machine epsilon / 100.</summary>
    private const double TailTieTolerance = 2.220446049250313e-16 / 100;

    /// <summary>loo's n_pareto with r_eff = 1.</summary>
    public static int TailLength(int draws) => (int)Math.Ceiling(Math.Min(0.2 * draws, 3 * Math.Sqrt(draws)));

    /// <summary>The Pareto k-hat of <paramref name="logRatios"/> (e.g. log p(x) - log q(x) at draws from q); +Inf when it cannot be fitted.</summary>
    public static double ParetoK(ReadOnlySpan<double> logRatios) => Smooth(logRatios).ParetoK;

    /// <summary>
    /// loo's do_psis_i: the smoothed log weights (the tail replaced by GPD quantiles, then
    /// truncated at the largest raw ratio) and k-hat. Non-finite ratios follow the arithmetic:
    /// NaN counts as -Inf (zero weight), +Inf gives k-hat = +Inf.
    /// </summary>
    public static (double[] LogWeights, double ParetoK) Smooth(ReadOnlySpan<double> logRatios)
    {
        int s = logRatios.Length;
        var lw = new double[s];
        double max = double.NegativeInfinity;
        for (int i = 0; i < s; i++)
        {
            lw[i] = double.IsNaN(logRatios[i]) ? double.NegativeInfinity : logRatios[i];
            max = Math.Max(max, lw[i]);
        }
        if (!double.IsFinite(max)) return (lw, double.PositiveInfinity);
        for (int i = 0; i < s; i++) lw[i] -= max;

        double k = double.PositiveInfinity;
        int tail = TailLength(s);
        if (tail >= MinimumTailLength && tail < s)
        {
            var order = Enumerable.Range(0, s).ToArray();
            var sorted = (double[])lw.Clone();
            Array.Sort(sorted, order);
            int first = s - tail;
            double cutoff = sorted[first - 1];   // the largest value below the tail
            if (sorted[s - 1] - sorted[first] >= TailTieTolerance)
            {
                double expCutoff = Math.Exp(cutoff);
                var exceedances = new double[tail];
                for (int i = 0; i < tail; i++) exceedances[i] = Math.Exp(sorted[first + i]) - expCutoff;
                var fit = FitGeneralizedPareto(exceedances);
                k = fit.K;
                if (double.IsFinite(k))
                    for (int i = 0; i < tail; i++)
                    {
                        double p = (i + 0.5) / tail;
                        lw[order[first + i]] = Math.Log(GeneralizedParetoQuantile(p, fit) + expCutoff);
                    }
            }
        }
        for (int i = 0; i < s; i++) lw[i] = Math.Min(lw[i], 0) + max;
        return (lw, k);
    }

    /// <summary>
    /// Zhang &amp; Stephens (2009) empirical-Bayes fit of a GPD to sorted positive exceedances, as
    /// loo's gpdfit: a grid of 30 + floor(sqrt(n)) values of theta = -k / sigma, weighted by the
    /// profile likelihood, and with <paramref name="weaklyInformativePrior"/> the shrinkage of k toward 0.5.
    /// </summary>
    public static GeneralizedParetoFit FitGeneralizedPareto(ReadOnlySpan<double> sortedExceedances, bool weaklyInformativePrior = true)
    {
        int n = sortedExceedances.Length;
        const double prior = 3;
        int m = 30 + (int)Math.Floor(Math.Sqrt(n));
        double xStar = sortedExceedances[(int)Math.Floor(n / 4.0 + 0.5) - 1];   // first quartile (loo's 1-based index)
        var theta = new double[m];
        var logLik = new double[m];
        double maxLogLik = double.NegativeInfinity;
        for (int j = 0; j < m; j++)
        {
            theta[j] = 1 / sortedExceedances[n - 1] + (1 - Math.Sqrt(m / (j + 0.5))) / prior / xStar;
            // Profile log likelihood per observation: log(a / k) - k - 1 with a = -theta, k = mean log1p(a x).
            double a = -theta[j], meanLog = MeanLogOnePlus(a, sortedExceedances);
            logLik[j] = n * (Math.Log(a / meanLog) - meanLog - 1);
            if (!double.IsNaN(logLik[j])) maxLogLik = Math.Max(maxLogLik, logLik[j]);
        }
        double weightSum = 0, thetaHat = 0;
        for (int j = 0; j < m; j++) weightSum += Math.Exp(logLik[j] - maxLogLik);
        for (int j = 0; j < m; j++) thetaHat += theta[j] * Math.Exp(logLik[j] - maxLogLik) / weightSum;
        double k = MeanLogOnePlus(-thetaHat, sortedExceedances);
        double sigma = -k / thetaHat;
        if (weaklyInformativePrior) k = (n * k + 10 * 0.5) / (n + 10);
        if (double.IsNaN(k)) k = double.PositiveInfinity;
        return new GeneralizedParetoFit(k, sigma);
    }

    /// <summary>loo's qgpd: sigma * expm1(-k log1p(-p)) / k (NaN for a non-positive scale).</summary>
    public static double GeneralizedParetoQuantile(double p, GeneralizedParetoFit fit) =>
        double.IsNaN(fit.Sigma) || fit.Sigma <= 0 ? double.NaN : fit.Sigma * ExpM1(-fit.K * LogOnePlus(-p)) / fit.K;

    private static double MeanLogOnePlus(double a, ReadOnlySpan<double> x)
    {
        double sum = 0;
        foreach (double v in x) sum += LogOnePlus(a * v);
        return sum / x.Length;
    }

    // .NET has no log1p/expm1; these keep full relative accuracy near 0 (Goldberg 1991, "What every computer scientist...", thm 4).
    private static double LogOnePlus(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    private static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1) return x;
        if (double.IsPositiveInfinity(u)) return u;
        double um1 = u - 1;
        return um1 == -1 ? -1 : um1 * x / Math.Log(u);
    }
}
