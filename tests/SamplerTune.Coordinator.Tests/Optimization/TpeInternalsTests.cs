using Xunit;
using SamplerTune.Coordinator.Optimization;
using SamplerTune.Samplers.Common;

namespace SamplerTune.Coordinator.Tests.Optimization;

public class TpeInternalsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 1)]
    [InlineData(11, 2)]
    [InlineData(100, 10)]
    [InlineData(249, 25)]
    [InlineData(1000, 25)]
    public void Gamma_is_optunas_default(int n, int expected) => Assert.Equal(expected, Tpe.Gamma(n));

    [Fact]
    public void Weights_are_optunas_default_ramp()
    {
        var w = new double[30];
        ParzenEstimator.DefaultWeights(30, w);
        // numpy.linspace(1/30, 1, 5) then 25 ones
        double[] ramp = [1.0 / 30, 1.0 / 30 + 0.25 * (29.0 / 30), 1.0 / 30 + 0.5 * (29.0 / 30), 1.0 / 30 + 0.75 * (29.0 / 30), 1.0];
        for (int i = 0; i < 5; i++) Assert.Equal(ramp[i], w[i], 12);
        Assert.All(w[5..], v => Assert.Equal(1.0, v));
        var flat = new double[24];
        ParzenEstimator.DefaultWeights(24, flat);
        Assert.All(flat, v => Assert.Equal(1.0, v));
    }

    [Theory]
    [InlineData(-1.0, 2.0)]
    [InlineData(3.0, 9.0)]
    [InlineData(-30.0, -25.0)]
    [InlineData(-0.5, 0.5)]
    public void Truncated_normal_ppf_inverts_the_cdf_and_logpdf_integrates_to_one(double a, double b)
    {
        foreach (double q in new[] { 0.01, 0.3, 0.5, 0.9, 0.999 })
        {
            double x = TruncatedNormal.Ppf(q, a, b);
            Assert.InRange(x, a, b);
            // Phi(x) - Phi(a) = q (Phi(b) - Phi(a)), in log space to survive the far tail.
            double lhs = TruncatedNormal.LogGaussMass(a, x), rhs = Math.Log(q) + TruncatedNormal.LogGaussMass(a, b);
            Assert.Equal(rhs, lhs, 8);
        }
    }

    [Fact]
    public void Log_ndtr_is_accurate_in_both_tails()
    {
        Assert.Equal(Math.Log(0.5), TruncatedNormal.LogNdtr(0), 14);
        Assert.Equal(Math.Log(0.15865525393145705), TruncatedNormal.LogNdtr(-1), 13);
        // References from Python's math.erfc: log Phi(-30) (the asymptotic series), Phi(-20), Phi(7) = 1 - 1.2798e-12.
        Assert.Equal(-454.3212439563431, TruncatedNormal.LogNdtr(-30), 9);
        Assert.Equal(1.0, TruncatedNormal.Ndtr(-20) / 2.7536241186063314e-89, 12);
        Assert.Equal(1.0, TruncatedNormal.LogNdtr(7) / -1.279812543885835e-12, 10);
    }

    [Fact]
    public void Parzen_estimator_samples_follow_its_density()
    {
        var dims = new[] { ParzenEstimator.Dimension.Of(new FloatParameter("x", 0, 10)) };
        var pe = new ParzenEstimator(dims, [[2.0], [2.5], [8.0]], multivariate: false);
        var draws = pe.Sample(new Rng(1), 40_000);
        // P(x < 5) by sampling vs by integrating the density.
        double empirical = draws.Count(d => d[0] < 5) / 40_000.0;
        int m = 5000;
        var grid = Enumerable.Range(0, m).Select(i => new[] { (i + 0.5) * 5.0 / m }).ToArray();
        double integral = pe.LogPdf(grid).Sum(Math.Exp) * 5.0 / m;
        double se = Math.Sqrt(integral * (1 - integral) / 40_000);
        Assert.InRange(empirical, integral - 4 * se, integral + 4 * se);
    }

    [Fact]
    public void Categorical_kernel_adds_one_to_the_observed_choice_with_a_prior()
    {
        var dims = new[] { ParzenEstimator.Dimension.Of(new CategoricalParameter("c", ["a", "b", "c"])) };
        var pe = new ParzenEstimator(dims, [[0.0], [0.0], [1.0]], multivariate: false);
        // Optuna: rows of prior_weight/(n+1) = 0.25, +1 at the observation, normalized; equal component weights 1/4.
        double pa = 0.25 * ((1.25 / 1.75) * 2 + 0.25 / 1.75 + 1.0 / 3);
        Assert.Equal(Math.Log(pa), pe.LogPdf([[0.0]])[0], 12);
        Assert.Equal(1.0, pe.LogPdf([[0.0], [1.0], [2.0]]).Sum(Math.Exp), 12);
    }
}
