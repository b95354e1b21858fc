using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Diagnostics;
using Xunit;

namespace SamplerTune.Samplers.Tests.Diagnostics;

/// <summary>The degenerate inputs of design/ALGORITHMS.md "Diagnostics": each gives NaN with a reason, or a bounded ESS.</summary>
public class ConvergenceSummaryEdgeCaseTests
{
    private static double[][] Normal(int chains, int draws, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new double[chains][];
        for (int c = 0; c < chains; c++)
        {
            x[c] = new double[draws];
            for (int i = 0; i < draws; i++) x[c][i] = rng.NextNormal();
        }
        return x;
    }

    private static double[][] Ar1(int chains, int draws, double rho, ulong seed)
    {
        var x = Normal(chains, draws, seed);
        foreach (var c in x)
            for (int i = 1; i < c.Length; i++) c[i] = rho * c[i - 1] + Math.Sqrt(1 - rho * rho) * c[i];
        return x;
    }

    private static void AssertUnreported(ConvergenceSummary s, string reasonFragment)
    {
        Assert.True(double.IsNaN(s.Rhat), "R-hat");
        Assert.True(double.IsNaN(s.EssBulk), "bulk ESS");
        Assert.True(double.IsNaN(s.EssTail), "tail ESS");
        Assert.True(double.IsNaN(s.EssMean), "mean ESS");
        Assert.True(double.IsNaN(s.McseMean), "MCSE");
        Assert.NotNull(s.Reason);
        Assert.Contains(reasonFragment, s.Reason);
    }

    [Fact]
    public void WellMixedChainsAreReportedWithoutReason()
    {
        var s = ConvergenceSummary.Summarize("x", Normal(4, 500, 1));
        Assert.Null(s.Reason);
        Assert.InRange(s.Rhat, 0.99, 1.01); // R-hat of well-mixed chains can fall just below 1
        // Independent draws: ESS near S = 2000; the spread of the ESS estimate is a few percent here.
        Assert.InRange(s.EssBulk, 1600, 2400);
        Assert.Equal(s.Sd / Math.Sqrt(s.EssMean), s.McseMean, 12);
    }

    [Fact]
    public void AnyConstantChainGivesNaN()
    {
        var x = Normal(4, 200, 2);
        Array.Fill(x[2], 0.7);
        AssertUnreported(ConvergenceSummary.Summarize("x", x), "chain 3 is constant");
    }

    [Fact]
    public void AllDrawsEqualGiveNaNButMeanAndSd()
    {
        var x = new double[3][];
        for (int c = 0; c < 3; c++) x[c] = Enumerable.Repeat(1.25, 100).ToArray();
        var s = ConvergenceSummary.Summarize("x", x);
        AssertUnreported(s, "all draws are equal");
        Assert.Equal(1.25, s.Mean, 15);
        Assert.Equal(0.0, s.Sd);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteDrawsGiveNaNForThatVariableOnly(double bad)
    {
        var x = Normal(2, 100, 3);
        var y = Normal(2, 100, 4);
        x[1][17] = bad;
        AssertUnreported(ConvergenceSummary.Summarize("x", x), "NaN or infinite");
        Assert.Null(ConvergenceSummary.Summarize("y", y).Reason);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void FewerThanFourDrawsPerChainGiveNaN(int draws) =>
        AssertUnreported(ConvergenceSummary.Summarize("x", Normal(4, draws, 5)), "fewer than 4 draws");

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void FourOrFiveDrawsGiveRhatButNoEss(int draws)
    {
        // posterior: split chains of 2 draws are too short for .ess (needs 3) but .rhat is defined.
        var s = ConvergenceSummary.Summarize("x", Normal(4, draws, 6));
        Assert.False(double.IsNaN(s.Rhat));
        Assert.True(double.IsNaN(s.EssBulk) && double.IsNaN(s.EssMean));
        Assert.Contains("3 draws per half-chain", s.Reason);
    }

    [Fact]
    public void SingleChainIsSplitAndReported()
    {
        var s = ConvergenceSummary.Summarize("x", Normal(1, 1000, 7));
        Assert.Null(s.Reason);
        Assert.InRange(s.Rhat, 0.99, 1.02);
        Assert.InRange(s.EssBulk, 800, 1200);
        Assert.InRange(s.EssTail, 700, 1300);
    }

    [Theory]
    [InlineData(1, 500)]
    [InlineData(1, 999)]
    [InlineData(4, 123)]
    public void ChainConstantExceptOneValueIsNotReportedAboveTheDrawCount(int chains, int spikeAt)
    {
        // posterior itself reports 1000.008 > S for a single chain of 1000 zeros with one 1 (see posterior_reference.csv).
        var x = new double[chains][];
        for (int c = 0; c < chains; c++) x[c] = new double[1000];
        x[chains - 1][spikeAt] = 1;
        var s = ConvergenceSummary.Summarize("x", x);
        AssertUnreported(s, "constant");
    }

    [Fact]
    public void StuckAmongMovingChainsIsNotReported()
    {
        var x = Normal(4, 400, 8);
        Array.Fill(x[1], -2.0);
        x[1][300] = 0.5;
        AssertUnreported(ConvergenceSummary.Summarize("x", x), "chain 2");
    }

    [Theory]
    [InlineData(0.99)]
    [InlineData(0.999)]
    public void HeavilyAutocorrelatedChainsGiveSmallEssAndLargeRhat(double rho)
    {
        const int chains = 4, draws = 1000, total = chains * draws;
        var s = ConvergenceSummary.Summarize("x", Ar1(chains, draws, rho, 9));
        Assert.Null(s.Reason);
        // The AR(1) integrated autocorrelation time is (1 + rho) / (1 - rho): ESS about S/199 or less, far below S.
        Assert.InRange(s.EssBulk, 1, total / 20.0);
        Assert.InRange(s.EssMean, 1, total / 20.0);
        Assert.InRange(s.EssTail, 1, total / 10.0);
        Assert.True(s.Rhat > 1.01, $"rhat {s.Rhat}");
    }

    [Fact]
    public void AntitheticChainsAreCappedAtSLog10S()
    {
        var x = Ar1(4, 500, -0.9, 10);
        double total = 2000;
        double essMean = ConvergenceSummary.Summarize("x", x).EssMean;
        Assert.True(essMean > total, "antithetic chains beat independent draws");
        Assert.True(essMean <= total * Math.Log10(total) * (1 + 1e-12));
    }

    [Fact]
    public void ChainsOfDifferentLengthAreRejected()
    {
        double[][] x = [new double[10], new double[11]];
        Assert.Throws<ArgumentException>(() => ConvergenceSummary.Summarize("x", x));
    }

    [Fact]
    public void TiesAndDiscreteValuesUseAverageRanks()
    {
        var ranks = ChainMath.AverageRanks([3.0, 1.0, 3.0, 2.0, 3.0]);
        Assert.Equal([4.0, 1.0, 4.0, 2.0, 4.0], ranks);
    }
}
