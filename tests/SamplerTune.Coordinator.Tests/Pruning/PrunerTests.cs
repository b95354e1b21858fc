using SamplerTune.Coordinator.Pruning;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Pruning;

public class PrunerTests
{
    private static TrialCurve Curve(int n, bool completed, params (double, double)[] points) => new(n, completed, points);

    // Three completed trials with values at 0.25/0.5/1.0 of their budgets.
    private static readonly TrialCurve[] Finished =
    [
        Curve(0, true, (0.25, 1.0), (0.5, 0.8), (1.0, 0.5)),
        Curve(1, true, (0.25, 2.0), (0.5, 1.6), (1.0, 1.2)),
        Curve(2, true, (0.25, 3.0), (0.5, 2.4), (1.0, 2.0)),
    ];

    [Fact]
    public void MedianPrunesAWorseThanMedianRunAtTheSameFractionOfItsBudget()
    {
        var pruner = new MedianPruner(startupTrials: 3, warmupFraction: 0.2);
        // At 0.3 the completed trials had 1.0, 2.0, 3.0 (their last values at or before 0.3): median 2.0.
        Assert.True(pruner.ShouldPrune(Curve(3, false, (0.3, 2.1)), Finished));
        Assert.False(pruner.ShouldPrune(Curve(3, false, (0.3, 1.9)), Finished));
        // At 0.6 the median is 1.6; the run's best so far (1.5) counts, not its last value.
        Assert.False(pruner.ShouldPrune(Curve(3, false, (0.3, 1.5), (0.6, 1.7)), Finished));
        Assert.True(pruner.ShouldPrune(Curve(3, false, (0.3, 1.7), (0.6, 1.7)), Finished));
    }

    [Fact]
    public void MedianWaitsForWarmUpAndStartupTrialsAndIgnoresRunningOnes()
    {
        var hopeless = Curve(3, false, (0.15, 99.0));
        Assert.False(new MedianPruner(3, 0.2).ShouldPrune(hopeless, Finished)); // before the warm-up fraction
        Assert.True(new MedianPruner(3, 0.1).ShouldPrune(Curve(3, false, (0.25, 99.0)), Finished)); // past it
        Assert.False(new MedianPruner(4, 0.1).ShouldPrune(Curve(3, false, (0.3, 99.0)), Finished)); // 3 completed < 4 startup
        var running = Finished.Select(c => c with { Completed = false }).ToList();
        Assert.False(new MedianPruner(0, 0).ShouldPrune(Curve(3, false, (0.3, 99.0)), running)); // no completed trial to compare with
        // Completed trials that had reported nothing by the fraction do not count: none here, so no pruning.
        Assert.False(new MedianPruner(1, 0).ShouldPrune(Curve(3, false, (0.1, 99.0)), Finished));
        // NaN is the worst value.
        Assert.True(new MedianPruner(3, 0).ShouldPrune(Curve(3, false, (0.3, double.NaN)), Finished));
    }

    [Fact]
    public void AshaKeepsTheTopThirdAtEachRungAndDecidesOncePerRung()
    {
        var asha = new SuccessiveHalvingPruner(minFraction: 1.0 / 9, reductionFactor: 3);
        var rungs = asha.Rungs().ToList();
        Assert.Equal(2, rungs.Count);
        Assert.Equal(1.0 / 9, rungs[0], 12);
        Assert.Equal(1.0 / 3, rungs[1], 12);
        // The first to reach a rung always goes on.
        Assert.False(asha.ShouldPrune(Curve(0, false, (0.12, 5.0)), []));
        // Six others at rung 1/9 with values 1..6; with 7 competitors the best floor(7/3) = 2 go on.
        var others = Enumerable.Range(1, 6).Select(v => Curve(v, v % 2 == 0, (0.12, v), (0.5, v / 2.0))).ToList();
        Assert.False(asha.ShouldPrune(Curve(7, false, (0.12, 1.5)), others)); // second best: goes on
        Assert.True(asha.ShouldPrune(Curve(7, false, (0.12, 2.5)), others));  // third best: pruned
        // Between rungs nothing is decided again, even when bad.
        Assert.False(asha.ShouldPrune(Curve(7, false, (0.12, 1.5), (0.2, 50)), others));
        // At rung 1/3 the others' values there are 0.5..3 (first report at or past 1/3).
        Assert.True(asha.ShouldPrune(Curve(7, false, (0.12, 1.5), (0.2, 50), (0.34, 1.1)), others));
        Assert.False(asha.ShouldPrune(Curve(7, false, (0.12, 1.5), (0.2, 50), (0.34, 0.9)), others));
    }

    [Fact]
    public void MonitorAddsPointsOnlyForNewValuesAndCountsCompletedCurves()
    {
        var monitor = new PruningMonitor(new MedianPruner(startupTrials: 1, warmupFraction: 0));
        Assert.False(monitor.Report(0, 1, 10, null));
        Assert.False(monitor.Report(0, 2, 10, 1.0));
        Assert.False(monitor.Report(0, 3, 10, 1.0)); // same value: progress between checkpoints, no new point
        Assert.False(monitor.Report(0, 6, 10, 0.5));
        Assert.Equal([(0.2, 1.0), (0.6, 0.5)], monitor.Curve(0).Points);
        Assert.False(monitor.Report(1, 3, 10, 5.0)); // trial 0 is not completed yet: nothing to compare with
        monitor.Completed(0);
        Assert.True(monitor.Curve(0).Completed);
        Assert.True(monitor.Report(1, 4, 10, 4.0)); // at 0.4 trial 0 had 1.0; the best of trial 1 is 4.0
        Assert.False(monitor.Report(2, 4, 10, 0.9));
        Assert.False(monitor.Report(0, 9, 10, 0.1)); // a completed trial reports nothing more
    }

    [Fact]
    public void SettingsAreValidatedAndCreateTheirPruner()
    {
        Assert.Null(PrunerSettings.Off.Create());
        Assert.IsType<MedianPruner>(new PrunerSettings(PrunerSettings.Median).Create());
        Assert.IsType<SuccessiveHalvingPruner>(new PrunerSettings(PrunerSettings.Asha).Create());
        Assert.Null(new PrunerSettings(PrunerSettings.Median).Problem());
        Assert.Contains("not a pruner", new PrunerSettings("hyperband").Problem());
        Assert.Contains("warmup-fraction", new PrunerSettings(PrunerSettings.Median, WarmupFraction: 1).Problem());
        Assert.Contains("reduction-factor", new PrunerSettings(PrunerSettings.Asha, ReductionFactor: 1).Problem());
    }
}
