using MathNet.Numerics;

namespace SamplerTune.Coordinator.Optimization;

/// <summary>
/// The standard normal truncated to [a, b], computed in log space so far tails stay finite; a port of Optuna's
/// optuna/samplers/_tpe/_truncnorm.py (itself after SciPy's truncnorm). One difference: Optuna 3.1.0's logpdf omits
/// the -log(scale) Jacobian term (fixed in later Optuna releases); <see cref="LogPdf"/> includes it.
/// </summary>
internal static class TruncatedNormal
{
    internal static readonly double LogSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);
    private const double MachineEpsilon = 2.220446049250313e-16; // Python's sys.float_info.epsilon

    /// <summary>Standard normal CDF, with erfc in the tails as Optuna's _ndtr_single.</summary>
    public static double Ndtr(double a)
    {
        double x = a / Math.Sqrt(2);
        if (x < -1 / Math.Sqrt(2)) return 0.5 * SpecialFunctions.Erfc(-x);
        if (x < 1 / Math.Sqrt(2)) return 0.5 + 0.5 * SpecialFunctions.Erf(x);
        return 1.0 - 0.5 * SpecialFunctions.Erfc(x);
    }

    /// <summary>log Phi(a), with the asymptotic series below -20 (Optuna's _log_ndtr_single).</summary>
    public static double LogNdtr(double a)
    {
        if (a > 6) return -Ndtr(-a);
        if (a > -20) return Math.Log(Ndtr(a));
        double logLhs = -0.5 * a * a - Math.Log(-a) - LogSqrt2Pi;
        double last = 0, rhs = 1, numerator = 1, denomFactor = 1, denomCons = 1 / (a * a);
        int sign = 1;
        for (int i = 1; Math.Abs(last - rhs) > MachineEpsilon && i < 200; i++)
        {
            last = rhs;
            sign = -sign;
            denomFactor *= denomCons;
            numerator *= 2 * i - 1;
            rhs += sign * numerator * denomFactor;
        }
        return logLhs + Math.Log(rhs);
    }

    /// <summary>Phi(-8.5) = 9.5e-18 is below half an ulp of 1 (2^-54): beyond it on both sides the mass rounds to exactly 1.</summary>
    private const double WholeMassBound = 8.5;

    /// <summary>log of the standard normal mass in [a, b].</summary>
    public static double LogGaussMass(double a, double b)
    {
        // The exact value the formula below would round to, without its two erfc: most Parzen kernels of a long
        // history are narrow (magic clip range/100) and far from both bounds.
        if (a <= -WholeMassBound && b >= WholeMassBound) return 0;
        if (b <= 0) return LogDiff(LogNdtr(b), LogNdtr(a));
        if (a > 0) return LogDiff(LogNdtr(-a), LogNdtr(-b));
        return Math.Log(1 - Ndtr(a) - Ndtr(-b));
    }

    private static double LogDiff(double logP, double logQ) => logP + Math.Log(-ExpM1(logQ - logP));

    private static double LogSum(double logP, double logQ)
    {
        double m = Math.Max(logP, logQ);
        return double.IsNegativeInfinity(m) ? m : m + Math.Log(Math.Exp(logP - m) + Math.Exp(logQ - m));
    }

    /// <summary>x with log Phi(x) = y. Optuna bisects 100 times; Newton from a normal-quantile start reaches the same root in a few steps.</summary>
    public static double NdtriExp(double y)
    {
        double x = y > -700 ? MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, Math.Clamp(Math.Exp(y), 1e-300, 1 - 1e-16)) : -Math.Sqrt(-2 * y);
        if (!double.IsFinite(x)) x = y > -1 ? 8 : -Math.Sqrt(-2 * y);
        double lo = -100, hi = 100;
        for (int it = 0; it < 50; it++)
        {
            double f = LogNdtr(x) - y;
            if (f < 0) lo = Math.Max(lo, x); else hi = Math.Min(hi, x);
            if (Math.Abs(f) < 1e-14 * Math.Max(1, Math.Abs(y))) break;
            // d/dx log Phi(x) = phi(x) / Phi(x)
            double slope = Math.Exp(-0.5 * x * x - LogSqrt2Pi - LogNdtr(x));
            double next = x - f / slope;
            x = next > lo && next < hi && double.IsFinite(next) ? next : 0.5 * (lo + hi);
        }
        return x;
    }

    // Accurate log(1 + x) and exp(x) - 1 near 0 (Goldberg's and Kahan's tricks); .NET's double.LogP1/ExpM1 are not.
    internal static double Log1P(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    internal static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1) return x;
        if (u - 1 == -1) return -1;
        return double.IsInfinity(u) ? u : (u - 1) * x / Math.Log(u);
    }

    /// <summary>The q-quantile of the standard normal truncated to [a, b] (Optuna's ppf).</summary>
    public static double Ppf(double q, double a, double b)
    {
        if (q <= 0) return a;
        if (q >= 1) return b;
        double x;
        if (a < 0) x = NdtriExp(LogSum(LogNdtr(a), Math.Log(q) + LogGaussMass(a, b)));
        else x = -NdtriExp(LogSum(LogNdtr(-b), Log1P(-q) + LogGaussMass(a, b)));
        return Math.Clamp(x, a, b);
    }

    /// <summary>A draw from N(loc, scale^2) truncated to [low, high], by inverting the CDF of one uniform.</summary>
    public static double Sample(Samplers.Common.Rng rng, double loc, double scale, double low, double high) =>
        loc + scale * Ppf(rng.NextDouble(), (low - loc) / scale, (high - loc) / scale);
}
