using System.Diagnostics;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Tests.Support;
using Xunit;

namespace SamplerTune.Samplers.Tests.Problems;

public class LogisticCorrelatedPosteriorTests
{
    private static LogisticCorrelatedPosterior Make() => new(n: 200, d: 5, rho: 0.5, priorScale: 2.5, dataSeed: 1);

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        PosteriorChecks.GradientMatchesFiniteDifferences(Make());
        PosteriorChecks.GradientMatchesFiniteDifferences(new LogisticCorrelatedPosterior(1000, 25, 0.9, 2.5, 4), points: 2, scale: 0.3);
    }

    [Fact]
    public void PriorPlusLikelihoodIsTheFullDensity() => PosteriorChecks.DataDecompositionMatchesFullDensity(Make());

    // The textbook form sum_i y_i log p_i + (1 - y_i) log(1 - p_i) plus normal priors, at moderate eta where it is accurate.
    [Fact]
    public void LogDensityMatchesTheModelWrittenOut()
    {
        var p = Make();
        var rng = new Rng(12);
        var x = new double[6];
        for (int j = 0; j < 6; j++) x[j] = 0.5 * rng.NextNormal();
        double expected = 0;
        for (int j = 0; j < 6; j++) expected += SyntheticFamilyChecks.Normal(x[j], 2.5);
        for (int i = 0; i < p.Data.N; i++)
        {
            double eta = x[0];
            for (int j = 0; j < 5; j++) eta += p.Data.X[i * 5 + j] * x[1 + j];
            double prob = 1 / (1 + Math.Exp(-eta));
            expected += p.Data.Y[i] == 1 ? Math.Log(prob) : Math.Log(1 - prob);
        }
        Assert.Equal(expected, p.LogDensity(x), 1e-9);
    }

    [Fact]
    public void ExtremeCoefficientsGiveFiniteDensityAndGradient()
    {
        var p = Make();
        double[] x = [60, -80, 120, 300, -500, 40];
        var g = new double[6];
        double lp = p.LogDensityAndGradient(x, g);
        Assert.True(double.IsFinite(lp) && lp < -1000, $"log density {lp}");
        Assert.All(g, v => Assert.True(double.IsFinite(v)));
    }

    // Sample correlations of the generated features must match rho^|j-k| within 5 standard errors, (1 - r^2) / sqrt(n).
    [Fact]
    public void FeaturesHaveToeplitzCorrelation()
    {
        int n = 20_000, d = 4;
        double rho = 0.7;
        var data = new LogisticCorrelatedPosterior(n, d, rho, 2.5, 9).Data;
        for (int j = 0; j < d; j++)
            for (int k = j; k < d; k++)
            {
                double sj = 0, sk = 0, sjj = 0, skk = 0, sjk = 0;
                for (int i = 0; i < n; i++)
                {
                    double a = data.X[i * d + j], b = data.X[i * d + k];
                    sj += a; sk += b; sjj += a * a; skk += b * b; sjk += a * b;
                }
                double cov = sjk / n - sj * sk / (n * (double)n);
                double r = cov / Math.Sqrt((sjj / n - sj * sj / (n * (double)n)) * (skk / n - sk * sk / (n * (double)n)));
                double expected = Math.Pow(rho, k - j), se = Math.Max(1 - expected * expected, 1e-3) / Math.Sqrt(n);
                Assert.True(Math.Abs(r - expected) <= 5 * se, $"corr({j},{k}) = {r}, expected {expected}");
                if (j == k) Assert.InRange(sjj / n, 1 - 5 * Math.Sqrt(2.0 / n), 1 + 5 * Math.Sqrt(2.0 / n));
            }
    }

    [Fact]
    public void GeneratedDataIsDeterministicInTheSeed()
    {
        Assert.Equal(Make().Data.X, Make().Data.X);
        Assert.Equal(Make().Data.Y, Make().Data.Y);
        Assert.NotEqual(Make().Data.X, new LogisticCorrelatedPosterior(200, 5, 0.5, 2.5, 2).Data.X);
        Assert.Contains(0.0, Make().Data.Y);
        Assert.Contains(1.0, Make().Data.Y);
    }

    [Fact]
    public void ConstrainShapes() => PosteriorChecks.ConstrainShapes(Make());

    [Fact]
    public void CloneAgreesAndNothingIsAllocated()
    {
        SyntheticFamilyChecks.CloneAgrees(Make());
        SyntheticFamilyChecks.EvaluatesWithoutAllocating(new LogisticCorrelatedPosterior(1000, 25, 0.5, 2.5, 1));
    }
}
