using SamplerTune.Samplers.Methods;
using SamplerTune.Samplers.Problems;
using Xunit;
using Xunit.Abstractions;

namespace SamplerTune.Samplers.Tests.Methods;

public class MalaTests(ITestOutputHelper output)
{
    private static readonly MalaMethod Method = new();

    [Fact]
    public void AdaptedMalaMatchesTheGaussianMeanPosteriorWithinMcse()
    {
        var posterior = KernelMethodChecks.GaussianMean();
        var run = KernelMethodChecks.Run(Method, posterior, [], seed: 1, gradientEvaluations: 20_000);
        KernelMethodChecks.Report(output, run, posterior);
        Assert.Null(run.DivergenceReason);
        // Dual averaging reaches its target acceptance (a loose band: the final step is exp(x_bar)).
        Assert.InRange(run.Diagnostics()["acceptance_rate"], 0.45, 0.7);
        KernelMethodChecks.AssertMomentsWithinMcse(run.Draws(), posterior);
    }

    [Fact]
    public void AdaptedMalaMatchesTheBananaWithinMcse()
    {
        var posterior = new BananaPosterior(0.03, 0);
        var run = KernelMethodChecks.Run(Method, posterior, new() { ["max_draws"] = "20000" }, seed: 2, gradientEvaluations: 400_000, slice: 50_000);
        KernelMethodChecks.Report(output, run, posterior);
        Assert.Null(run.DivergenceReason);
        KernelMethodChecks.AssertMomentsWithinMcse(run.Draws(), posterior);
    }

    [Fact]
    public void HugeStepWithoutAdaptationIsFlaggedAsStuckAndKeepsItsDraws()
    {
        var posterior = KernelMethodChecks.GaussianMean();
        var run = KernelMethodChecks.Run(Method, posterior, new() { ["step_size"] = "100", ["adapt"] = "off" }, seed: 3, gradientEvaluations: 100_000);
        Assert.True(run.Finished);
        Assert.Contains("consecutive divergent MALA proposals", run.DivergenceReason);
        Assert.Equal(MalaRun.MaxConsecutiveDivergences, run.GradientEvaluations - 1);
        Assert.Equal(MalaRun.MaxConsecutiveDivergences, run.Diagnostics()["divergences"]);
        Assert.True(run.Draws().DrawsPerChain > 0, "the draws before the stop are kept");
    }

    [Fact]
    public void MetropolisCorrectionMakesSmallAndLargeStepsAgreeWithoutAdaptation()
    {
        // Without adaptation the chain is still exact; only its efficiency depends on the step.
        var posterior = KernelMethodChecks.GaussianMean();
        foreach (var step in new[] { "0.02", "0.15" })
        {
            var run = KernelMethodChecks.Run(Method, posterior, new() { ["step_size"] = step, ["adapt"] = "off" }, seed: 6, gradientEvaluations: 30_000);
            Assert.Null(run.DivergenceReason);
            KernelMethodChecks.AssertMomentsWithinMcse(run.Draws(), posterior);
        }
    }

    [Fact]
    public void CheckpointDuringWarmupResumesBitIdentically() =>
        KernelMethodChecks.AssertCheckpointResumesBitIdentically(Method, new BananaPosterior(0.03, 1),
            new() { ["warmup"] = "300", ["max_draws"] = "64" }, seed: 5, split: 150, total: 2000);
}
