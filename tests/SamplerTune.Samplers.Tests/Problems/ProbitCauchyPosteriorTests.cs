using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Tests.Support;
using Xunit;

namespace SamplerTune.Samplers.Tests.Problems;

public class ProbitCauchyPosteriorTests
{
    private static ProbitCauchyPosterior Make() => new(n: 100, d: 3, dataSeed: 1);

    // Reference values from mpmath at 40 digits: log(ncdf(z)) and npdf(z) / ncdf(z).
    [Theory]
    [InlineData(-40, -804.60844201375378817, 40.024968847207263723)]
    [InlineData(-30, -454.32124395634319711, 30.033259667433677037)]
    [InlineData(-10, -53.231285150512470578, 10.098093233962511963)]
    [InlineData(-5, -15.064998393988725736, 5.1865039671258421156)]
    [InlineData(0, -0.69314718055994530942, 0.79788456080286535588)]
    [InlineData(10, -7.6198530241605260704e-24, 7.6945986267064193463e-23)]
    public void LogCdfAndItsDerivativeAreAccurateInBothTails(double z, double logCdf, double derivative)
    {
        Assert.Equal(logCdf, NormalCdf.LogCdf(z), 1e-13 * Math.Abs(logCdf));
        Assert.Equal(derivative, NormalCdf.LogCdfDerivative(z), 1e-12 * derivative);
        Assert.Equal(logCdf, NormalCdf.LogCdf(z, out double d2), 1e-13 * Math.Abs(logCdf));
        Assert.Equal(derivative, d2, 1e-12 * derivative);
    }

    // The asymptotic branch takes over below z = -30; both branches must agree there.
    [Fact]
    public void LogCdfIsContinuousWhereTheAsymptoticSeriesTakesOver()
    {
        double below = NormalCdf.LogCdf(Math.BitDecrement(-30.0), out double dBelow);
        double above = NormalCdf.LogCdf(-30.0, out double dAbove);
        Assert.Equal(above, below, 1e-13 * Math.Abs(above));
        Assert.Equal(dAbove, dBelow, 1e-12 * dAbove);
    }

    [Fact]
    public void DerivativeMatchesFiniteDifferencesAcrossTheLine()
    {
        for (double z = -60; z <= 12; z += 0.37)
        {
            double h = 1e-5 * (1 + Math.Abs(z));
            double fd = (NormalCdf.LogCdf(z + h) - NormalCdf.LogCdf(z - h)) / (2 * h);
            double d = NormalCdf.LogCdfDerivative(z);
            Assert.True(Math.Abs(fd - d) <= 1e-6 * (1 + Math.Abs(d)), $"z = {z}: analytic {d}, finite difference {fd}");
        }
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        PosteriorChecks.GradientMatchesFiniteDifferences(Make());
        PosteriorChecks.GradientMatchesFiniteDifferences(Make(), points: 3, scale: 6, seed: 19);
    }

    [Fact]
    public void PriorPlusLikelihoodIsTheFullDensity() => PosteriorChecks.DataDecompositionMatchesFullDensity(Make());

    [Fact]
    public void LogDensityMatchesTheModelWrittenOut()
    {
        var p = Make();
        var rng = new Rng(31);
        var x = new double[4];
        for (int j = 0; j < 4; j++) x[j] = 0.7 * rng.NextNormal();
        double expected = 0;
        foreach (double c in x) expected += -Math.Log(Math.PI * 2.5 * (1 + c * c / 6.25));
        for (int i = 0; i < p.Data.N; i++)
        {
            double eta = x[0];
            for (int j = 0; j < 3; j++) eta += p.Data.X[i * 3 + j] * x[1 + j];
            double prob = NormalCdf.Cdf(eta);
            expected += p.Data.Y[i] == 1 ? Math.Log(prob) : Math.Log(1 - prob);
        }
        Assert.Equal(expected, p.LogDensity(x), 1e-9);
    }

    [Fact]
    public void ExtremeCoefficientsGiveFiniteDensityAndGradient()
    {
        var p = Make();
        double[] x = [40, -200, 150, 300];
        var g = new double[4];
        double lp = p.LogDensityAndGradient(x, g);
        Assert.True(double.IsFinite(lp) && lp < -1000, $"log density {lp}");
        Assert.All(g, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void ConstrainShapes() => PosteriorChecks.ConstrainShapes(Make());

    [Fact]
    public void CloneAgreesAndNothingIsAllocated()
    {
        SyntheticFamilyChecks.CloneAgrees(Make());
        SyntheticFamilyChecks.EvaluatesWithoutAllocating(Make());
    }
}
