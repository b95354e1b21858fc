namespace SamplerTune.Samplers.Problems;

/// <summary>
/// Normal linear regression on the user's data: y_i ~ N(alpha + x_i . beta, sigma^2),
/// alpha, beta_j ~ N(0, prior_scale^2), sigma ~ half-Cauchy(0, 2.5) (Gelman 2006, Bayesian Analysis 1(3)).
/// Unconstrained coordinates [alpha, beta_1..beta_D, log sigma]; sigma = exp(u) adds the log-Jacobian u
/// (Stan Reference Manual, lower-bound transform). Reported: alpha, beta[1..D], sigma.
/// Data file (JSON): {"N": int, "D": int, "X": [N rows of D numbers], "y": [N numbers]}.
/// </summary>
public sealed class LinearRegressionPosterior : IDataPosterior
{
    public const double SigmaPriorScale = 2.5;
    private const double HalfLogTwoPi = 0.91893853320467274178;

    public static ProblemFamily Family { get; } = new(
        "linear_regression",
        "normal linear regression on a user data file {N, D, X, y}; normal priors, half-Cauchy sigma",
        [
            new FieldSpec("prior_scale", FieldKind.Real, "sd of the normal prior on alpha and every beta", 2.5, 1e-6, 1e6),
        ],
        DataRequirement.Required,
        (p, data) => new LinearRegressionPosterior(
            RegressionData.Load(data ?? throw new SpecError("linear_regression needs a data file"), binaryResponse: false),
            p.Real("prior_scale")));

    private readonly RegressionData _data;
    private readonly CoefficientPrior _prior;
    private readonly string[] _names;
    private readonly double[] _residuals;

    public LinearRegressionPosterior(RegressionData data, double priorScale)
    {
        _data = data;
        _prior = CoefficientPrior.Normal(priorScale);
        _names = ["alpha", .. Enumerable.Range(1, data.D).Select(j => $"beta[{j}]"), "sigma"];
        _residuals = new double[data.N];
    }

    private LinearRegressionPosterior(LinearRegressionPosterior o)
    {
        (_data, _prior, _names) = (o._data, o._prior, o._names);
        _residuals = new double[o._data.N];
    }

    public int Dimension => _data.D + 2;
    public int DataCount => _data.N;
    public IReadOnlyList<string> ParameterNames => _names;
    public IPosterior Clone() => new LinearRegressionPosterior(this);

    private int LogSigmaIndex => _data.D + 1;

    public double LogDensityAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        int n = _data.N;
        double u = x[LogSigmaIndex], invVar = Math.Exp(-2 * u);
        _data.LinearPredictor(x, _residuals);
        double ss = 0;
        for (int i = 0; i < n; i++)
        {
            double r = _data.Y[i] - _residuals[i];
            ss += r * r;
            _residuals[i] = r * invVar;   // d loglik / d eta_i
        }
        _data.SetCoefficientGradient(_residuals, gradient);
        double ll = -n * (u + HalfLogTwoPi) - 0.5 * ss * invVar;
        gradient[LogSigmaIndex] = -n + ss * invVar;
        return ll + AddLogPriorAndGradient(x, gradient);
    }

    public double LogDensity(ReadOnlySpan<double> x)
    {
        int n = _data.N;
        double u = x[LogSigmaIndex];
        _data.LinearPredictor(x, _residuals);
        double ss = 0;
        for (int i = 0; i < n; i++) { double r = _data.Y[i] - _residuals[i]; ss += r * r; }
        return -n * (u + HalfLogTwoPi) - 0.5 * ss * Math.Exp(-2 * u)
               + _prior.LogDensity(x[..(_data.D + 1)]) + LogSigmaPrior(u, out _);
    }

    public double LogPriorAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        gradient[..Dimension].Clear();
        return AddLogPriorAndGradient(x, gradient);
    }

    public double LogLikelihoodAndGradient(ReadOnlySpan<double> x, ReadOnlySpan<int> indices, Span<double> gradient)
    {
        double u = x[LogSigmaIndex], invVar = Math.Exp(-2 * u), ll = 0;
        foreach (int i in indices)
        {
            double r = _data.Y[i] - _data.LinearPredictor(x, i);
            ll -= u + HalfLogTwoPi + 0.5 * r * r * invVar;
            _data.AddRowGradient(i, r * invVar, gradient);
            gradient[LogSigmaIndex] += r * r * invVar - 1;
        }
        return ll;
    }

    public void Constrain(ReadOnlySpan<double> x, Span<double> constrained)
    {
        x[..(_data.D + 1)].CopyTo(constrained);
        constrained[LogSigmaIndex] = Transforms.LowerBound(x[LogSigmaIndex]);
    }

    public double LogJacobian(ReadOnlySpan<double> x) => x[LogSigmaIndex];

    private double AddLogPriorAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double lp = _prior.AddLogDensityAndGradient(x[..(_data.D + 1)], gradient);
        lp += LogSigmaPrior(x[LogSigmaIndex], out double du);
        gradient[LogSigmaIndex] += du;
        return lp;
    }

    // Half-Cauchy(0, s) density 2 / (pi s (1 + sigma^2 / s^2)) at sigma = e^u, plus the log-Jacobian u.
    // With t = 2 (u - log s): log(1 + sigma^2 / s^2) = log1pexp(t), whose derivative in u is 2 logistic(t);
    // both forms stay finite for any u.
    private static double LogSigmaPrior(double u, out double gradient)
    {
        double t = 2 * (u - Math.Log(SigmaPriorScale));
        gradient = 1 - 2 * Transforms.Logistic(t);
        return Math.Log(2 / (Math.PI * SigmaPriorScale)) - Transforms.Log1pExp(t) + u;
    }
}
