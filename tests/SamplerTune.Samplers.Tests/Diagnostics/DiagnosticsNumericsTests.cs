using MathNet.Numerics.Distributions;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Diagnostics;
using Xunit;

namespace SamplerTune.Samplers.Tests.Diagnostics;

/// <summary>The building blocks against independent computations: the normal quantile, the FFT autocovariance, R's split.</summary>
public class DiagnosticsNumericsTests
{
    [Fact]
    public void NormalQuantileInvertsTheCdfToNearMachinePrecision()
    {
        for (double p = 1e-9; p < 1; p = p < 0.5 ? p * 1.7 : 1 - (1 - p) / 1.7)
        {
            double z = NormalQuantile.InverseCdf(p);
            double back = p < 0.5 ? Normal.CDF(0, 1, z) : 1 - Normal.CDF(0, 1, -z);
            double target = p < 0.5 ? p : 1 - p, got = p < 0.5 ? back : Normal.CDF(0, 1, -z);
            Assert.True(Math.Abs(got - target) <= 1e-13 * target, $"p={p:R}: Phi(Phi^-1(p)) = {back:R}");
            double upper = 1 - p; // the symmetric point is exactly 1 - upper (Sterbenz), so symmetry must hold to rounding
            Assert.True(Math.Abs(NormalQuantile.InverseCdf(upper) + NormalQuantile.InverseCdf(1 - upper)) <= 1e-14 * Math.Abs(z) + 1e-300,
                $"symmetry at p={p:R}");
            if (1 - p < 1e-9) break;
        }
        Assert.Equal(0.0, NormalQuantile.InverseCdf(0.5));
        Assert.Equal(double.NegativeInfinity, NormalQuantile.InverseCdf(0));
        Assert.True(double.IsNaN(NormalQuantile.InverseCdf(1.5)));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(500)]
    [InlineData(1024)]
    public void FftAutocovarianceEqualsTheDirectSum(int n)
    {
        var rng = new Rng(11);
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = 5 + rng.NextNormal() + (i > 0 ? 0.5 * x[i - 1] : 0);
        var acov = Autocovariance.Compute(x);
        double mean = x.Average();
        for (int t = 0; t < n; t++)
        {
            double direct = 0;
            for (int i = 0; i + t < n; i++) direct += (x[i] - mean) * (x[i + t] - mean);
            direct /= n;
            Assert.True(Math.Abs(acov[t] - direct) <= 1e-12 * acov[0], $"lag {t}: {acov[t]:R} vs {direct:R}");
        }
    }

    [Fact]
    public void SplitDropsTheMiddleDrawOfOddChains()
    {
        var split = ChainMath.Split([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]);
        Assert.Equal([[1.0, 2], [4.0, 5], [6.0, 7], [9.0, 10]], split);
    }

    [Fact]
    public void QuantileIsRType7()
    {
        double[] sorted = [1, 2, 4, 8];
        Assert.Equal(1.15, ChainMath.QuantileType7(sorted, 0.05), 14); // 1 + 0.15 * (2 - 1)
        Assert.Equal(3.0, ChainMath.QuantileType7(sorted, 0.5), 14);
        Assert.Equal(8.0, ChainMath.QuantileType7(sorted, 1.0));
    }
}
