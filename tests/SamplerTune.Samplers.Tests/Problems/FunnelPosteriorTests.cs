using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Tests.Support;
using Xunit;

namespace SamplerTune.Samplers.Tests.Problems;

public class FunnelPosteriorTests
{
    private static FunnelPosterior Make() => new(d: 5);

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        PosteriorChecks.GradientMatchesFiniteDifferences(Make(), points: 8);
        // Into the neck (v = -6) and the mouth (v = 6), where the scales differ by e^6.
        PosteriorChecks.GradientMatchesFiniteDifferences(new FunnelPosterior(2), points: 3, scale: 4, seed: 3);
    }

    [Fact]
    public void NamesAreVThenX() => Assert.Equal(["v", "x[1]", "x[2]", "x[3]", "x[4]"], Make().ParameterNames);

    [Fact]
    public void LogDensityIsTheProductOfItsConditionals()
    {
        var p = Make();
        double[] x = [1.3, -0.4, 2.0, 0.1, -3.0];
        double expected = SyntheticFamilyChecks.Normal(x[0], 3);
        for (int i = 1; i < 5; i++) expected += SyntheticFamilyChecks.Normal(x[i], Math.Exp(x[0] / 2));
        Assert.Equal(expected, p.LogDensity(x), 1e-12);
    }

    // x_i has infinite-looking kurtosis (Var x^2 ~ 3 e^18), so the sampler is checked on (v, x_i e^(-v/2)),
    // which must be independent N(0, 9) and N(0, 1) variables, and the closed-form Var x_i separately below.
    [Fact]
    public void ExactSamplerGivesVAndStandardizedX()
    {
        var p = Make();
        var cov = new double[5, 5];
        cov[0, 0] = 9;
        for (int i = 1; i < 5; i++) cov[i, i] = 1;
        SyntheticFamilyChecks.MomentsMatch((rng, x) =>
        {
            p.SampleConstrained(rng, x);
            for (int i = 1; i < 5; i++) x[i] *= Math.Exp(-x[0] / 2);
        }, new double[5], cov);
    }

    [Fact]
    public void ExactVarianceOfXIsTheLognormalMeanByQuadrature()
    {
        // E e^v = integral e^v N(v | 0, 9) dv by the trapezoid rule over +-20 sd.
        double h = 1e-3, sum = 0;
        for (double v = -60; v <= 60; v += h) sum += Math.Exp(v + SyntheticFamilyChecks.Normal(v, 3)) * h;
        var cov = Make().ExactCovariance;
        Assert.Equal(sum, cov[1, 1], 1e-6 * sum);
        Assert.Equal(9, cov[0, 0]);
        Assert.Equal(0, cov[0, 1]);
        Assert.Equal(0, cov[1, 2]);
    }

    [Fact]
    public void ConstrainShapes() => PosteriorChecks.ConstrainShapes(Make());

    [Fact]
    public void NothingIsAllocated() => SyntheticFamilyChecks.EvaluatesWithoutAllocating(Make());
}
