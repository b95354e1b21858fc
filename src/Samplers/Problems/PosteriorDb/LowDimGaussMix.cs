namespace SamplerTune.Samplers.Problems.PosteriorDb;

/// <summary>
/// posteriordb low_dim_gauss_mix: two-component 1-d Gaussian mixture,
/// y_n ~ theta normal(mu[1], sigma[1]) + (1 - theta) normal(mu[2], sigma[2]), with ordered mu ~ normal(0, 2),
/// sigma ~ normal(0, 2) with sigma &gt; 0, theta ~ beta(5, 5) on (0, 1).
/// Unconstrained [a1, a2, s1, s2, v] with Stan's transforms (Reference Manual, "Constraint transforms"):
/// mu[1] = a1, mu[2] = a1 + exp(a2) (log-Jacobian a2); sigma[k] = exp(s_k) (s_k); theta = logistic(v)
/// (log theta + log(1 - theta)).
/// </summary>
public sealed class LowDimGaussMix : IDataPosterior
{
    public const string Name = "low_dim_gauss_mix";

    public static ProblemFamily Family { get; } = new(
        Name,
        "posteriordb low_dim_gauss_mix: two-component Gaussian mixture with ordered means (5 parameters)",
        [],
        DataRequirement.Optional,
        (_, data) => FromData(data ?? PosteriorDbData.Bundled(Name)));

    /// <summary>Reads N and y (N numbers).</summary>
    public static LowDimGaussMix FromData(DataFile data)
    {
        int n = data.Int("N");
        return new LowDimGaussMix(data.Vector("y", n));
    }

    private const double MuPriorSd = 2, SigmaPriorSd = 2, ThetaPriorA = 5, ThetaPriorB = 5;
    private static readonly string[] Names = ["mu[1]", "mu[2]", "sigma[1]", "sigma[2]", "theta"];
    private readonly double[] _y;

    public LowDimGaussMix(double[] y) => _y = y;

    public int Dimension => 5;
    public int DataCount => _y.Length;
    public IReadOnlyList<string> ParameterNames => Names;

    // No scratch buffers; clones share the read-only data.
    public IPosterior Clone() => new LowDimGaussMix(_y);

    /// <summary>The constrained values and the per-datum quantities derived once per evaluation.</summary>
    private readonly struct Point
    {
        public readonly double Mu1, Mu2, A2, Exp2, S1, S2, InvVar1, InvVar2, Theta, LogTheta, Log1mTheta;

        public Point(ReadOnlySpan<double> x)
        {
            Mu1 = x[0]; A2 = x[1]; Exp2 = Math.Exp(A2); Mu2 = Mu1 + Exp2;
            S1 = x[2]; S2 = x[3];
            InvVar1 = Math.Exp(-2 * S1); InvVar2 = Math.Exp(-2 * S2);
            Theta = Transforms.Logistic(x[4]);
            LogTheta = -Transforms.Log1pExp(-x[4]);
            Log1mTheta = -Transforms.Log1pExp(x[4]);
        }
    }

    public double LogDensityAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        var p = new Point(x);
        double lp = Prior(p, gradient, withGradient: true);
        for (int n = 0; n < _y.Length; n++) lp += Likelihood(p, _y[n], gradient, withGradient: true);
        return lp;
    }

    public double LogDensity(ReadOnlySpan<double> x)
    {
        var p = new Point(x);
        double lp = Prior(p, default, withGradient: false);
        for (int n = 0; n < _y.Length; n++) lp += Likelihood(p, _y[n], default, withGradient: false);
        return lp;
    }

    public double LogPriorAndGradient(ReadOnlySpan<double> x, Span<double> gradient) => Prior(new Point(x), gradient, withGradient: true);

    public double LogLikelihoodAndGradient(ReadOnlySpan<double> x, ReadOnlySpan<int> indices, Span<double> gradient)
    {
        var p = new Point(x);
        double ll = 0;
        foreach (int n in indices) ll += Likelihood(p, _y[n], gradient, withGradient: true);
        return ll;
    }

    // Priors in constrained space plus the log-Jacobians, differentiated in the unconstrained coordinates.
    private static double Prior(in Point p, Span<double> gradient, bool withGradient)
    {
        double muInv = 1 / (MuPriorSd * MuPriorSd), sigmaInv = 1 / (SigmaPriorSd * SigmaPriorSd);
        double sigma1Sq = 1 / p.InvVar1, sigma2Sq = 1 / p.InvVar2;
        double lp = -0.5 * (p.Mu1 * p.Mu1 + p.Mu2 * p.Mu2) * muInv + p.A2
                    - 0.5 * (sigma1Sq + sigma2Sq) * sigmaInv + p.S1 + p.S2
                    + ThetaPriorA * p.LogTheta + ThetaPriorB * p.Log1mTheta; // beta(a, b) density (a - 1, b - 1) plus log-Jacobian (1, 1)
        if (withGradient)
        {
            double dMu1 = -p.Mu1 * muInv, dMu2 = -p.Mu2 * muInv;
            gradient[0] = dMu1 + dMu2;
            gradient[1] = dMu2 * p.Exp2 + 1;
            gradient[2] = -sigma1Sq * sigmaInv + 1;
            gradient[3] = -sigma2Sq * sigmaInv + 1;
            gradient[4] = ThetaPriorA * (1 - p.Theta) - ThetaPriorB * p.Theta;
        }
        return lp;
    }

    // log_mix(theta, normal_lpdf(y | mu1, sigma1), normal_lpdf(y | mu2, sigma2)) by log-sum-exp, without log(2 pi)/2;
    // its gradient weights each component's gradient by its responsibility w_k.
    private static double Likelihood(in Point p, double y, Span<double> gradient, bool withGradient)
    {
        double r1 = y - p.Mu1, r2 = y - p.Mu2;
        double a = p.LogTheta - p.S1 - 0.5 * r1 * r1 * p.InvVar1;
        double b = p.Log1mTheta - p.S2 - 0.5 * r2 * r2 * p.InvVar2;
        double max = Math.Max(a, b), e = Math.Exp(-Math.Abs(a - b));
        double ll = max + double.LogP1(e);
        if (withGradient)
        {
            double w1 = a >= b ? 1 / (1 + e) : e / (1 + e), w2 = 1 - w1;
            double dMu1 = w1 * r1 * p.InvVar1, dMu2 = w2 * r2 * p.InvVar2;
            gradient[0] += dMu1 + dMu2;
            gradient[1] += dMu2 * p.Exp2;
            gradient[2] += w1 * (r1 * r1 * p.InvVar1 - 1);
            gradient[3] += w2 * (r2 * r2 * p.InvVar2 - 1);
            gradient[4] += w1 - p.Theta; // d log theta / dv = 1 - theta, d log(1 - theta) / dv = -theta
        }
        return ll;
    }

    public void Constrain(ReadOnlySpan<double> x, Span<double> constrained)
    {
        var p = new Point(x);
        constrained[0] = p.Mu1;
        constrained[1] = p.Mu2;
        constrained[2] = Transforms.LowerBound(p.S1);
        constrained[3] = Transforms.LowerBound(p.S2);
        constrained[4] = p.Theta;
    }

    public double LogJacobian(ReadOnlySpan<double> x) => x[1] + x[2] + x[3] + Transforms.LowerUpperLogJacobian(x[4], 0, 1);
}
