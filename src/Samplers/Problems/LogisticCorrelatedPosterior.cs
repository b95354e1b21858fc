using SamplerTune.Samplers.Common;

namespace SamplerTune.Samplers.Problems;

/// <summary>
/// Logistic regression on generated, correlated features: y_i ~ Bernoulli(logistic(alpha + x_i . beta)),
/// alpha, beta_j ~ N(0, prior_scale^2). Each feature row is x_i ~ N(0, Sigma) with Toeplitz
/// Sigma_jk = rho^|j-k|, drawn by the AR(1) recursion x_1 = z_1, x_j = rho x_(j-1) + sqrt(1 - rho^2) z_j,
/// which has exactly that covariance (stationary AR(1), unit marginal variance). Correlated features
/// give a correlated, elongated posterior (the classic hard case for diagonal preconditioning).
/// True coefficients: alpha ~ N(0, 0.5^2), beta_j ~ N(0, 4 / d), so eta has sd of order 2 whatever d is.
/// </summary>
public sealed class LogisticCorrelatedPosterior : BinaryRegressionPosterior
{
    public static ProblemFamily Family { get; } = new(
        "logistic_correlated",
        "logistic regression on generated features with Toeplitz correlation rho^|i-j|; normal priors",
        [
            new FieldSpec("n", FieldKind.Int, "number of generated observations", 200, 1, 10_000_000),
            new FieldSpec("d", FieldKind.Int, "number of features (beta has d entries, plus the intercept alpha)", 5, 1, 100_000),
            new FieldSpec("rho", FieldKind.Real, "correlation of neighbouring features (Toeplitz rho^|i-j|)", 0.5, 0, 0.999),
            new FieldSpec("prior_scale", FieldKind.Real, "sd of the normal prior on alpha and every beta", 2.5, 1e-6, 1e6),
            new FieldSpec("data_seed", FieldKind.Int, "seed of the generated data", 1, 0, int.MaxValue),
        ],
        DataRequirement.None,
        (p, _) => new LogisticCorrelatedPosterior(p.Int("n"), p.Int("d"), p.Real("rho"), p.Real("prior_scale"), p.Int("data_seed")));

    public LogisticCorrelatedPosterior(int n, int d, double rho, double priorScale, int dataSeed)
        : base(Generate(n, d, rho, dataSeed), BernoulliLink.Logit, CoefficientPrior.Normal(priorScale)) { }

    private LogisticCorrelatedPosterior(LogisticCorrelatedPosterior other) : base(other) { }

    public override IPosterior Clone() => new LogisticCorrelatedPosterior(this);

    // Never change this generator: the problem id hashes the spec, so the same spec must give the same data.
    private static RegressionData Generate(int n, int d, double rho, int dataSeed)
    {
        var rng = new Rng((ulong)dataSeed);
        double alpha = 0.5 * rng.NextNormal();
        var beta = new double[d];
        for (int j = 0; j < d; j++) beta[j] = 2 / Math.Sqrt(d) * rng.NextNormal();

        double innovation = Math.Sqrt(1 - rho * rho);
        var x = new double[n * d];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            var row = x.AsSpan(i * d, d);
            row[0] = rng.NextNormal();
            for (int j = 1; j < d; j++) row[j] = rho * row[j - 1] + innovation * rng.NextNormal();
            double eta = alpha + DenseMath.Dot(row, beta);
            y[i] = rng.NextDouble() < Transforms.Logistic(eta) ? 1 : 0;
        }
        return new RegressionData(n, d, x, y);
    }
}
