using SamplerTune.Samplers.Common;

namespace SamplerTune.Samplers.Problems;

/// <summary>
/// Neal's funnel (Neal 2003, "Slice sampling", Ann. Statist. 31(3), §8): v ~ N(0, 3^2) and
/// x_i | v ~ N(0, e^v) for i = 1..d-1, so d is the total dimension. Its scale varies by orders of
/// magnitude along v, which defeats any fixed step size. Exact moments: E v = 0, Var v = 9, E x_i = 0,
/// Var x_i = E[e^v] = e^(9/2) (the lognormal mean), and all covariances vanish (x_i is symmetric given v).
/// </summary>
public sealed class FunnelPosterior : IPosterior, IExactSampler, IExactMoments
{
    public const double ScaleV = 3;
    private const double HalfLogTwoPi = 0.91893853320467274178;

    public static ProblemFamily Family { get; } = new(
        "funnel",
        "Neal's funnel: v ~ N(0, 9), x_i | v ~ N(0, e^v); d is the total dimension; exact",
        [
            new FieldSpec("d", FieldKind.Int, "total dimension (v plus d - 1 x's)", 10, 2, 100_000),
        ],
        DataRequirement.None,
        (p, _) => new FunnelPosterior(p.Int("d")));

    private readonly int _d;
    private readonly string[] _names;

    public FunnelPosterior(int d)
    {
        if (d < 2) throw new ArgumentOutOfRangeException(nameof(d), "the funnel needs v and at least one x");
        _d = d;
        _names = ["v", .. Enumerable.Range(1, d - 1).Select(i => $"x[{i}]")];
    }

    public int Dimension => _d;
    public IReadOnlyList<string> ParameterNames => _names;
    public IPosterior Clone() => this;   // no scratch state: safe to share

    // log p = -v^2 / 18 - sum_i (v / 2 + x_i^2 e^-v / 2) - d/2 log 2 pi - log 3.
    public double LogDensityAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double v = x[0], precision = Math.Exp(-v), sq = 0;
        for (int i = 1; i < _d; i++)
        {
            sq += x[i] * x[i];
            gradient[i] = -x[i] * precision;
        }
        gradient[0] = -v / (ScaleV * ScaleV) - 0.5 * (_d - 1) + 0.5 * sq * precision;
        return LogDensity(v, sq, precision);
    }

    public double LogDensity(ReadOnlySpan<double> x)
    {
        double sq = DenseMath.SquaredNorm(x[1.._d]);
        return LogDensity(x[0], sq, Math.Exp(-x[0]));
    }

    private double LogDensity(double v, double sq, double precision) =>
        -0.5 * v * v / (ScaleV * ScaleV) - 0.5 * (_d - 1) * v - 0.5 * sq * precision
        - _d * HalfLogTwoPi - Math.Log(ScaleV);

    public void Constrain(ReadOnlySpan<double> x, Span<double> constrained) => x[.._d].CopyTo(constrained);
    public double LogJacobian(ReadOnlySpan<double> x) => 0;

    public void SampleConstrained(Rng rng, Span<double> constrained)
    {
        double v = ScaleV * rng.NextNormal(), sd = Math.Exp(v / 2);
        constrained[0] = v;
        for (int i = 1; i < _d; i++) constrained[i] = sd * rng.NextNormal();
    }

    public double[] ExactMean => new double[_d];

    public double[,] ExactCovariance
    {
        get
        {
            var cov = new double[_d, _d];
            cov[0, 0] = ScaleV * ScaleV;
            double varX = Math.Exp(ScaleV * ScaleV / 2);   // E e^v for v ~ N(0, 9)
            for (int i = 1; i < _d; i++) cov[i, i] = varX;
            return cov;
        }
    }
}
