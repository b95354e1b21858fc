using System.Text.Json.Nodes;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Diagnostics;
using SamplerTune.Samplers.Methods;
using SamplerTune.Samplers.Problems;
using Xunit;
using Xunit.Abstractions;

namespace SamplerTune.Samplers.Tests.Methods;

/// <summary>
/// SGLD is biased by design: with a constant step a on a Gaussian of precision p the chain's variance
/// is 1 / (p (1 - a p / 4)), and the minibatch gradient noise adds (a / 2)^2 Var(noise) per step
/// (about 8% of the injected noise for eta0 = 1e-3, batch 32 on gaussian_mean). So the moment checks
/// allow a bias of 0.1 posterior sd on means and 12% on sds, on top of 4 Monte Carlo standard errors.
/// </summary>
public class SgldTests(ITestOutputHelper output)
{
    private static readonly SgldMethod Method = new();

    [Fact]
    public void KernelMethodsAreRegisteredWithTheirHyperparameters()
    {
        Assert.Equal(["sgld", "mala", "mclmc"], SamplingMethods.KernelMethods.Select(m => m.Name));
        Assert.Equal(["eta0", "gamma", "b", "batch", "precond", "alpha", "lambda", "burnin", "thin", "max_draws"], Method.HyperparameterSpecs.Select(s => s.Name));
        var error = Assert.Throws<SpecError>(() => Hyperparameters.Create(Method, new Dictionary<string, string> { ["gamma"] = "1.5" }));
        Assert.Contains("gamma", error.Message);
    }

    [Fact]
    public void HugeStepDivergesWithAFlagAndKeepsTheEarlierDraws()
    {
        var posterior = KernelMethodChecks.GaussianMean();
        var run = KernelMethodChecks.Run(Method, posterior, new() { ["eta0"] = "10", ["gamma"] = "0" }, seed: 4, gradientEvaluations: 100_000);
        Assert.True(run.Finished);
        Assert.Contains("non-finite SGLD", run.DivergenceReason);
        Assert.InRange(run.GradientEvaluations, 1, 1000);
        var draws = run.Draws();
        Assert.True(draws.DrawsPerChain > 10, "the draws before the divergence are kept");
        Assert.All(draws.Draws[0], v => Assert.True(double.IsFinite(v)));
        long before = run.GradientEvaluations;
        run.Advance(1000);
        Assert.Equal(before, run.GradientEvaluations);
    }

    [Fact]
    public void CheckpointResumesBitIdentically() =>
        KernelMethodChecks.AssertCheckpointResumesBitIdentically(Method, KernelMethodChecks.GaussianMean(),
            new() { ["eta0"] = "0.02", ["precond"] = "on", ["batch"] = "10", ["max_draws"] = "100" }, seed: 5, split: 777, total: 3000);

    [Fact]
    public void A_batch_above_the_data_count_is_clamped_to_the_full_gradient_and_recorded()
    {
        var posterior = KernelMethodChecks.GaussianMean(); // N = 100 observations
        Dictionary<string, string> With(string batch) => new() { ["eta0"] = "1e-3", ["gamma"] = "0", ["batch"] = batch };
        var clamped = KernelMethodChecks.Run(Method, posterior, With("5000"), seed: 2, gradientEvaluations: 500);
        var full = KernelMethodChecks.Run(Method, posterior, With("100"), seed: 2, gradientEvaluations: 500);
        var minibatch = KernelMethodChecks.Run(Method, posterior, With("99"), seed: 2, gradientEvaluations: 500);
        Assert.Equal(100, clamped.Diagnostics()["batch_clamped_to"]);
        Assert.False(full.Diagnostics().ContainsKey("batch_clamped_to"));
        Assert.False(minibatch.Diagnostics().ContainsKey("batch_clamped_to"));
        Assert.Equal(full.GradientEvaluations, clamped.GradientEvaluations);
        Assert.Equal(full.Draws().Draws[0], clamped.Draws().Draws[0]);
    }

    [Fact]
    public void ConstantStepSgldOnGaussianMeanIsCloseToTheExactPosterior()
    {
        var posterior = KernelMethodChecks.GaussianMean();
        var run = KernelMethodChecks.Run(Method, posterior, new() { ["eta0"] = "1e-3", ["gamma"] = "0" }, seed: 1, gradientEvaluations: 40_000);
        KernelMethodChecks.Report(output, run, posterior);
        Assert.Null(run.DivergenceReason);
        KernelMethodChecks.AssertBiasedMomentsClose(run.Draws(), posterior, meanSds: 0.1, relativeSd: 0.12);
    }

    [Fact]
    public void PreconditionedMinibatchSgldOnGaussianMeanIsCloseToTheExactPosterior()
    {
        var posterior = KernelMethodChecks.GaussianMean();
        var run = KernelMethodChecks.Run(Method, posterior, new() { ["eta0"] = "0.02", ["gamma"] = "0", ["precond"] = "on", ["batch"] = "10" }, seed: 3, gradientEvaluations: 20_000);
        KernelMethodChecks.Report(output, run, posterior);
        Assert.Null(run.DivergenceReason);
        KernelMethodChecks.AssertBiasedMomentsClose(run.Draws(), posterior, meanSds: 0.1, relativeSd: 0.12);
    }

    [Fact]
    public void FullGradientSgldOnBananaIsCloseToTheExactPosterior()
    {
        var posterior = new BananaPosterior(0.03, 0);
        var run = KernelMethodChecks.Run(Method, posterior, new() { ["eta0"] = "0.1", ["gamma"] = "0" }, seed: 2, gradientEvaluations: 2_000_000, slice: 100_000);
        KernelMethodChecks.Report(output, run, posterior);
        Assert.Null(run.DivergenceReason);
        KernelMethodChecks.AssertBiasedMomentsClose(run.Draws(), posterior, meanSds: 0.1, relativeSd: 0.12);
    }
}

/// <summary>Shared checks for the kernel method tests (sgld, mala, mclmc).</summary>
internal static class KernelMethodChecks
{
    public static GaussianMeanPosterior GaussianMean() => new(d: 5, n: 100, noiseSd: 1, priorMean: 0, priorSd: 10, dataSeed: 1);

    public static IMethodRun Run(ISamplingMethod method, IPosterior posterior, Dictionary<string, string> given, ulong seed, long gradientEvaluations, long slice = 1000)
    {
        var run = method.Start(posterior, Hyperparameters.Create(method, given), seed);
        while (!run.Finished && run.GradientEvaluations < gradientEvaluations) run.Advance(slice);
        return run;
    }

    public static void Report(ITestOutputHelper output, IMethodRun run, IPosterior posterior)
    {
        output.WriteLine($"grad evals {run.GradientEvaluations}, reason {run.DivergenceReason}");
        foreach (var (k, v) in run.Diagnostics()) output.WriteLine($"  {k} = {v}");
        var draws = run.Draws();
        var exact = (IExactMoments)posterior;
        for (int p = 0; p < draws.Parameters; p++)
        {
            var x = draws.Parameter(p);
            output.WriteLine($"  {draws.ParameterNames[p]}: mean {ConvergenceDiagnostics.Mean(x):F4} (exact {exact.ExactMean[p]:F4}, mcse {ConvergenceDiagnostics.McseMean(x):F4}), " +
                $"sd {ConvergenceDiagnostics.Sd(x):F4} (exact {Math.Sqrt(exact.ExactCovariance[p, p]):F4}, mcse {ConvergenceDiagnostics.McseSd(x):F4}), ess {ConvergenceDiagnostics.EssBulk(x):F0}");
        }
    }

    /// <summary>
    /// Asymptotically exact methods: every mean and sd within <paramref name="z"/> Monte Carlo standard
    /// errors (posterior's mcse_mean / mcse_sd from the chain's own ESS) of the exact value.
    /// </summary>
    public static void AssertMomentsWithinMcse(ChainDraws draws, IExactMoments exact, double z = 4, int minDraws = 500)
    {
        Assert.True(draws.DrawsPerChain >= minDraws, $"only {draws.DrawsPerChain} draws");
        for (int p = 0; p < draws.Parameters; p++)
        {
            var x = draws.Parameter(p);
            double mean = ConvergenceDiagnostics.Mean(x), sd = ConvergenceDiagnostics.Sd(x);
            double exactSd = Math.Sqrt(exact.ExactCovariance[p, p]);
            double mcseMean = ConvergenceDiagnostics.McseMean(x), mcseSd = ConvergenceDiagnostics.McseSd(x);
            Assert.True(Math.Abs(mean - exact.ExactMean[p]) <= z * mcseMean,
                $"{draws.ParameterNames[p]}: mean {mean} vs exact {exact.ExactMean[p]} (mcse {mcseMean})");
            Assert.True(Math.Abs(sd - exactSd) <= z * mcseSd,
                $"{draws.ParameterNames[p]}: sd {sd} vs exact {exactSd} (mcse {mcseSd})");
        }
    }

    /// <summary>
    /// Biased methods (SGLD): the allowed error is the method's bias allowance plus 4 Monte Carlo standard
    /// errors: each mean within <paramref name="meanSds"/> exact posterior sds + 4 mcse_mean of the exact mean,
    /// each sd within a relative <paramref name="relativeSd"/> + 4 mcse_sd of the exact sd.
    /// </summary>
    public static void AssertBiasedMomentsClose(ChainDraws draws, IPosterior posterior, double meanSds, double relativeSd, int minDraws = 500)
    {
        var exact = (IExactMoments)posterior;
        Assert.True(draws.DrawsPerChain >= minDraws, $"only {draws.DrawsPerChain} draws");
        for (int p = 0; p < draws.Parameters; p++)
        {
            var x = draws.Parameter(p);
            double mean = ConvergenceDiagnostics.Mean(x), sd = ConvergenceDiagnostics.Sd(x);
            double exactSd = Math.Sqrt(exact.ExactCovariance[p, p]);
            double mcseMean = ConvergenceDiagnostics.McseMean(x), mcseSd = ConvergenceDiagnostics.McseSd(x);
            Assert.True(Math.Abs(mean - exact.ExactMean[p]) <= meanSds * exactSd + 4 * mcseMean,
                $"{draws.ParameterNames[p]}: mean {mean} vs exact {exact.ExactMean[p]} (sd {exactSd}, mcse {mcseMean})");
            Assert.True(Math.Abs(sd - exactSd) <= relativeSd * exactSd + 4 * mcseSd, $"{draws.ParameterNames[p]}: sd {sd} vs exact {exactSd} (mcse {mcseSd})");
        }
    }

    /// <summary>
    /// Run A straight for <paramref name="total"/> gradient evaluations; run B stops at
    /// <paramref name="split"/>, checkpoints through JSON text, resumes and continues with the same
    /// slices: draws, counters and diagnostics must be identical bit for bit.
    /// </summary>
    public static void AssertCheckpointResumesBitIdentically(ISamplingMethod method, IPosterior posterior, Dictionary<string, string> given, ulong seed, long split, long total, long slice = 100)
    {
        var h = Hyperparameters.Create(method, given);
        var a = method.Start(posterior, h, seed);
        while (a.GradientEvaluations < total && !a.Finished) a.Advance(slice);

        var b = method.Start(posterior, h, seed);
        while (b.GradientEvaluations < split && !b.Finished) b.Advance(slice);
        string text = b.Checkpoint().ToJsonString();
        var resumed = method.Resume(posterior, h, JsonNode.Parse(text)!);
        Assert.Equal(text, resumed.Checkpoint().ToJsonString());
        while (resumed.GradientEvaluations < total && !resumed.Finished) resumed.Advance(slice);

        Assert.Equal(a.GradientEvaluations, resumed.GradientEvaluations);
        Assert.Equal(a.DivergenceReason, resumed.DivergenceReason);
        Assert.Equal(a.Draws().Draws[0], resumed.Draws().Draws[0]);
        Assert.Equal(a.Diagnostics(), resumed.Diagnostics());
        Assert.Equal(a.Checkpoint().ToJsonString(), resumed.Checkpoint().ToJsonString());
    }
}
