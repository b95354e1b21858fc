namespace SamplerTune.Samplers.Problems;

public enum CoefficientPriorKind { Normal, Cauchy }

/// <summary>
/// The same independent location-0 prior on every regression coefficient (normal or Cauchy with a
/// scale, as in Gelman et al. 2008, "A weakly informative default prior distribution for logistic
/// regression"). Normalizing constants are included so log densities are comparable across families.
/// </summary>
public readonly record struct CoefficientPrior(CoefficientPriorKind Kind, double Scale)
{
    private const double HalfLogTwoPi = 0.91893853320467274178;

    public static CoefficientPrior Normal(double scale) => new(CoefficientPriorKind.Normal, scale);
    public static CoefficientPrior Cauchy(double scale) => new(CoefficientPriorKind.Cauchy, scale);

    /// <summary>Sum of the log prior over <paramref name="coefficients"/>; its gradient is ADDED into <paramref name="gradient"/>.</summary>
    public double AddLogDensityAndGradient(ReadOnlySpan<double> coefficients, Span<double> gradient)
    {
        double s = Scale, lp = 0;
        if (Kind == CoefficientPriorKind.Normal)
        {
            double inv = 1 / (s * s);
            for (int j = 0; j < coefficients.Length; j++)
            {
                double c = coefficients[j];
                lp -= 0.5 * c * c * inv;
                gradient[j] -= c * inv;
            }
        }
        else
        {
            for (int j = 0; j < coefficients.Length; j++)
            {
                double c = coefficients[j];
                lp -= Math.Log(1 + c * c / (s * s));
                gradient[j] -= 2 * c / (s * s + c * c);
            }
        }
        return lp + coefficients.Length * LogNormalizer;
    }

    public double LogDensity(ReadOnlySpan<double> coefficients)
    {
        double s = Scale, lp = 0;
        if (Kind == CoefficientPriorKind.Normal)
            foreach (double c in coefficients) lp -= 0.5 * c * c / (s * s);
        else
            foreach (double c in coefficients) lp -= Math.Log(1 + c * c / (s * s));
        return lp + coefficients.Length * LogNormalizer;
    }

    /// <summary>Log density of one coefficient at 0 minus its kernel: -log(s sqrt(2 pi)) or -log(pi s).</summary>
    private double LogNormalizer => Kind == CoefficientPriorKind.Normal
        ? -Math.Log(Scale) - HalfLogTwoPi
        : -Math.Log(Math.PI * Scale);
}
