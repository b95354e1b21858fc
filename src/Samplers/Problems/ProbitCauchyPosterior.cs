using SamplerTune.Samplers.Common;

namespace SamplerTune.Samplers.Problems;

/// <summary>
/// Probit regression with Cauchy(0, 2.5) priors on the intercept and every coefficient (the weakly
/// informative prior of Gelman et al. 2008, Ann. Appl. Stat. 2(4)): y_i ~ Bernoulli(Phi(alpha + x_i . beta)).
/// Heavy-tailed priors plus a light-tailed link make tails that samplers tuned on Gaussians misjudge.
/// Generated data: x_ij ~ N(0, 1) independent, true alpha ~ N(0, 0.5^2), beta_j ~ N(0, 1).
/// </summary>
public sealed class ProbitCauchyPosterior : BinaryRegressionPosterior
{
    public const double PriorScale = 2.5;

    public static ProblemFamily Family { get; } = new(
        "probit_cauchy",
        "probit regression on generated data with Cauchy(0, 2.5) priors",
        [
            new FieldSpec("n", FieldKind.Int, "number of generated observations", 100, 1, 10_000_000),
            new FieldSpec("d", FieldKind.Int, "number of features (beta has d entries, plus the intercept alpha)", 3, 1, 100_000),
            new FieldSpec("data_seed", FieldKind.Int, "seed of the generated data", 1, 0, int.MaxValue),
        ],
        DataRequirement.None,
        (p, _) => new ProbitCauchyPosterior(p.Int("n"), p.Int("d"), p.Int("data_seed")));

    public ProbitCauchyPosterior(int n, int d, int dataSeed)
        : base(Generate(n, d, dataSeed), BernoulliLink.Probit, CoefficientPrior.Cauchy(PriorScale)) { }

    private ProbitCauchyPosterior(ProbitCauchyPosterior other) : base(other) { }

    public override IPosterior Clone() => new ProbitCauchyPosterior(this);

    // Never change this generator: the problem id hashes the spec, so the same spec must give the same data.
    private static RegressionData Generate(int n, int d, int dataSeed)
    {
        var rng = new Rng((ulong)dataSeed);
        double alpha = 0.5 * rng.NextNormal();
        var beta = new double[d];
        for (int j = 0; j < d; j++) beta[j] = rng.NextNormal();
        var x = new double[n * d];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            var row = x.AsSpan(i * d, d);
            for (int j = 0; j < d; j++) row[j] = rng.NextNormal();
            double eta = alpha + DenseMath.Dot(row, beta);
            y[i] = rng.NextDouble() < NormalCdf.Cdf(eta) ? 1 : 0;
        }
        return new RegressionData(n, d, x, y);
    }
}
