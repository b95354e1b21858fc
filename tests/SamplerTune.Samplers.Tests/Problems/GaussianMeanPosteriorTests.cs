using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Tests.Support;
using Xunit;

namespace SamplerTune.Samplers.Tests.Problems;

public class GaussianMeanPosteriorTests
{
    private static GaussianMeanPosterior Make() => new(d: 4, n: 50, noiseSd: 2.0, priorMean: 1.0, priorSd: 3.0, dataSeed: 5);

    [Fact]
    public void GradientMatchesFiniteDifferences() => PosteriorChecks.GradientMatchesFiniteDifferences(Make());

    [Fact]
    public void PriorPlusLikelihoodIsTheFullDensity() => PosteriorChecks.DataDecompositionMatchesFullDensity(Make());

    [Fact]
    public void ExactSamplerMatchesExactMoments()
    {
        var p = Make();
        var rng = new Rng(9);
        int n = 20_000, d = p.Dimension;
        var sum = new double[d];
        var sumSq = new double[d];
        var draw = new double[d];
        for (int i = 0; i < n; i++)
        {
            p.SampleConstrained(rng, draw);
            for (int j = 0; j < d; j++) { sum[j] += draw[j]; sumSq[j] += draw[j] * draw[j]; }
        }
        for (int j = 0; j < d; j++)
        {
            double mean = sum[j] / n, sd = Math.Sqrt(p.ExactCovariance[j, j]);
            // Mean within 4 Monte Carlo standard errors; variance within 4 of its standard errors (sqrt(2/n) relative).
            Assert.InRange(mean, p.ExactMean[j] - 4 * sd / Math.Sqrt(n), p.ExactMean[j] + 4 * sd / Math.Sqrt(n));
            double variance = sumSq[j] / n - mean * mean;
            Assert.InRange(variance / (sd * sd), 1 - 4 * Math.Sqrt(2.0 / n), 1 + 4 * Math.Sqrt(2.0 / n));
        }
    }
}
