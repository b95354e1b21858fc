using SamplerTune.Samplers.Common;

namespace SamplerTune.Samplers.Problems;

/// <summary>
/// The twisted-Gaussian "banana" (Haario, Saksman, Tamminen 1999, Comput. Stat. 14, §4):
/// x1 ~ N(0, 10^2), x2 | x1 ~ N(b (x1^2 - 100), 1), plus extra_dims independent N(0, 1) coordinates.
/// A curved ridge whose local scale changes along it. Exact moments (x1 has E x1 = E x1^3 = 0,
/// E x1^2 = 100, Var x1^2 = 2 * 100^2 = 2e4):
///   E x2 = b (E x1^2 - 100) = 0;
///   Var x2 = E Var(x2 | x1) + Var E(x2 | x1) = 1 + b^2 Var(x1^2) = 1 + 2e4 b^2;
///   Cov(x1, x2) = E[x1 E(x2 | x1)] = b (E x1^3 - 100 E x1) = 0;
/// the extra dimensions are independent of both.
/// </summary>
public sealed class BananaPosterior : IPosterior, IExactSampler, IExactMoments
{
    public const double ScaleX1 = 10;
    private const double HalfLogTwoPi = 0.91893853320467274178;

    public static ProblemFamily Family { get; } = new(
        "banana",
        "twisted Gaussian: x1 ~ N(0, 100), x2 | x1 ~ N(b (x1^2 - 100), 1), plus extra N(0, 1) dims; exact",
        [
            new FieldSpec("b", FieldKind.Real, "curvature of the ridge", 0.03, 0, 10),
            new FieldSpec("extra_dims", FieldKind.Int, "extra independent N(0, 1) dimensions", 0, 0, 100_000),
        ],
        DataRequirement.None,
        (p, _) => new BananaPosterior(p.Real("b"), p.Int("extra_dims")));

    private readonly double _b;
    private readonly int _d;
    private readonly string[] _names;

    public BananaPosterior(double b, int extraDims)
    {
        _b = b;
        _d = 2 + extraDims;
        _names = ["x1", "x2", .. Enumerable.Range(1, extraDims).Select(i => $"z[{i}]")];
    }

    public int Dimension => _d;
    public IReadOnlyList<string> ParameterNames => _names;
    public IPosterior Clone() => this;   // no scratch state: safe to share

    public double LogDensityAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double x1 = x[0], r = x[1] - _b * (x1 * x1 - ScaleX1 * ScaleX1);
        gradient[0] = -x1 / (ScaleX1 * ScaleX1) + r * 2 * _b * x1;
        gradient[1] = -r;
        double sq = 0;
        for (int j = 2; j < _d; j++) { sq += x[j] * x[j]; gradient[j] = -x[j]; }
        return LogDensity(x1, r, sq);
    }

    public double LogDensity(ReadOnlySpan<double> x)
    {
        double x1 = x[0], r = x[1] - _b * (x1 * x1 - ScaleX1 * ScaleX1);
        return LogDensity(x1, r, DenseMath.SquaredNorm(x[2.._d]));
    }

    private double LogDensity(double x1, double r, double extraSq) =>
        -0.5 * x1 * x1 / (ScaleX1 * ScaleX1) - 0.5 * r * r - 0.5 * extraSq - _d * HalfLogTwoPi - Math.Log(ScaleX1);

    public void Constrain(ReadOnlySpan<double> x, Span<double> constrained) => x[.._d].CopyTo(constrained);
    public double LogJacobian(ReadOnlySpan<double> x) => 0;

    public void SampleConstrained(Rng rng, Span<double> constrained)
    {
        double x1 = ScaleX1 * rng.NextNormal();
        constrained[0] = x1;
        constrained[1] = _b * (x1 * x1 - ScaleX1 * ScaleX1) + rng.NextNormal();
        for (int j = 2; j < _d; j++) constrained[j] = rng.NextNormal();
    }

    public double[] ExactMean => new double[_d];

    public double[,] ExactCovariance
    {
        get
        {
            var cov = new double[_d, _d];
            double s2 = ScaleX1 * ScaleX1;
            cov[0, 0] = s2;
            cov[1, 1] = 1 + _b * _b * 2 * s2 * s2;   // 1 + b^2 Var(x1^2), Var(x1^2) = 2 sigma^4
            for (int j = 2; j < _d; j++) cov[j, j] = 1;
            return cov;
        }
    }
}
