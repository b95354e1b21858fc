namespace SamplerTune.Samplers.Problems.PosteriorDb;

/// <summary>
/// posteriordb arK-arK: autoregression of order K, y[t] ~ normal(alpha + sum_k beta[k] y[t-k], sigma) for
/// t = K+1..T, with alpha ~ normal(0, 10), beta ~ normal(0, 10), sigma ~ cauchy(0, 2.5), sigma &gt; 0.
/// Conditioned on the first K values it is a linear regression on the lagged series, so the
/// T - K likelihood terms are rows [1, y[t-1], .., y[t-K]] of a design matrix.
/// </summary>
public static class ArK
{
    public const string Name = "arK";

    public static ProblemFamily Family { get; } = new(
        Name,
        "posteriordb arK-arK: AR(K) time series model (K + 2 parameters)",
        [],
        DataRequirement.Optional,
        (_, data) => FromData(data ?? PosteriorDbData.Bundled(Name)));

    /// <summary>Reads K, T and y (T numbers).</summary>
    public static GaussianRegressionPosterior FromData(DataFile data)
    {
        int k = data.Int("K"), t = data.Int("T");
        var y = data.Vector("y", t);
        int rows = Math.Max(0, t - k), cols = k + 1;
        var design = new double[rows * cols];
        var response = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            int time = k + r; // 0-based index of y[t] with t = K+1+r
            response[r] = y[time];
            design[r * cols] = 1;
            for (int lag = 1; lag <= k; lag++) design[r * cols + lag] = y[time - lag];
        }
        return new GaussianRegressionPosterior(design, rows, cols, response,
            new RegressionPrior(10, ScalePrior.HalfCauchy, 2.5), ["alpha", .. PosteriorDbData.Indexed("beta", k)]);
    }
}
