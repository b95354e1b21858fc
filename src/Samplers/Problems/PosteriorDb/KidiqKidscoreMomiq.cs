namespace SamplerTune.Samplers.Problems.PosteriorDb;

/// <summary>
/// posteriordb kidiq-kidscore_momiq (Gelman &amp; Hill 2006, ch. 3): kid_score ~ normal(beta[1] + beta[2] mom_iq, sigma),
/// flat prior on beta, sigma ~ cauchy(0, 2.5) with sigma &gt; 0.
/// </summary>
public static class KidiqKidscoreMomiq
{
    public const string Name = "kidiq_kidscore_momiq";

    public static ProblemFamily Family { get; } = new(
        Name,
        "posteriordb kidiq-kidscore_momiq: child test score on mother's IQ, Gaussian linear regression (3 parameters)",
        [],
        DataRequirement.Optional,
        (_, data) => FromData(data ?? PosteriorDbData.Bundled(Name)));

    /// <summary>Reads N, kid_score and mom_iq (each in [0, 200], as the model declares); other fields are ignored.</summary>
    public static GaussianRegressionPosterior FromData(DataFile data)
    {
        int n = data.Int("N");
        var kidScore = PosteriorDbData.InRange(data, "kid_score", data.Vector("kid_score", n), 0, 200);
        var momIq = PosteriorDbData.InRange(data, "mom_iq", data.Vector("mom_iq", n), 0, 200);
        var design = new double[n * 2];
        for (int i = 0; i < n; i++) { design[2 * i] = 1; design[2 * i + 1] = momIq[i]; }
        return new GaussianRegressionPosterior(design, n, 2, kidScore,
            RegressionPrior.FlatCoefficients(ScalePrior.HalfCauchy, 2.5), PosteriorDbData.Indexed("beta", 2));
    }
}
