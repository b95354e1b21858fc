using SamplerTune.Samplers.Common;

namespace SamplerTune.Samplers.Problems;

/// <summary>
/// Two-level normal random-effects model in the non-centred parameterization (Papaspiliopoulos,
/// Roberts, Sköld 2007, Stat. Sci. 22(1); the "eight schools" form of Gelman et al., BDA3 §5.5):
///   y_i ~ N(theta_group(i), sigma^2), theta_j = mu + tau eta_j, eta_j ~ N(0, 1),
///   mu ~ N(0, 5^2), tau ~ half-Cauchy(0, 5), sigma known.
/// Unconstrained coordinates [mu, log tau, eta_1..eta_J]; tau = e^u adds the log-Jacobian u.
/// Reported: mu, tau, theta[1..J].
/// Data: generated from data_seed (J groups of n_per_group; true mu ~ N(0, 2^2), tau ~ |N(0, 1)|,
/// so tau is comparable to sigma / sqrt(n_per_group) and the posterior of tau reaches toward 0), or read
/// from a data file {"J": int, "N": int, "group": [N ints in 1..J], "y": [N numbers], "sigma": number}
/// ("sigma" optional there, else the spec field); groups without observations are allowed.
/// Default sigma = 1: with 5 observations per group the data sd of a group mean (0.45) is of the
/// order of tau, the regime where the non-centred form is needed and still informative.
/// </summary>
public sealed class HierarchicalPosterior : IDataPosterior
{
    public const double MuPriorSd = 5, TauPriorScale = 5;
    private const double HalfLogTwoPi = 0.91893853320467274178;

    public static ProblemFamily Family { get; } = new(
        "hierarchical",
        "non-centred two-level normal random effects (mu, tau, eta[J]) with known sigma; generated or from a data file",
        [
            new FieldSpec("J", FieldKind.Int, "number of groups (generated data)", 8, 1, 100_000),
            new FieldSpec("n_per_group", FieldKind.Int, "observations per group (generated data)", 5, 1, 100_000),
            new FieldSpec("sigma", FieldKind.Real, "known observation sd (a data file's 'sigma' overrides it)", 1.0, 1e-6, 1e6),
            new FieldSpec("data_seed", FieldKind.Int, "seed of the generated data", 1, 0, int.MaxValue),
        ],
        DataRequirement.Optional,
        (p, data) => data is null
            ? Generate(p.Int("J"), p.Int("n_per_group"), p.Real("sigma"), p.Int("data_seed"))
            : Load(data, p.Real("sigma")));

    private readonly int _j, _n;
    private readonly int[] _group;        // 0-based group of each observation
    private readonly double[] _y;
    private readonly double _sigma;
    // Per-group sufficient statistics: sum_i (y_i - theta)^2 = within_j + count_j (mean_j - theta)^2.
    private readonly int[] _count;
    private readonly double[] _groupMean, _within;
    private readonly string[] _names;

    public HierarchicalPosterior(int groups, int[] group, double[] y, double sigma)
    {
        if (group.Length != y.Length) throw new ArgumentException("group and y must have the same length");
        (_j, _n, _group, _y, _sigma) = (groups, y.Length, group, y, sigma);
        _count = new int[groups];
        _groupMean = new double[groups];
        _within = new double[groups];
        for (int i = 0; i < _n; i++) { _count[group[i]]++; _groupMean[group[i]] += y[i]; }
        for (int g = 0; g < groups; g++) if (_count[g] > 0) _groupMean[g] /= _count[g];
        for (int i = 0; i < _n; i++) { double r = y[i] - _groupMean[group[i]]; _within[group[i]] += r * r; }
        _names = ["mu", "tau", .. Enumerable.Range(1, groups).Select(g => $"theta[{g}]")];
    }

    // Never change this generator: the problem id hashes the spec, so the same spec must give the same data.
    public static HierarchicalPosterior Generate(int groups, int nPerGroup, double sigma, int dataSeed)
    {
        var rng = new Rng((ulong)dataSeed);
        double mu = 2 * rng.NextNormal(), tau = Math.Abs(rng.NextNormal());
        var group = new int[groups * nPerGroup];
        var y = new double[groups * nPerGroup];
        for (int g = 0; g < groups; g++)
        {
            double theta = mu + tau * rng.NextNormal();
            for (int k = 0; k < nPerGroup; k++)
            {
                int i = g * nPerGroup + k;
                group[i] = g;
                y[i] = theta + sigma * rng.NextNormal();
            }
        }
        return new HierarchicalPosterior(groups, group, y, sigma);
    }

    /// <summary>Reads {"J", "N", "group" (1-based), "y", optional "sigma"}; errors name the file and field.</summary>
    public static HierarchicalPosterior Load(DataFile file, double defaultSigma)
    {
        int groups = file.Int("J", min: 1);
        int n = file.Int("N", min: 1);
        var group = file.IntVector("group", n, 1, groups);
        for (int i = 0; i < n; i++) group[i]--;
        var y = file.Vector("y", n);
        double sigma = defaultSigma;
        if (file.Has("sigma"))
        {
            sigma = file.Real("sigma");
            if (!(sigma > 0)) throw new SpecError($"{file.Source}: field 'sigma' must be > 0, got {sigma}");
        }
        return new HierarchicalPosterior(groups, group, y, sigma);
    }

    public int Groups => _j;
    public double Sigma => _sigma;
    public int Dimension => _j + 2;
    public int DataCount => _n;
    public IReadOnlyList<string> ParameterNames => _names;
    public IPosterior Clone() => this;   // read-only data, no scratch: safe to share

    public double LogDensityAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double lp = LogPriorAndGradient(x, gradient);
        double mu = x[0], tau = Math.Exp(x[1]), invVar = 1 / (_sigma * _sigma), ll = 0;
        for (int g = 0; g < _j; g++)
        {
            double eta = x[2 + g], theta = mu + tau * eta, r = _groupMean[g] - theta;
            ll -= 0.5 * invVar * (_within[g] + _count[g] * r * r);
            double dTheta = _count[g] * r * invVar;
            gradient[0] += dTheta;
            gradient[1] += dTheta * tau * eta;
            gradient[2 + g] += dTheta * tau;
        }
        return lp + ll + LikelihoodConstant;
    }

    public double LogDensity(ReadOnlySpan<double> x)
    {
        double mu = x[0], u = x[1], tau = Math.Exp(u), invVar = 1 / (_sigma * _sigma), lp = 0;
        for (int g = 0; g < _j; g++)
        {
            double eta = x[2 + g], r = _groupMean[g] - (mu + tau * eta);
            lp -= 0.5 * eta * eta + 0.5 * invVar * (_within[g] + _count[g] * r * r);
        }
        return lp + LogHyperprior(mu, u, out _, out _) - _j * HalfLogTwoPi + LikelihoodConstant;
    }

    public double LogPriorAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double lp = LogHyperprior(x[0], x[1], out gradient[0], out gradient[1]);
        for (int g = 0; g < _j; g++)
        {
            double eta = x[2 + g];
            lp -= 0.5 * eta * eta + HalfLogTwoPi;
            gradient[2 + g] = -eta;
        }
        return lp;
    }

    public double LogLikelihoodAndGradient(ReadOnlySpan<double> x, ReadOnlySpan<int> indices, Span<double> gradient)
    {
        double mu = x[0], tau = Math.Exp(x[1]), invVar = 1 / (_sigma * _sigma), ll = 0;
        foreach (int i in indices)
        {
            int g = _group[i];
            double eta = x[2 + g], r = _y[i] - (mu + tau * eta);
            ll -= 0.5 * r * r * invVar;
            double dTheta = r * invVar;
            gradient[0] += dTheta;
            gradient[1] += dTheta * tau * eta;
            gradient[2 + g] += dTheta * tau;
        }
        return ll + indices.Length * LogNormalizerPerDatum;
    }

    public void Constrain(ReadOnlySpan<double> x, Span<double> constrained)
    {
        double mu = x[0], tau = Transforms.LowerBound(x[1]);
        constrained[0] = mu;
        constrained[1] = tau;
        for (int g = 0; g < _j; g++) constrained[2 + g] = mu + tau * x[2 + g];
    }

    public double LogJacobian(ReadOnlySpan<double> x) => x[1];

    private double LogNormalizerPerDatum => -Math.Log(_sigma) - HalfLogTwoPi;
    private double LikelihoodConstant => _n * LogNormalizerPerDatum;

    // log N(mu | 0, 5^2) + log half-Cauchy(tau | 0, 5) + log-Jacobian u, at tau = e^u. With t = 2 (u - log 5),
    // log(1 + tau^2 / 25) = log1pexp(t) and its u-derivative is 2 logistic(t): finite for any u.
    private static double LogHyperprior(double mu, double u, out double dMu, out double dU)
    {
        dMu = -mu / (MuPriorSd * MuPriorSd);
        double t = 2 * (u - Math.Log(TauPriorScale));
        dU = 1 - 2 * Transforms.Logistic(t);
        return -0.5 * mu * mu / (MuPriorSd * MuPriorSd) - Math.Log(MuPriorSd) - HalfLogTwoPi
               + Math.Log(2 / (Math.PI * TauPriorScale)) - Transforms.Log1pExp(t) + u;
    }
}
