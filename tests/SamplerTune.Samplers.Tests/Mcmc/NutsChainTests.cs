using System.Diagnostics;
using System.Text.Json;
using SamplerTune.Samplers.Mcmc;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Tests.Support;
using Xunit;

namespace SamplerTune.Samplers.Tests.Mcmc;

public class NutsChainTests
{
    private static List<NutsDraw> Sample(IPosterior posterior, ulong seed, int warmup, int draws)
    {
        var chain = NutsChain.Start(posterior, seed, chainIndex: 0, new NutsSettings(Warmup: warmup));
        Assert.Equal(warmup + draws, chain.Run(warmup + draws));
        Assert.True(chain.AdaptationFinished);
        return chain.TakeDraws();
    }

    /// <summary>
    /// Means within 3 MCSE (MCSE = exact sd / sqrt(ESS), ESS by Geyer's initial monotone sequence)
    /// and sds within 5%. NUTS on a Gaussian gives an ESS of the squared deviations near N/2, so
    /// the relative standard error of the sd is about 1 / sqrt(2 ESS_sq) = 1 / sqrt(N): 10 000
    /// draws put 5% at five standard errors.
    /// </summary>
    private static void AssertMatchesExactMoments(List<NutsDraw> draws, double[] mean, double[] sd)
    {
        for (int j = 0; j < mean.Length; j++)
        {
            var x = draws.Select(dr => dr.Values[j]).ToList();
            double ess = SamplerTune.Samplers.Diagnostics.ConvergenceDiagnostics.EssMean([x.ToArray()]);
            double sampleMean = x.Average();
            double mcse = sd[j] / Math.Sqrt(ess);
            Assert.True(Math.Abs(sampleMean - mean[j]) < 3 * mcse,
                $"coordinate {j}: mean {sampleMean} vs exact {mean[j]}, MCSE {mcse} (ESS {ess:F0})");
            double sampleSd = Math.Sqrt(x.Sum(v => (v - sampleMean) * (v - sampleMean)) / (x.Count - 1));
            Assert.InRange(sampleSd / sd[j], 0.95, 1.05);
        }
    }

    [Fact]
    public void MatchesTheExactGaussianMeanPosterior()
    {
        var posterior = new GaussianMeanPosterior(d: 4, n: 50, noiseSd: 2.0, priorMean: 1.0, priorSd: 3.0, dataSeed: 5);
        var draws = Sample(posterior, seed: 101, warmup: 1000, draws: 10_000);
        var sd = Enumerable.Range(0, 4).Select(j => Math.Sqrt(posterior.ExactCovariance[j, j])).ToArray();
        AssertMatchesExactMoments(draws, posterior.ExactMean, sd);
        Assert.DoesNotContain(draws, dr => dr.Info.Diverged);
    }

    /// <summary>sds from 0.01 to 100: only an adapted diagonal metric makes this tractable at depth 10.</summary>
    [Fact]
    public void MatchesAnAnisotropicGaussianAndAdaptsTheMetric()
    {
        var target = DiagonalGaussian.Anisotropic(5);
        var chain = NutsChain.Start(target, seed: 202, chainIndex: 1);
        chain.Run(1000 + 10_000);
        var draws = chain.TakeDraws();
        AssertMatchesExactMoments(draws, target.ExactMean, target.Sd);
        // The adapted inverse metric estimates the posterior variances (last window: 500 draws).
        for (int j = 0; j < 5; j++) Assert.InRange(chain.InverseMetric[j] / (target.Sd[j] * target.Sd[j]), 0.7, 1.4);
        double meanAccept = draws.Average(dr => dr.Info.AcceptanceStatistic);
        Assert.InRange(meanAccept, 0.7, 0.95);
        Assert.All(draws, dr => Assert.Equal(chain.StepSize, dr.Info.StepSize));
    }

    [Fact]
    public void ReportsDivergencesInTheFunnel()
    {
        var draws = Sample(new Funnel2D(), seed: 303, warmup: 1000, draws: 1000);
        Assert.True(draws.Count(dr => dr.Info.Diverged) > 0, "the centred funnel's neck must produce divergences");
    }

    private static void AssertSameDraws(IReadOnlyList<NutsDraw> expected, IReadOnlyList<NutsDraw> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Iteration, actual[i].Iteration);
            Assert.Equal(expected[i].Warmup, actual[i].Warmup);
            Assert.Equal(expected[i].Values, actual[i].Values);          // exact double equality
            Assert.Equal(expected[i].LogDensity, actual[i].LogDensity);
            Assert.Equal(expected[i].Info, actual[i].Info);
        }
    }

    /// <summary>Checkpoint (through JSON) and resume reproduce the uninterrupted chain bit for bit, in warm-up and after.</summary>
    [Theory]
    [InlineData(37)]   // inside the init buffer
    [InlineData(120)]  // inside a slow window, with a half-filled variance estimator
    [InlineData(260)]  // after warm-up
    public void CheckpointResumeIsBitIdentical(int splitAt)
    {
        // Odd dimension: the momentum draw must not leave a cached spare normal behind.
        var target = DiagonalGaussian.Anisotropic(3);
        var settings = new NutsSettings(Warmup: 200, SaveWarmup: true);
        var whole = NutsChain.Start(target, seed: 9, chainIndex: 2, settings);
        whole.Run(400);

        var first = NutsChain.Start(target.Clone(), seed: 9, chainIndex: 2, settings);
        first.Run(splitAt);
        string json = JsonSerializer.Serialize(first.Checkpoint());
        var checkpoint = JsonSerializer.Deserialize<NutsCheckpoint>(json)!;
        var resumed = NutsChain.Resume(target.Clone(), checkpoint);
        resumed.Run(400 - splitAt);

        AssertSameDraws(whole.Draws, first.Draws.Concat(resumed.Draws).ToList());
        Assert.Equal(whole.StepSize, resumed.StepSize);
        Assert.Equal(whole.InverseMetric, resumed.InverseMetric);
        Assert.Equal(whole.Checkpoint().RngState, resumed.Checkpoint().RngState);
        Assert.Equal((200, 200), (resumed.WarmupIterationsDone, resumed.SamplingIterationsDone));
    }

    [Fact]
    public void ImproperTargetFailsQuicklyWithAReason()
    {
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<NutsFailureException>(() =>
        {
            var chain = NutsChain.Start(new ImproperLogistic(), seed: 1, chainIndex: 0);
            chain.Run(2000);
        });
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Matches("improper|overflow", error.Reason);
    }

    [Fact]
    public void NoFiniteInitialPointFailsWithAReason()
    {
        var error = Assert.Throws<NutsFailureException>(() => NutsChain.Start(new NowhereFinite(), seed: 1, chainIndex: 0));
        Assert.Contains("Initialization failed", error.Reason);
    }

    [Fact]
    public void RandomInitsLieInTheUniformBoxAndDifferByChain()
    {
        var target = DiagonalGaussian.Standard(4);
        var a = NutsChain.Start(target, seed: 5, chainIndex: 0, new NutsSettings(Warmup: 0));
        var b = NutsChain.Start(target, seed: 5, chainIndex: 1, new NutsSettings(Warmup: 0));
        Assert.All(a.State.Position, x => Assert.InRange(x, -2, 2));
        Assert.NotEqual(a.State.Position, b.State.Position);
    }

    [Fact]
    public void CancelledRunStopsBetweenIterations()
    {
        var chain = NutsChain.Start(DiagonalGaussian.Standard(2), seed: 3, chainIndex: 0);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Equal(0, chain.Run(100, cts.Token));
        Assert.Equal(0, chain.WarmupIterationsDone);
    }
}
