using SamplerTune.Samplers.Common;

namespace SamplerTune.Samplers.Problems;

/// <summary>
/// Equal-weight mixture of K unit-covariance Gaussians in d dimensions: p(x) = (1/K) sum_k N(x | m_k, I).
/// The means lie on the first axis, m_k = (k - (K - 1)/2) separation e_1 for k = 0..K-1: centred at 0,
/// neighbours exactly `separation` apart (so every pair at least that far), and the other axes are
/// plain N(0, 1). A multimodal target on which a single NUTS chain cannot hop between modes once
/// separation is large; the exact sampler and moments give the ground truth instead.
/// </summary>
public sealed class GaussianMixturePosterior : IPosterior, IExactSampler, IExactMoments
{
    private const double HalfLogTwoPi = 0.91893853320467274178;

    public static ProblemFamily Family { get; } = new(
        "gaussian_mixture",
        "equal-weight mixture of K unit Gaussians with means `separation` apart on the first axis; exact",
        [
            new FieldSpec("K", FieldKind.Int, "number of mixture components", 2, 1, 1000),
            new FieldSpec("d", FieldKind.Int, "dimension", 2, 1, 100_000),
            new FieldSpec("separation", FieldKind.Real, "distance between neighbouring component means", 8.0, 0, 1e6),
        ],
        DataRequirement.None,
        (p, _) => new GaussianMixturePosterior(p.Int("K"), p.Int("d"), p.Real("separation")));

    private readonly int _k, _d;
    private readonly double[] _means;       // K x d, row-major
    private readonly string[] _names;
    private readonly double[] _logComponent; // scratch: log N(x | m_k, I) per component

    public GaussianMixturePosterior(int k, int d, double separation)
    {
        _k = k; _d = d;
        _means = new double[k * d];
        for (int c = 0; c < k; c++) _means[c * d] = (c - (k - 1) / 2.0) * separation;
        _names = Enumerable.Range(1, d).Select(j => $"x[{j}]").ToArray();
        _logComponent = new double[k];
    }

    private GaussianMixturePosterior(GaussianMixturePosterior o)
    {
        (_k, _d, _means, _names) = (o._k, o._d, o._means, o._names);
        _logComponent = new double[o._k];
    }

    public int Dimension => _d;
    public IReadOnlyList<string> ParameterNames => _names;
    public IPosterior Clone() => new GaussianMixturePosterior(this);

    public ReadOnlySpan<double> Mean(int component) => _means.AsSpan(component * _d, _d);

    // log p = logsumexp_k(-|x - m_k|^2 / 2) - log K - d/2 log 2 pi; grad = sum_k w_k (m_k - x)
    // with responsibilities w_k = softmax_k(-|x - m_k|^2 / 2).
    public double LogDensityAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double max = double.NegativeInfinity;
        for (int c = 0; c < _k; c++)
        {
            _logComponent[c] = LogKernel(x, c);
            max = Math.Max(max, _logComponent[c]);
        }
        double total = 0;
        for (int c = 0; c < _k; c++) total += _logComponent[c] = Math.Exp(_logComponent[c] - max);

        for (int j = 0; j < _d; j++) gradient[j] = -x[j];
        for (int c = 0; c < _k; c++) DenseMath.Axpy(_logComponent[c] / total, Mean(c), gradient[.._d]);
        return max + Math.Log(total) - Normalizer;
    }

    public double LogDensity(ReadOnlySpan<double> x)
    {
        // One-pass (streaming) log-sum-exp.
        double max = double.NegativeInfinity, total = 0;
        for (int c = 0; c < _k; c++)
        {
            double l = LogKernel(x, c);
            if (l <= max) total += Math.Exp(l - max);
            else { total = total * Math.Exp(max - l) + 1; max = l; }
        }
        return max + Math.Log(total) - Normalizer;
    }

    private double Normalizer => Math.Log(_k) + _d * HalfLogTwoPi;

    private double LogKernel(ReadOnlySpan<double> x, int c)
    {
        var m = Mean(c);
        double sq = 0;
        for (int j = 0; j < _d; j++) { double r = x[j] - m[j]; sq += r * r; }
        return -0.5 * sq;
    }

    public void Constrain(ReadOnlySpan<double> x, Span<double> constrained) => x[.._d].CopyTo(constrained);
    public double LogJacobian(ReadOnlySpan<double> x) => 0;

    public void SampleConstrained(Rng rng, Span<double> constrained)
    {
        var m = Mean(rng.NextInt(_k));
        for (int j = 0; j < _d; j++) constrained[j] = m[j] + rng.NextNormal();
    }

    /// <summary>Mixture mean: the average of the component means.</summary>
    public double[] ExactMean
    {
        get
        {
            var mean = new double[_d];
            for (int c = 0; c < _k; c++) DenseMath.Axpy(1.0 / _k, Mean(c), mean);
            return mean;
        }
    }

    /// <summary>Law of total covariance: I (within components) + (1/K) sum_k (m_k - mbar)(m_k - mbar)^T (between).</summary>
    public double[,] ExactCovariance
    {
        get
        {
            var mean = ExactMean;
            var cov = new double[_d, _d];
            for (int j = 0; j < _d; j++) cov[j, j] = 1;
            for (int c = 0; c < _k; c++)
            {
                var m = Mean(c);
                for (int a = 0; a < _d; a++)
                    for (int b = 0; b < _d; b++) cov[a, b] += (m[a] - mean[a]) * (m[b] - mean[b]) / _k;
            }
            return cov;
        }
    }
}
