namespace SamplerTune.Samplers.Problems;

/// <summary>
/// Logistic regression on the user's data: y_i ~ Bernoulli(logistic(alpha + x_i . beta)),
/// alpha, beta_j ~ N(0, prior_scale^2). Data file (JSON): {"N": int, "D": int, "X": [N rows of D numbers],
/// "y": [N values, each 0 or 1]}.
/// </summary>
public sealed class LogisticRegressionPosterior : BinaryRegressionPosterior
{
    public static ProblemFamily Family { get; } = new(
        "logistic_regression",
        "logistic regression on a user data file {N, D, X, y (0/1)}; normal priors",
        [
            new FieldSpec("prior_scale", FieldKind.Real, "sd of the normal prior on alpha and every beta", 2.5, 1e-6, 1e6),
        ],
        DataRequirement.Required,
        (p, data) => new LogisticRegressionPosterior(
            RegressionData.Load(data ?? throw new SpecError("logistic_regression needs a data file"), binaryResponse: true),
            p.Real("prior_scale")));

    public LogisticRegressionPosterior(RegressionData data, double priorScale)
        : base(data, BernoulliLink.Logit, CoefficientPrior.Normal(priorScale)) { }

    private LogisticRegressionPosterior(LogisticRegressionPosterior other) : base(other) { }

    public override IPosterior Clone() => new LogisticRegressionPosterior(this);
}
