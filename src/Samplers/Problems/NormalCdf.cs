using MathNet.Numerics;

namespace SamplerTune.Samplers.Problems;

/// <summary>
/// log Phi(z) and its derivative phi(z) / Phi(z) for the standard normal, accurate over the whole
/// real line, as a probit likelihood needs them (Phi underflows below z = -38, and 1 - Phi(z)
/// loses every digit for z above 8 if computed naively).
/// </summary>
public static class NormalCdf
{
    private const double Sqrt2 = 1.4142135623730950488;
    private const double HalfLogTwoPi = 0.91893853320467274178;

    // Below this z the asymptotic series is used; at |z| = 30 its truncation error, the first omitted term
    // 135135 / z^14 ~ 3e-16, is below double rounding, while erfc(-z / sqrt 2) ~ 1e-197 is still a normal double.
    private const double AsymptoticBelow = -30;

    /// <summary>Phi(z) = erfc(-z / sqrt 2) / 2.</summary>
    public static double Cdf(double z) => 0.5 * SpecialFunctions.Erfc(-z / Sqrt2);

    /// <summary>log Phi(z).</summary>
    public static double LogCdf(double z)
    {
        if (z < AsymptoticBelow) return LogPdf(z) - Math.Log(-z) + Math.Log(AsymptoticSeries(z));
        // For z > 0, Phi(z) = 1 - Phi(-z) and log1p keeps the tiny upper tail (log Phi(10) = -7.6e-24).
        return z > 0
            ? Log1p(-0.5 * SpecialFunctions.Erfc(z / Sqrt2))
            : Math.Log(0.5 * SpecialFunctions.Erfc(-z / Sqrt2));
    }

    /// <summary>d/dz log Phi(z) = phi(z) / Phi(z) (the inverse Mills ratio at -z); tends to -z as z -> -inf.</summary>
    public static double LogCdfDerivative(double z)
    {
        LogCdf(z, out double derivative);
        return derivative;
    }

    /// <summary>log Phi(z) and, sharing its special-function call, d/dz log Phi(z).</summary>
    public static double LogCdf(double z, out double derivative)
    {
        if (z < AsymptoticBelow)
        {
            double series = AsymptoticSeries(z);
            derivative = -z / series;
            return LogPdf(z) - Math.Log(-z) + Math.Log(series);
        }
        double logCdf = LogCdf(z);
        derivative = Math.Exp(LogPdf(z) - logCdf);
        return logCdf;
    }

    /// <summary>log phi(z).</summary>
    public static double LogPdf(double z) => -0.5 * z * z - HalfLogTwoPi;

    /// <summary>log(1 + x) accurate for tiny x (Goldberg 1991, "What every computer scientist should know...", Thm 4).</summary>
    private static double Log1p(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    // Mills ratio expansion (Abramowitz & Stegun 26.2.12): Phi(z) = phi(z) / (-z) * S(z) for z -> -inf,
    // S(z) = 1 - 1/z^2 + 3/z^4 - 15/z^6 + ... + (-1)^k (2k-1)!! / z^(2k).
    private static double AsymptoticSeries(double z)
    {
        double inv = 1 / (z * z), term = 1, sum = 1;
        for (int k = 1; k <= 6; k++)
        {
            term *= -(2 * k - 1) * inv;
            sum += term;
        }
        return sum;
    }
}
