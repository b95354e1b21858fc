using System.Diagnostics;
using SamplerTune.Samplers.Methods;
using SamplerTune.Samplers.Problems;
using SamplerTune.Worker.Methods;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Benchmarks;

/// <summary>The benchmark-only sleep method of 'bench scale': registered for workers (not for studies), sleeps its time, scores.</summary>
public class SleepMethodTests
{
    [Fact]
    public void Workers_find_it_but_studies_do_not_tune_it()
    {
        Assert.Same(SleepMethod.Instance, MethodCatalog.Find("sleep"));
        Assert.Null(SamplingMethods.Find("sleep"));
    }

    [Fact]
    public void A_run_sleeps_its_seconds_in_short_naps_then_returns_exact_draws()
    {
        var posterior = ProblemSpec.Create("gaussian_mean", new Dictionary<string, string> { ["d"] = "2" }, null, "test").Build(null);
        var hp = Hyperparameters.Create(SleepMethod.Instance, new Dictionary<string, string> { ["seconds"] = "0.3" });
        var run = SleepMethod.Instance.Start(posterior, hp, 7);
        var clock = Stopwatch.StartNew();
        Assert.Empty(run.Draws().Draws);
        while (!run.Finished)
        {
            var nap = Stopwatch.StartNew();
            run.Advance(1_000_000);
            // each call returns within a nap, so the harness can check cancellation between calls
            Assert.True(nap.Elapsed < SleepMethod.Nap + TimeSpan.FromMilliseconds(200), $"one Advance took {nap.Elapsed}");
        }
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.3, 5);
        Assert.True(run.GradientEvaluations >= 6, $"{run.GradientEvaluations} naps for 0.3 s of 50 ms naps");
        var draws = run.Draws();
        Assert.Equal(posterior.ParameterNames, draws.ParameterNames);
        Assert.Equal(100, draws.DrawsPerChain);
        Assert.All(draws.Draws[0], v => Assert.True(double.IsFinite(v)));
        Assert.Contains(draws.Draws[0], v => v != 0);
    }

    [Fact]
    public void A_resumed_run_sleeps_only_what_is_left()
    {
        var posterior = ProblemSpec.Create("gaussian_mean", new Dictionary<string, string> { ["d"] = "2" }, null, "test").Build(null);
        var hp = Hyperparameters.Create(SleepMethod.Instance, new Dictionary<string, string> { ["seconds"] = "0.2" });
        var first = SleepMethod.Instance.Start(posterior, hp, 7);
        first.Advance(1);
        var resumed = SleepMethod.Instance.Resume(posterior, hp, first.Checkpoint());
        var clock = Stopwatch.StartNew();
        while (!resumed.Finished) resumed.Advance(1);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.1, 0.2 + 2);
    }
}
