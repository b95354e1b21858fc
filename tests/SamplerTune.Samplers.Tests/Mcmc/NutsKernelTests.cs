using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Mcmc;
using SamplerTune.Samplers.Tests.Support;
using Xunit;

namespace SamplerTune.Samplers.Tests.Mcmc;

public class NutsKernelTests
{
    private static double[] Ones(int d) => Enumerable.Repeat(1.0, d).ToArray();

    [Fact]
    public void TestTargetGradientsMatchFiniteDifferences()
    {
        PosteriorChecks.GradientMatchesFiniteDifferences(DiagonalGaussian.Anisotropic(5), scale: 0.01);
        PosteriorChecks.GradientMatchesFiniteDifferences(new Funnel2D());
        PosteriorChecks.GradientMatchesFiniteDifferences(new ImproperLogistic(), scale: 3);
    }

    /// <summary>Leapfrog's energy error is O(eps^2): halving eps over the same time span cuts the worst error about 4 times.</summary>
    [Fact]
    public void LeapfrogEnergyErrorIsSecondOrder()
    {
        var target = DiagonalGaussian.Standard(3);
        double MaxEnergyError(double eps)
        {
            var kernel = new NutsKernel(target);
            kernel.UseInverseMetric(Ones(3));
            var z = new PhasePoint(3);
            z.Load(kernel.Init([0.3, -1.2, 0.7]));
            double[] p = [1.1, 0.4, -0.8];
            p.CopyTo(z.P, 0);
            double h0 = kernel.Hamiltonian(z), worst = 0;
            for (int i = 0; i < (int)Math.Round(3.0 / eps); i++)
            {
                kernel.Leapfrog(z, eps);
                worst = Math.Max(worst, Math.Abs(kernel.Hamiltonian(z) - h0));
            }
            return worst;
        }
        double coarse = MaxEnergyError(0.1), fine = MaxEnergyError(0.05);
        Assert.InRange(coarse, 1e-4, 0.05);
        Assert.InRange(coarse / fine, 3.5, 4.5);
    }

    [Fact]
    public void LeapfrogIsReversible()
    {
        var target = DiagonalGaussian.Anisotropic(4);
        var kernel = new NutsKernel(target);
        double[] inv = [1e-4, 1e-2, 1, 100];
        kernel.UseInverseMetric(inv);
        var start = kernel.Init([0.01, 0.2, 3, 50]);
        var z = new PhasePoint(4);
        z.Load(start);
        double[] p0 = [20, -3, 0.5, 0.01];
        p0.CopyTo(z.P, 0);
        for (int i = 0; i < 25; i++) kernel.Leapfrog(z, 0.1);
        for (int i = 0; i < 4; i++) z.P[i] = -z.P[i];
        for (int i = 0; i < 25; i++) kernel.Leapfrog(z, 0.1);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(start.Position[i], z.Q[i], 1e-9 * (1 + Math.Abs(start.Position[i])));
            Assert.Equal(-p0[i], z.P[i], 1e-9 * (1 + Math.Abs(p0[i])));
        }
    }

    /// <summary>
    /// Detailed balance, checked directly: from exact independent draws of the target, one NUTS
    /// transition must return draws of the target. A large step and a metric that does not match
    /// the target make rejections and U-turn checks matter. With n = 20 000 independent results
    /// the mean has SE sd / sqrt(n) and the variance ratio SE sqrt(2 / n); 4 SE bounds.
    /// </summary>
    [Fact]
    public void OneTransitionPreservesTheTarget()
    {
        double[] sd = [1, 3];
        var target = new DiagonalGaussian([0.5, -1], sd);
        var kernel = new NutsKernel(target);
        var rng = new Rng(31);
        double[] inv = [1, 1];
        const int n = 20_000;
        var sum = new double[2];
        var sumSq = new double[2];
        for (int k = 0; k < n; k++)
        {
            var start = kernel.Init([0.5 + sd[0] * rng.NextNormal(), -1 + sd[1] * rng.NextNormal()]);
            var (next, _) = kernel.Step(rng, start, 1.3, inv);
            for (int j = 0; j < 2; j++) { sum[j] += next.Position[j]; sumSq[j] += next.Position[j] * next.Position[j]; }
        }
        double[] mean = [0.5, -1];
        for (int j = 0; j < 2; j++)
        {
            double m = sum[j] / n, variance = sumSq[j] / n - m * m;
            Assert.InRange(m, mean[j] - 4 * sd[j] / Math.Sqrt(n), mean[j] + 4 * sd[j] / Math.Sqrt(n));
            Assert.InRange(variance / (sd[j] * sd[j]), 1 - 4 * Math.Sqrt(2.0 / n), 1 + 4 * Math.Sqrt(2.0 / n));
        }
    }

    [Fact]
    public void InfoFieldsAreConsistent()
    {
        var target = DiagonalGaussian.Standard(5);
        var kernel = new NutsKernel(target);
        var rng = new Rng(21);
        var state = kernel.Init(new double[5]);
        var inv = Ones(5);
        for (int t = 0; t < 300; t++)
        {
            var (next, info) = kernel.Step(rng, state, 0.4, inv);
            Assert.InRange(info.TreeDepth, 0, kernel.MaxTreeDepth);
            // depth counts the accepted doublings; a rejected last subtree adds at most 2^depth steps.
            Assert.InRange(info.NumLeapfrog, Math.Max(1, (1 << info.TreeDepth) - 1), (1 << (info.TreeDepth + 1)) - 1);
            Assert.Equal(info.NumLeapfrog, info.GradientEvaluations);
            Assert.InRange(info.AcceptanceStatistic, 0, 1);
            Assert.False(info.Diverged);
            Assert.Equal(0.4, info.StepSize);
            // Energy = -log p + kinetic >= -log p at the returned point.
            Assert.True(info.Energy >= -next.LogDensity - 1e-12);
            Assert.Equal(target.LogDensity(next.Position), next.LogDensity, 1e-12);
            state = next;
        }
    }

    [Fact]
    public void TreeDepthStopsAtTheConfiguredMaximum()
    {
        var target = DiagonalGaussian.Standard(2);
        var kernel = new NutsKernel(target, maxTreeDepth: 3);
        var (_, info) = kernel.Step(new Rng(4), kernel.Init([0.5, -0.5]), 1e-3, Ones(2));
        Assert.Equal(3, info.TreeDepth);
        Assert.Equal(7, info.NumLeapfrog);
        Assert.True(info.AcceptanceStatistic > 0.999);
    }

    /// <summary>
    /// Full-depth trees (1023 leapfrogs) allocate only the returned state, a few hundred bytes:
    /// any allocation per leapfrog would cost at least 24 bytes x 1023.
    /// </summary>
    [Fact]
    public void TransitionAllocatesOnlyTheReturnedState()
    {
        var target = DiagonalGaussian.Standard(3);
        var kernel = new NutsKernel(target);
        var rng = new Rng(6);
        var inv = Ones(3);
        var state = kernel.Init([0.1, 0.2, 0.3]);
        (state, _) = kernel.Step(rng, state, 1e-4, inv); // first use allocates the per-depth buffers
        int leapfrogs = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 50; t++)
        {
            (state, var info) = kernel.Step(rng, state, 1e-4, inv);
            leapfrogs += info.NumLeapfrog;
        }
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 50;
        Assert.Equal(50 * 1023, leapfrogs);
        Assert.True(perStep < 1023, $"{perStep} bytes per transition");
    }

    [Fact]
    public void HugeStepSizeDivergesAndKeepsThePoint()
    {
        var target = DiagonalGaussian.Standard(3);
        var kernel = new NutsKernel(target);
        var state = kernel.Init([0.1, 0.2, 0.3]);
        var (next, info) = kernel.Step(new Rng(5), state, 1e3, Ones(3));
        Assert.True(info.Diverged);
        Assert.Equal(0, info.TreeDepth);
        Assert.Equal(1, info.NumLeapfrog);
        Assert.True(info.AcceptanceStatistic < 1e-100);
        Assert.Equal(state.Position, next.Position);
    }

    /// <summary>NaN densities are failed points: weight 0, acceptance 0, never returned.</summary>
    [Fact]
    public void NaNRegionIsNeverEnteredAndAcceptanceStaysFinite()
    {
        var target = new WalledGaussian(2);
        var kernel = new NutsKernel(target);
        var rng = new Rng(8);
        var state = kernel.Init([0.0, 0.0]);
        int divergent = 0;
        for (int t = 0; t < 500; t++)
        {
            var (next, info) = kernel.Step(rng, state, 0.9, Ones(2));
            Assert.True(double.IsFinite(info.AcceptanceStatistic));
            Assert.True(double.IsFinite(next.LogDensity));
            Assert.All(next.Position, x => Assert.InRange(x, -2, 2));
            if (info.Diverged) divergent++;
            state = next;
        }
        Assert.True(divergent > 0, "trajectories hitting the NaN wall must be flagged divergent");
    }
}
