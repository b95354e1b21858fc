using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Mcmc;
using Xunit;

namespace SamplerTune.Samplers.Tests.Mcmc;

public class AdaptationTests
{
    /// <summary>The 1-based warm-up iterations after which the metric is updated.</summary>
    private static List<int> MetricUpdates(int warmup)
    {
        var windows = new WindowedAdaptation(2, warmup);
        var inv = new double[] { 1, 1 };
        var rng = new Rng(1);
        var updates = new List<int>();
        for (int i = 0; i < warmup; i++)
            if (windows.Learn(inv, [rng.NextNormal(), rng.NextNormal()])) updates.Add(i + 1);
        return updates;
    }

    [Fact]
    public void StanDefaultScheduleForWarmup1000() => Assert.Equal([100, 150, 250, 450, 950], MetricUpdates(1000));

    [Fact]
    public void ShortWarmupUses15_75_10()
    {
        var windows = new WindowedAdaptation(1, 100);
        Assert.Equal((15, 75, 10), (windows.InitBuffer, windows.BaseWindow, windows.TermBuffer));
        Assert.Equal([90], MetricUpdates(100));
    }

    [Fact]
    public void ScheduleEdgeCases()
    {
        Assert.Empty(MetricUpdates(19));             // below 20: no metric adaptation
        Assert.Equal([100], MetricUpdates(150));      // 75 + 25 + 50 fits exactly: one window
        Assert.Equal([100, 150, 250, 450, 850, 1950], MetricUpdates(2000));
    }

    [Fact]
    public void RegularizedVarianceIsStansShrinkage()
    {
        var est = new VarianceEstimator(2);
        var rng = new Rng(3);
        var xs = new List<double[]>();
        for (int i = 0; i < 40; i++) { var x = new[] { 5 + 2 * rng.NextNormal(), -1 + 0.1 * rng.NextNormal() }; xs.Add(x); est.Add(x); }
        var v = new double[2];
        est.RegularizedVariance(v);
        for (int j = 0; j < 2; j++)
        {
            double mean = xs.Average(x => x[j]);
            double var = xs.Sum(x => (x[j] - mean) * (x[j] - mean)) / (xs.Count - 1);
            Assert.Equal(40.0 / 45 * var + 1e-3 * 5.0 / 45, v[j], 1e-12 * var);
        }
    }

    [Fact]
    public void DualAveragingFollowsStansRecursion()
    {
        var da = new StepSizeAdaptation();
        da.SetMu(Math.Log(10 * 0.5));
        double[] accepts = [0.3, 0.95, 0.7, 1.0];
        double sBar = 0, xBar = 0, eps = 0;
        for (int t = 1; t <= accepts.Length; t++)
        {
            double eta = 1.0 / (t + 10);
            sBar = (1 - eta) * sBar + eta * (0.8 - accepts[t - 1]);
            double x = Math.Log(5) - sBar * Math.Sqrt(t) / 0.05;
            double w = Math.Pow(t, -0.75);
            xBar = (1 - w) * xBar + w * x;
            eps = da.Learn(accepts[t - 1]);
            Assert.Equal(Math.Exp(x), eps, 1e-12 * eps);
        }
        Assert.Equal(Math.Exp(xBar), da.FinalStepSize(), 1e-12);
    }

    [Fact]
    public void NaNAcceptanceCountsAsZeroAndTheStepStaysFiniteAndPositive()
    {
        var a = new StepSizeAdaptation();
        var b = new StepSizeAdaptation();
        Assert.Equal(a.Learn(0), b.Learn(double.NaN));
        for (int i = 0; i < 100_000; i++)
        {
            double eps = a.Learn(double.NaN);
            Assert.True(eps > 0 && double.IsFinite(eps));
            eps = b.Learn(1);
            Assert.True(eps > 0 && double.IsFinite(eps));
        }
        Assert.True(a.FinalStepSize() > 0 && double.IsFinite(b.FinalStepSize()));
    }

    /// <summary>
    /// Dual averaging drives the running mean of the acceptance statistic to delta = 0.8. Over the last
    /// 1000 of 2000 iterations the per-iteration sd is about 0.15, so the MCSE is near 0.005 (x a few for
    /// autocorrelation); 0.03 is a wide, honest band.
    /// </summary>
    [Fact]
    public void StepSizeAdaptationReachesTargetAcceptanceOnAGaussian()
    {
        var target = DiagonalGaussian.Standard(10);
        var kernel = new NutsKernel(target);
        var rng = new Rng(17);
        var inv = Enumerable.Repeat(1.0, 10).ToArray();
        var state = kernel.Init(new double[10]);
        double eps = kernel.FindInitialStepSize(rng, state, 1.0, inv);
        var da = new StepSizeAdaptation();
        da.SetMu(Math.Log(10 * eps));
        double sum = 0;
        for (int t = 0; t < 2000; t++)
        {
            var (next, info) = kernel.Step(rng, state, eps, inv);
            state = next;
            eps = da.Learn(info.AcceptanceStatistic);
            if (t >= 1000) sum += info.AcceptanceStatistic;
        }
        Assert.InRange(sum / 1000, 0.77, 0.83);
    }

    [Fact]
    public void InitialStepSizeCrossesTheAcceptanceThreshold()
    {
        // For a 1-D standard normal a single leapfrog step of size eps is accepted ~0.8 of the time near eps ~ 1.
        var target = DiagonalGaussian.Standard(1);
        var kernel = new NutsKernel(target);
        var state = kernel.Init([0.2]);
        double fromSmall = kernel.FindInitialStepSize(new Rng(2), state, 1e-4, [1.0]);
        double fromLarge = kernel.FindInitialStepSize(new Rng(2), state, 64, [1.0]);
        Assert.InRange(fromSmall, 0.05, 4);
        Assert.InRange(fromLarge, 0.05, 4);
    }
}
