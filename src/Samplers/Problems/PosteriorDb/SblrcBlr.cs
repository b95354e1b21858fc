namespace SamplerTune.Samplers.Problems.PosteriorDb;

/// <summary>
/// posteriordb sblrc-blr: Bayesian linear regression y ~ normal(X beta, sigma) with beta ~ normal(0, 10)
/// and sigma ~ normal(0, 10), sigma &gt; 0.
/// </summary>
public static class SblrcBlr
{
    public const string Name = "sblrc_blr";

    public static ProblemFamily Family { get; } = new(
        Name,
        "posteriordb sblrc-blr: Bayesian linear regression on a given N x D design (D + 1 parameters)",
        [],
        DataRequirement.Optional,
        (_, data) => FromData(data ?? PosteriorDbData.Bundled(Name)));

    /// <summary>Reads N, D, X (N rows of D numbers) and y (N numbers).</summary>
    public static GaussianRegressionPosterior FromData(DataFile data)
    {
        int n = data.Int("N"), d = data.Int("D");
        var design = data.Matrix("X", n, d);
        var y = data.Vector("y", n);
        return new GaussianRegressionPosterior(design, n, d, y,
            new RegressionPrior(10, ScalePrior.HalfNormal, 10), PosteriorDbData.Indexed("beta", d));
    }
}
