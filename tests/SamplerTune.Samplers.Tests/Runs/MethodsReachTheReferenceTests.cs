using SamplerTune.Samplers.Methods;
using SamplerTune.Samplers.Metrics;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Reference;
using SamplerTune.Samplers.Runs;
using Xunit;
using Xunit.Abstractions;

namespace SamplerTune.Samplers.Tests.Runs;

/// <summary>
/// Issue 4's acceptance: every method, with sensible hyperparameters and a small gradient budget
/// (deterministic, a few seconds), gets close to the exact reference of gaussian_mean and banana;
/// absurd hyperparameters give a flagged diverged run with the penalty objective, not a crash.
/// </summary>
public class MethodsReachTheReferenceTests(ITestOutputHelper output)
{
    private static StoredProblem ProblemWithReference(string family)
    {
        var root = Path.Combine(Path.GetTempPath(), "samplertune-tests", Guid.NewGuid().ToString("N")[..12]);
        var (problem, _) = new ProblemStore(root).Add(ProblemSpec.Create(family, new Dictionary<string, string>(), null, "test"), null);
        ReferenceRunner.Run(problem, new ReferenceSettings(MinEss: 1000));
        return problem;
    }

    private RunMetrics Run(string family, string method, long gradEvals, params (string, string)[] hyperparameters)
    {
        var problem = ProblemWithReference(family);
        var m = SamplingMethods.Find(method)!;
        var manifest = RunManifest.Create(m, problem.Pid, family, hyperparameters.ToDictionary(h => h.Item1, h => h.Item2),
            seed: 3, budgetSec: 120, budgetGradEvals: gradEvals, checkpointSec: 1e9);
        var dir = RunDirectory.Under(Path.Combine(problem.Directory, "..", "..", "runs"), manifest.Rid);
        var metrics = MethodRunner.Run(manifest, problem.Build(), ReferenceDistance.Load(problem.GroundTruthDirectory), dir).Metrics!;
        output.WriteLine($"{family} {method}: objective {metrics.Objective:G4} (mmd {metrics.Mmd:G3}, mean {metrics.MeanErrorL2:G3}, cov {metrics.CovErrorFro:G3}), status {metrics.Status}");
        return metrics;
    }

    // Thresholds: the exact-draw objective of 4000 draws is ~0.02-0.05 (MMD noise plus sampling error of the
    // moments); 0.25 leaves room for each method's own error at these budgets. VI on the banana is held to
    // 0.9 instead: a Gaussian q fitted by KL(q||p) cannot follow the curved ridge and underestimates x2's
    // spread (cov error ~0.7-0.8 whatever the tuning), which is exactly what a study should reveal.
    [Theory]
    [InlineData("gaussian_mean", "sgld", 200_000, "eta0=0.001|batch=100|gamma=0.33", 0.25)]
    [InlineData("gaussian_mean", "mala", 100_000, "", 0.25)]
    [InlineData("gaussian_mean", "mclmc", 100_000, "", 0.25)]
    [InlineData("gaussian_mean", "vi", 120_000, "family=fullrank|lr=0.001|mc_samples=4|iterations=20000", 0.25)]
    [InlineData("banana", "sgld", 400_000, "eta0=0.1|gamma=0.05", 0.25)]
    [InlineData("banana", "mala", 200_000, "", 0.25)]
    [InlineData("banana", "mclmc", 200_000, "", 0.25)]
    [InlineData("banana", "vi", 120_000, "family=fullrank|lr=0.001|mc_samples=4|iterations=20000", 0.9)]
    public void SensibleHyperparametersGetClose(string family, string method, long gradEvals, string hyperparameters, double threshold)
    {
        var pairs = hyperparameters.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(h => (h.Split('=')[0], h.Split('=')[1])).ToArray();
        var m = Run(family, method, gradEvals, pairs);
        Assert.True(m.Status is RunStatus.Complete or RunStatus.BudgetExhausted, $"status {m.Status}");
        Assert.True(m.Objective < threshold, $"{family} {method}: objective {m.Objective} >= {threshold}");
    }

    [Theory]
    [InlineData("sgld", "eta0=10|gamma=0.3")]
    [InlineData("mala", "step_size=1000|adapt=off")]
    [InlineData("mclmc", "step_size=1000|tune=off")]
    [InlineData("vi", "lr=1000000000")]
    public void AbsurdHyperparametersGiveAFlaggedDivergedRunWithThePenalty(string method, string hyperparameters)
    {
        var pairs = hyperparameters.Split('|').Select(h => (h.Split('=')[0], h.Split('=')[1])).ToArray();
        var m = Run("banana", method, 50_000, pairs);
        Assert.Equal(RunStatus.Diverged, m.Status);
        Assert.Equal(10, m.Objective);
    }
}
