using System.Text.Json;
using SamplerTune.Coordinator.Optimization;
using SamplerTune.Samplers.Common;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Optimization;

/// <summary>
/// TPE's Parzen estimators against Optuna 3.1.0's own numbers (tests/data/optuna-tpe, made by its generator script
/// with Debian's python3-optuna): the same history split into l and g gives the same log densities (with the
/// -log(scale) term Optuna 3.1.0 omits and later releases add) and the same distribution of candidates.
/// </summary>
public class OptunaParzenEstimatorTests
{
    private static readonly JsonElement Reference =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "optuna-tpe", "parzen_reference.json"))).RootElement;

    private static double[] Numbers(string key) => Reference.GetProperty(key).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static double Number(string key) => Reference.GetProperty(key).GetDouble();

    private static ParzenEstimator Fitted(string rowsKey)
    {
        var xs = Numbers("xs");
        var column = Numbers(rowsKey).Select(i => xs[(int)i]).ToArray();
        var estimator = new ParzenEstimator(multivariate: false);
        estimator.Fit([new ParzenEstimator.Dimension(Number("low"), Number("high"), 0, 0)], [column], column.Length);
        return estimator;
    }

    [Theory]
    [InlineData("below", "l_logpdf")]
    [InlineData("above", "g_logpdf")]
    public void Log_densities_equal_optunas(string rowsKey, string densityKey)
    {
        var ours = Fitted(rowsKey).LogPdf([Numbers("grid")]);
        var theirs = Numbers(densityKey);
        for (int s = 0; s < ours.Length; s++) Assert.Equal(theirs[s], ours[s], 1e-12);
    }

    [Fact]
    public void Candidates_follow_optunas_distribution()
    {
        const int draws = 200_000;
        var ours = Fitted("below").Sample(new Rng(5), draws)[0];
        Array.Sort(ours);
        var levels = Numbers("l_quantile_levels");
        var quantiles = Numbers("l_quantiles");
        double theirDraws = Number("l_draws");
        for (int i = 0; i < levels.Length; i++)
        {
            // Our empirical CDF at Optuna's empirical p-quantile is p up to the sampling error of both sides:
            // sd = sqrt(p (1 - p) (1/n_ours + 1/n_theirs)); 4.5 sd keeps 99 fixed-seed comparisons honest.
            double p = levels[i];
            double cdf = (double)LowerBound(ours, quantiles[i]) / draws;
            double sd = Math.Sqrt(p * (1 - p) * (1.0 / draws + 1.0 / theirDraws));
            Assert.True(Math.Abs(cdf - p) < 4.5 * sd, $"P(x < {quantiles[i]:G6}) = {cdf:F5}, Optuna's draws give {p:F2} (sd {sd:G3})");
        }
    }

    private static int LowerBound(double[] sorted, double x)
    {
        int i = Array.BinarySearch(sorted, x);
        return i >= 0 ? i : ~i;
    }
}
