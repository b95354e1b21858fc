using Xunit;
using SamplerTune.Coordinator.Optimization;
using SamplerTune.Samplers.Common;

namespace SamplerTune.Coordinator.Tests.Optimization;

public class GaussianProcessTests
{
    [Fact]
    public void Marginal_likelihood_gradient_matches_finite_differences()
    {
        var rng = new Rng(3);
        var x = Enumerable.Range(0, 15).Select(_ => new[] { rng.NextDouble(), rng.NextDouble(), rng.NextDouble() }).ToList();
        var y = x.Select(v => Math.Sin(3 * v[0]) + v[1] * v[1] - 0.5 * v[2]).ToList();
        double[] theta = [-0.3, 0.2, 0.8, 0.1, -4];
        double mu = Math.Sqrt(2) + 0.5 * Math.Log(3), sd = Math.Sqrt(3);
        var (_, grad) = GaussianProcess.NegativeLogPosterior(x, y, theta, 3, mu, sd);
        for (int j = 0; j < theta.Length; j++)
        {
            double h = 1e-5;
            var up = (double[])theta.Clone(); up[j] += h;
            var dn = (double[])theta.Clone(); dn[j] -= h;
            double fd = (GaussianProcess.NegativeLogPosterior(x, y, up, 3, mu, sd).Item1 - GaussianProcess.NegativeLogPosterior(x, y, dn, 3, mu, sd).Item1) / (2 * h);
            Assert.Equal(fd, grad[j], 5);
        }
    }

    [Fact]
    public void Fitted_gp_interpolates_and_is_uncertain_far_away()
    {
        var x = Enumerable.Range(0, 12).Select(i => new[] { i / 22.0 }).ToList(); // data on [0, 0.5]
        var y = x.Select(v => Math.Sin(6 * v[0])).ToList();
        var gp = new GaussianProcess(x, y, GaussianProcess.Fit(x, y));
        var scratch = new double[gp.Count];
        var (m, v) = gp.Predict([5 / 22.0], scratch);
        Assert.Equal(Math.Sin(6 * 5 / 22.0), m, 2);
        Assert.True(gp.Predict([1.0], scratch).Variance > 10 * v);
    }

    [Fact]
    public void Log_expected_improvement_matches_the_closed_form_and_stays_finite_in_the_tail()
    {
        foreach (double z in new[] { -3.0, -0.5, 0.0, 1.5 })
        {
            double phi = Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);
            Assert.Equal(Math.Log(phi + z * TruncatedNormal.Ndtr(z)), LogExpectedImprovement.LogH(z), 10);
        }
        // Both sides of the switch to the asymptotic series at z = -20 match log h(-20) from Python's math.erfc.
        Assert.Equal(-206.91783850943935, LogExpectedImprovement.LogH(-20), 7);
        Assert.Equal(-206.91783850943935, LogExpectedImprovement.LogH(-19.9999999999), 7);
        Assert.True(double.IsFinite(LogExpectedImprovement.LogH(-60)) && LogExpectedImprovement.LogH(-60) < LogExpectedImprovement.LogH(-40));
    }
}
