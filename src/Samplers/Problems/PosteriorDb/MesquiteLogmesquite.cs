namespace SamplerTune.Samplers.Problems.PosteriorDb;

/// <summary>
/// posteriordb mesquite-logmesquite (Gelman &amp; Hill 2006, §4.6): log(weight) ~ normal(beta[1] + beta[2] log diam1
/// + beta[3] log diam2 + beta[4] log canopy_height + beta[5] log total_height + beta[6] log density + beta[7] group, sigma),
/// flat priors on beta and on sigma &gt; 0.
/// </summary>
public static class MesquiteLogmesquite
{
    public const string Name = "mesquite_logmesquite";

    private static readonly string[] LoggedPredictors = ["diam1", "diam2", "canopy_height", "total_height", "density"];

    public static ProblemFamily Family { get; } = new(
        Name,
        "posteriordb mesquite-logmesquite: log shrub weight on log dimensions, Gaussian linear regression (8 parameters)",
        [],
        DataRequirement.Optional,
        (_, data) => FromData(data ?? PosteriorDbData.Bundled(Name)));

    /// <summary>Reads N, weight, diam1, diam2, canopy_height, total_height, density (all &gt; 0, the model takes logs) and group.</summary>
    public static GaussianRegressionPosterior FromData(DataFile data)
    {
        int n = data.Int("N");
        const int cols = 7;
        var logWeight = Log(PosteriorDbData.Positive(data, "weight", data.Vector("weight", n)));
        var predictors = LoggedPredictors.Select(f => Log(PosteriorDbData.Positive(data, f, data.Vector(f, n)))).ToArray();
        var group = data.Vector("group", n);
        var design = new double[n * cols];
        for (int i = 0; i < n; i++)
        {
            design[i * cols] = 1;
            for (int k = 0; k < predictors.Length; k++) design[i * cols + 1 + k] = predictors[k][i];
            design[i * cols + 6] = group[i];
        }
        return new GaussianRegressionPosterior(design, n, cols, logWeight,
            RegressionPrior.FlatCoefficients(ScalePrior.Flat), PosteriorDbData.Indexed("beta", cols));
    }

    private static double[] Log(double[] v) => v.Select(value => Math.Log(value)).ToArray();
}
