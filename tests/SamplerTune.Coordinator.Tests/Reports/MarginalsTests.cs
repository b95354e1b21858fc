using SamplerTune.Coordinator.Reports;
using SamplerTune.Samplers.Artifacts;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Reports;

public class MarginalsTests
{
    [Fact]
    public void PicksThePairWithTheLargestAbsoluteCorrelationNotCovariance()
    {
        // cov(0,1) is the largest covariance but correlation 0.1; (1,2) has correlation -0.9 on small scales.
        double[][] cov =
        [
            [100, 3, 0],
            [3, 9, -0.27],
            [0, -0.27, 0.01],
        ];
        Assert.Equal((1, 2), Marginals.MostCorrelatedPair(cov));
        Assert.Equal((0, 1), Marginals.MostCorrelatedPair([[1, 0], [0, 1]]));
        Assert.Null(Marginals.MostCorrelatedPair([[1.0]]));
    }

    [Fact]
    public void HistogramIsADensityOverTheValuesInRange()
    {
        double[] values = [0.05, 0.15, 0.15, 0.95, 1.0, 2.0];
        var (edges, density) = Marginals.Histogram(values, 0, 1, 10);
        Assert.Equal(11, edges.Length);
        Assert.Equal(1.0, edges[^1], 12);
        // bin width 0.1, 6 values: each value adds 1/0.6; the value at the upper edge goes into the last bin, 2.0 is outside.
        Assert.Equal(1 / 0.6, density[0], 12);
        Assert.Equal(2 / 0.6, density[1], 12);
        Assert.Equal(2 / 0.6, density[9], 12);
        Assert.Equal(5.0 / 6, density.Sum() * 0.1, 12);
    }

    [Fact]
    public void CommonRangeIgnoresAFewFarOutliers()
    {
        var reference = Enumerable.Range(0, 10_000).Select(i => i / 10_000.0).ToArray();
        double[] run = [0.5, 1e6];
        var (lo, hi) = Marginals.CommonRange(reference, run);
        Assert.InRange(lo, 0, 0.02);
        Assert.InRange(hi, 0.98, 1.0);
    }

    [Fact]
    public void SubsampleKeepsAtMostTheRequestedDrawsAndTheParameterNames()
    {
        var draws = new ChainDraws(["a", "b"], [Enumerable.Range(0, 200).Select(i => (double)i).ToArray(), Enumerable.Range(0, 200).Select(i => 1000.0 + i).ToArray()],
            new Dictionary<string, IReadOnlyList<double[]>>());
        var sub = Marginals.Subsample(draws, 50);
        Assert.Equal(["a", "b"], sub.ParameterNames);
        Assert.Equal(50, sub.Chains * sub.DrawsPerChain);
        // Rows stay whole: b is always a + 1 (a even index, b odd) within a chain's row layout.
        var a = Marginals.Values(sub, 0);
        var b = Marginals.Values(sub, 1);
        Assert.All(a.Zip(b), p => Assert.Equal(p.Item1 + 1, p.Item2));
        Assert.Same(draws, Marginals.Subsample(draws, 1000));
    }
}
