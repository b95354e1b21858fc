using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Tests.Support;
using Xunit;

namespace SamplerTune.Samplers.Tests.Problems;

public class BananaPosteriorTests
{
    private static BananaPosterior Make() => new(b: 0.1, extraDims: 2);

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        PosteriorChecks.GradientMatchesFiniteDifferences(Make(), points: 8);
        PosteriorChecks.GradientMatchesFiniteDifferences(Make(), points: 4, scale: 10, seed: 21);
    }

    [Fact]
    public void LogDensityIsTheProductOfItsConditionals()
    {
        var p = Make();
        double[] x = [7.5, -2.0, 0.3, -1.1];
        double expected = SyntheticFamilyChecks.Normal(x[0], 10)
                          + SyntheticFamilyChecks.Normal(x[1] - 0.1 * (x[0] * x[0] - 100), 1)
                          + SyntheticFamilyChecks.Normal(x[2], 1) + SyntheticFamilyChecks.Normal(x[3], 1);
        Assert.Equal(expected, p.LogDensity(x), 1e-12);
    }

    [Fact]
    public void ExactSamplerMatchesExactMoments()
    {
        SyntheticFamilyChecks.ExactSamplerMatchesExactMoments(Make());
        SyntheticFamilyChecks.ExactSamplerMatchesExactMoments(new BananaPosterior(0.03, 0), seed: 4);
    }

    [Fact]
    public void DefaultCurvatureGivesVarianceNineteenForX2() =>
        Assert.Equal(1 + 0.03 * 0.03 * 2e4, new BananaPosterior(0.03, 0).ExactCovariance[1, 1], 12);

    [Fact]
    public void ConstrainShapes() => PosteriorChecks.ConstrainShapes(Make());

    [Fact]
    public void NothingIsAllocated() => SyntheticFamilyChecks.EvaluatesWithoutAllocating(Make());
}
