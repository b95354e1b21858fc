using SamplerTune.Samplers.Common;

namespace SamplerTune.Samplers.Problems.PosteriorDb;

/// <summary>Prior on the noise scale sigma &gt; 0 (half-distributions by Stan's <c>&lt;lower=0&gt;</c> constraint).</summary>
public enum ScalePrior { Flat, HalfNormal, HalfCauchy }

/// <summary>
/// Coefficient prior N(0, CoefficientSd^2) per coefficient (flat when infinite) and the sigma prior with its scale.
/// </summary>
public sealed record RegressionPrior(double CoefficientSd, ScalePrior Sigma, double SigmaScale)
{
    public static RegressionPrior FlatCoefficients(ScalePrior sigma, double sigmaScale = 1) => new(double.PositiveInfinity, sigma, sigmaScale);
}

/// <summary>
/// The Gaussian linear regression shared by several posteriordb models (kidiq, mesquite, sblr, arK):
/// y_i ~ normal(X_i . beta, sigma), sigma = exp(u) (Stan's lower-bound transform, log-Jacobian u).
/// Unconstrained layout [beta_1 .. beta_p, u]; reported [beta_1 .. beta_p, sigma] under the model's names.
/// Constants (log 2 pi, normalisers) are dropped as Stan's <c>~</c> does.
/// </summary>
public sealed class GaussianRegressionPosterior : IDataPosterior
{
    private readonly double[] _design;   // rows x cols, row-major; read-only, shared by clones
    private readonly double[] _response; // rows
    private readonly int _rows, _cols;
    private readonly RegressionPrior _prior;
    private readonly string[] _names;

    public GaussianRegressionPosterior(double[] design, int rows, int cols, double[] response, RegressionPrior prior, IEnumerable<string> coefficientNames)
    {
        if (design.Length != rows * cols || response.Length != rows) throw new ArgumentException("design and response shapes disagree");
        (_design, _rows, _cols, _response, _prior) = (design, rows, cols, response, prior);
        _names = [.. coefficientNames, "sigma"];
        if (_names.Length != cols + 1) throw new ArgumentException("one name per coefficient expected");
    }

    public int Dimension => _cols + 1;
    public int DataCount => _rows;
    public IReadOnlyList<string> ParameterNames => _names;

    // No scratch buffers: every evaluation works row by row on the read-only data, which clones share.
    public IPosterior Clone() => new GaussianRegressionPosterior(_design, _rows, _cols, _response, _prior, _names[.._cols]);

    public double LogDensityAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double lp = LogPriorAndGradient(x, gradient);
        var beta = x[.._cols];
        var gradBeta = gradient[.._cols];
        double u = x[_cols], invVar = Math.Exp(-2 * u), sumSq = 0;
        for (int i = 0; i < _rows; i++)
        {
            var row = _design.AsSpan(i * _cols, _cols);
            double r = _response[i] - DenseMath.Dot(row, beta);
            sumSq += r * r;
            DenseMath.Axpy(r * invVar, row, gradBeta);
        }
        gradient[_cols] += -_rows + sumSq * invVar;
        return lp - _rows * u - 0.5 * sumSq * invVar;
    }

    public double LogDensity(ReadOnlySpan<double> x)
    {
        var beta = x[.._cols];
        double u = x[_cols], invVar = Math.Exp(-2 * u), sumSq = 0;
        for (int i = 0; i < _rows; i++)
        {
            double r = _response[i] - DenseMath.Dot(_design.AsSpan(i * _cols, _cols), beta);
            sumSq += r * r;
        }
        return LogPrior(x, gradient: default, withGradient: false) - _rows * u - 0.5 * sumSq * invVar;
    }

    public double LogPriorAndGradient(ReadOnlySpan<double> x, Span<double> gradient) => LogPrior(x, gradient, withGradient: true);

    public double LogLikelihoodAndGradient(ReadOnlySpan<double> x, ReadOnlySpan<int> indices, Span<double> gradient)
    {
        var beta = x[.._cols];
        var gradBeta = gradient[.._cols];
        double u = x[_cols], invVar = Math.Exp(-2 * u), sumSq = 0;
        foreach (int i in indices)
        {
            var row = _design.AsSpan(i * _cols, _cols);
            double r = _response[i] - DenseMath.Dot(row, beta);
            sumSq += r * r;
            DenseMath.Axpy(r * invVar, row, gradBeta);
        }
        gradient[_cols] += -indices.Length + sumSq * invVar;
        return -indices.Length * u - 0.5 * sumSq * invVar;
    }

    // log p(beta) + log p(sigma) + u, the last being the log-Jacobian of sigma = exp(u).
    private double LogPrior(ReadOnlySpan<double> x, Span<double> gradient, bool withGradient)
    {
        double lp = 0;
        if (double.IsPositiveInfinity(_prior.CoefficientSd))
        {
            if (withGradient) gradient[.._cols].Clear();
        }
        else
        {
            double inv = 1 / (_prior.CoefficientSd * _prior.CoefficientSd);
            for (int j = 0; j < _cols; j++)
            {
                lp -= 0.5 * x[j] * x[j] * inv;
                if (withGradient) gradient[j] = -x[j] * inv;
            }
        }
        double u = x[_cols], sigma = Math.Exp(u), z = sigma / _prior.SigmaScale;
        (double logSigmaPrior, double dLogSigmaPrior) = _prior.Sigma switch
        {
            ScalePrior.Flat => (0.0, 0.0),
            ScalePrior.HalfNormal => (-0.5 * z * z, -z * z),                                 // d/du of -z^2/2 with dz/du = z
            ScalePrior.HalfCauchy => (-double.LogP1(z * z), -2 * z * z / (1 + z * z)),
            _ => throw new InvalidOperationException(_prior.Sigma.ToString()),
        };
        if (withGradient) gradient[_cols] = dLogSigmaPrior + 1;
        return lp + logSigmaPrior + u;
    }

    public void Constrain(ReadOnlySpan<double> x, Span<double> constrained)
    {
        x[.._cols].CopyTo(constrained);
        constrained[_cols] = Transforms.LowerBound(x[_cols]);
    }

    public double LogJacobian(ReadOnlySpan<double> x) => x[_cols];
}
