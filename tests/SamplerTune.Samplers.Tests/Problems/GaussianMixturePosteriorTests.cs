using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Tests.Support;
using Xunit;

namespace SamplerTune.Samplers.Tests.Problems;

public class GaussianMixturePosteriorTests
{
    private static GaussianMixturePosterior Make() => new(k: 3, d: 3, separation: 4);

    // Scale 3 puts test points between and beyond the modes, where the responsibilities are mixed.
    [Fact]
    public void GradientMatchesFiniteDifferences() => PosteriorChecks.GradientMatchesFiniteDifferences(Make(), points: 8, scale: 3);

    [Fact]
    public void GradientIsFiniteFarFromEveryMode()
    {
        var p = Make();
        var g = new double[3];
        double lp = p.LogDensityAndGradient([200, -150, 90], g);
        Assert.True(double.IsFinite(lp));
        Assert.All(g, v => Assert.True(double.IsFinite(v)));
        Assert.Equal(lp, p.LogDensity([200, -150, 90]), 1e-9 * Math.Abs(lp));
    }

    [Fact]
    public void ComponentMeansAreCentredAndAtLeastSeparationApart()
    {
        var p = new GaussianMixturePosterior(k: 4, d: 2, separation: 8);
        for (int a = 0; a < 4; a++)
            for (int b = a + 1; b < 4; b++)
            {
                var ma = p.Mean(a); var mb = p.Mean(b);
                double dist = Math.Sqrt(Math.Pow(ma[0] - mb[0], 2) + Math.Pow(ma[1] - mb[1], 2));
                Assert.True(dist >= 8 - 1e-12, $"components {a} and {b} are {dist} apart");
            }
        Assert.All(p.ExactMean, m => Assert.Equal(0, m, 12));
    }

    // In 1-D the density must integrate to 1 (checks the log-sum-exp and its normalizing constant).
    [Fact]
    public void OneDimensionalDensityIntegratesToOne()
    {
        var p = new GaussianMixturePosterior(k: 3, d: 1, separation: 5);
        double h = 1e-3, sum = 0;
        for (double x = -30; x <= 30; x += h) sum += Math.Exp(p.LogDensity([x])) * h;
        Assert.Equal(1, sum, 1e-6);
    }

    [Fact]
    public void ExactSamplerMatchesExactMoments() => SyntheticFamilyChecks.ExactSamplerMatchesExactMoments(Make());

    [Fact]
    public void ExactCovarianceHasTheBetweenComponentSpreadOnTheFirstAxis()
    {
        // K means at (k - (K-1)/2) s: variance of a discrete uniform on K points spaced s is s^2 (K^2 - 1) / 12.
        var p = new GaussianMixturePosterior(k: 3, d: 2, separation: 4);
        Assert.Equal(1 + 16.0 * 8 / 12, p.ExactCovariance[0, 0], 12);
        Assert.Equal(1, p.ExactCovariance[1, 1], 12);
        Assert.Equal(0, p.ExactCovariance[0, 1], 12);
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
