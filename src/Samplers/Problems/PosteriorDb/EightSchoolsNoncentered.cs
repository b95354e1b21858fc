namespace SamplerTune.Samplers.Problems.PosteriorDb;

/// <summary>
/// posteriordb eight_schools-eight_schools_noncentered (Rubin 1981; Gelman et al., BDA3 §5.5), non-centred:
/// theta_trans ~ normal(0, 1), theta = mu + tau theta_trans, y ~ normal(theta, sigma), mu ~ normal(0, 5),
/// tau ~ cauchy(0, 5) with tau &gt; 0. Sampled [theta_trans_1..J, mu, u] with tau = exp(u);
/// reported as the reference draws list them: [theta[1..J], mu, tau].
/// </summary>
public sealed class EightSchoolsNoncentered : IDataPosterior
{
    public const string Name = "eight_schools_noncentered";

    public static ProblemFamily Family { get; } = new(
        Name,
        "posteriordb eight_schools-eight_schools_noncentered: hierarchical normal model, non-centred (J + 2 parameters)",
        [],
        DataRequirement.Optional,
        (_, data) => FromData(data ?? PosteriorDbData.Bundled(Name)));

    /// <summary>Reads J, y (J numbers) and sigma (J numbers &gt; 0).</summary>
    public static EightSchoolsNoncentered FromData(DataFile data)
    {
        int j = data.Int("J");
        return new EightSchoolsNoncentered(data.Vector("y", j), PosteriorDbData.Positive(data, "sigma", data.Vector("sigma", j)));
    }

    private const double MuPriorSd = 5, TauPriorScale = 5;
    private readonly double[] _y, _invVar; // invVar = 1 / sigma_j^2
    private readonly int _j;
    private readonly string[] _names;

    public EightSchoolsNoncentered(double[] y, double[] sigma)
    {
        if (y.Length != sigma.Length) throw new ArgumentException("y and sigma lengths differ");
        (_y, _j) = (y, y.Length);
        _invVar = sigma.Select(s => 1 / (s * s)).ToArray();
        _names = [.. PosteriorDbData.Indexed("theta", _j), "mu", "tau"];
    }

    private EightSchoolsNoncentered(EightSchoolsNoncentered o) => (_y, _invVar, _j, _names) = (o._y, o._invVar, o._j, o._names);

    public int Dimension => _j + 2;
    public int DataCount => _j;
    public IReadOnlyList<string> ParameterNames => _names;
    public IPosterior Clone() => new EightSchoolsNoncentered(this);

    public double LogDensityAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double lp = LogPriorAndGradient(x, gradient);
        double mu = x[_j], tau = Math.Exp(x[_j + 1]);
        for (int i = 0; i < _j; i++) lp += Likelihood(x, i, mu, tau, gradient);
        return lp;
    }

    public double LogDensity(ReadOnlySpan<double> x)
    {
        double mu = x[_j], u = x[_j + 1], tau = Math.Exp(u), lp = LogPrior(x, mu, u, tau);
        for (int i = 0; i < _j; i++)
        {
            double r = _y[i] - (mu + tau * x[i]);
            lp -= 0.5 * r * r * _invVar[i];
        }
        return lp;
    }

    public double LogPriorAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double mu = x[_j], u = x[_j + 1], tau = Math.Exp(u), z = tau / TauPriorScale;
        for (int i = 0; i < _j; i++) gradient[i] = -x[i];
        gradient[_j] = -mu / (MuPriorSd * MuPriorSd);
        gradient[_j + 1] = -2 * z * z / (1 + z * z) + 1; // half-Cauchy in u, plus d/du of the log-Jacobian u
        return LogPrior(x, mu, u, tau);
    }

    public double LogLikelihoodAndGradient(ReadOnlySpan<double> x, ReadOnlySpan<int> indices, Span<double> gradient)
    {
        double mu = x[_j], tau = Math.Exp(x[_j + 1]), ll = 0;
        foreach (int i in indices) ll += Likelihood(x, i, mu, tau, gradient);
        return ll;
    }

    // theta_trans ~ N(0,1), mu ~ N(0, 5), tau ~ half-Cauchy(0, 5), plus log-Jacobian u of tau = exp(u).
    private double LogPrior(ReadOnlySpan<double> x, double mu, double u, double tau)
    {
        double lp = 0, z = tau / TauPriorScale;
        for (int i = 0; i < _j; i++) lp -= 0.5 * x[i] * x[i];
        return lp - 0.5 * mu * mu / (MuPriorSd * MuPriorSd) - double.LogP1(z * z) + u;
    }

    // log N(y_i | theta_i, sigma_i) with theta_i = mu + tau theta_trans_i; gradient added by the chain rule.
    private double Likelihood(ReadOnlySpan<double> x, int i, double mu, double tau, Span<double> gradient)
    {
        double r = _y[i] - (mu + tau * x[i]);
        double dTheta = r * _invVar[i];
        gradient[i] += dTheta * tau;
        gradient[_j] += dTheta;
        gradient[_j + 1] += dTheta * tau * x[i];
        return -0.5 * r * dTheta;
    }

    public void Constrain(ReadOnlySpan<double> x, Span<double> constrained)
    {
        double mu = x[_j], tau = Transforms.LowerBound(x[_j + 1]);
        for (int i = 0; i < _j; i++) constrained[i] = mu + tau * x[i];
        constrained[_j] = mu;
        constrained[_j + 1] = tau;
    }

    /// <summary>
    /// log |det| of the map (theta_trans, mu, u) -> (theta, mu, tau): it is block triangular with
    /// diagonal tau I_J, 1, tau, so (J + 1) u. (The density's own log-Jacobian is only u: theta is derived.)
    /// </summary>
    public double LogJacobian(ReadOnlySpan<double> x) => (_j + 1) * x[_j + 1];
}
