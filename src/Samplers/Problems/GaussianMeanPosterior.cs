using SamplerTune.Samplers.Common;

namespace SamplerTune.Samplers.Problems;

/// <summary>
/// Conjugate Gaussian mean: y_i ~ N(mu, noise_sd^2 I_d), mu ~ N(prior_mean, prior_sd^2 I_d).
/// The posterior is N(m, s^2 I) with 1/s^2 = 1/prior_sd^2 + n/noise_sd^2 and
/// m = s^2 (prior_mean/prior_sd^2 + sum_i y_i / noise_sd^2) (Gelman et al., BDA3 §2.5).
/// </summary>
public sealed class GaussianMeanPosterior : IDataPosterior, IExactSampler, IExactMoments
{
    public static ProblemFamily Family { get; } = new(
        "gaussian_mean",
        "d-dim Gaussian mean with known noise sd and a normal prior; exact posterior",
        [
            new FieldSpec("d", FieldKind.Int, "dimension of the mean", 5, 1, 100_000),
            new FieldSpec("n", FieldKind.Int, "number of generated observations", 100, 1, 10_000_000),
            new FieldSpec("noise_sd", FieldKind.Real, "known observation noise sd", 1.0, 1e-12, 1e12),
            new FieldSpec("prior_mean", FieldKind.Real, "prior mean of every coordinate", 0.0),
            new FieldSpec("prior_sd", FieldKind.Real, "prior sd of every coordinate", 10.0, 1e-12, 1e12),
            new FieldSpec("data_seed", FieldKind.Int, "seed of the generated data", 1, 0, int.MaxValue),
        ],
        DataRequirement.None,
        (p, _) => new GaussianMeanPosterior(p.Int("d"), p.Int("n"), p.Real("noise_sd"), p.Real("prior_mean"), p.Real("prior_sd"), p.Int("data_seed")));

    private readonly int _d, _n;
    private readonly double _noiseSd, _priorMean, _priorSd;
    private readonly double[] _y;          // n x d, row-major
    private readonly double[] _postMean;
    private readonly double _postSd;
    private readonly string[] _names;

    public GaussianMeanPosterior(int d, int n, double noiseSd, double priorMean, double priorSd, int dataSeed)
    {
        _d = d; _n = n; _noiseSd = noiseSd; _priorMean = priorMean; _priorSd = priorSd;
        var rng = new Rng((ulong)dataSeed);
        var trueMean = new double[d];
        for (int j = 0; j < d; j++) trueMean[j] = priorMean + priorSd * 0.5 * rng.NextNormal();
        _y = new double[n * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) _y[i * d + j] = trueMean[j] + noiseSd * rng.NextNormal();

        double precision = 1 / (priorSd * priorSd) + n / (noiseSd * noiseSd);
        _postSd = Math.Sqrt(1 / precision);
        _postMean = new double[d];
        for (int j = 0; j < d; j++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += _y[i * d + j];
            _postMean[j] = (priorMean / (priorSd * priorSd) + sum / (noiseSd * noiseSd)) / precision;
        }
        _names = Enumerable.Range(1, d).Select(j => $"mu[{j}]").ToArray();
    }

    private GaussianMeanPosterior(GaussianMeanPosterior o)
    {
        (_d, _n, _noiseSd, _priorMean, _priorSd, _y, _postMean, _postSd, _names) =
            (o._d, o._n, o._noiseSd, o._priorMean, o._priorSd, o._y, o._postMean, o._postSd, o._names);
    }

    public int Dimension => _d;
    public int DataCount => _n;
    public IReadOnlyList<string> ParameterNames => _names;
    public IPosterior Clone() => new GaussianMeanPosterior(this);

    // The likelihood sum collapses onto the sufficient statistics, so the full density is O(d):
    // sum_i log N(y_i | mu, s^2) = -(n |mu - ybar|^2) / (2 s^2) + const, and the exact posterior
    // is Gaussian, so we evaluate it directly in that form (same density up to a constant).
    public double LogDensityAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double inv = 1 / (_postSd * _postSd), lp = 0;
        for (int j = 0; j < _d; j++)
        {
            double r = x[j] - _postMean[j];
            lp -= 0.5 * r * r * inv;
            gradient[j] = -r * inv;
        }
        return lp;
    }

    public double LogDensity(ReadOnlySpan<double> x)
    {
        double inv = 1 / (_postSd * _postSd), lp = 0;
        for (int j = 0; j < _d; j++) { double r = x[j] - _postMean[j]; lp -= 0.5 * r * r * inv; }
        return lp;
    }

    public double LogPriorAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double inv = 1 / (_priorSd * _priorSd), lp = 0;
        for (int j = 0; j < _d; j++)
        {
            double r = x[j] - _priorMean;
            lp -= 0.5 * r * r * inv;
            gradient[j] = -r * inv;
        }
        return lp;
    }

    public double LogLikelihoodAndGradient(ReadOnlySpan<double> x, ReadOnlySpan<int> indices, Span<double> gradient)
    {
        double inv = 1 / (_noiseSd * _noiseSd), ll = 0;
        foreach (int i in indices)
        {
            var yi = _y.AsSpan(i * _d, _d);
            for (int j = 0; j < _d; j++)
            {
                double r = yi[j] - x[j];
                ll -= 0.5 * r * r * inv;
                gradient[j] += r * inv;
            }
        }
        return ll;
    }

    public void Constrain(ReadOnlySpan<double> x, Span<double> constrained) => x.CopyTo(constrained);
    public double LogJacobian(ReadOnlySpan<double> x) => 0;

    public void SampleConstrained(Rng rng, Span<double> constrained)
    {
        for (int j = 0; j < _d; j++) constrained[j] = _postMean[j] + _postSd * rng.NextNormal();
    }

    public double[] ExactMean => (double[])_postMean.Clone();

    public double[,] ExactCovariance
    {
        get
        {
            var c = new double[_d, _d];
            for (int j = 0; j < _d; j++) c[j, j] = _postSd * _postSd;
            return c;
        }
    }
}
