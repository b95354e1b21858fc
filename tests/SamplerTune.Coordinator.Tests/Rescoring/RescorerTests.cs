using SamplerTune.Coordinator.Rescoring;
using SamplerTune.Coordinator.Studies;
using SamplerTune.Coordinator.Tests.Reports;
using SamplerTune.Coordinator.Tests.Support;
using SamplerTune.Messages.Studies;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Metrics;
using SamplerTune.Samplers.Runs;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Rescoring;

public class RescorerTests
{
    private static ChainDraws Normal(double mean, int n, ulong seed)
    {
        var rng = new Rng(seed);
        var draws = new double[n * 2];
        for (int i = 0; i < draws.Length; i++) draws[i] = mean + rng.NextNormal();
        return new ChainDraws(["a", "b"], [draws], new Dictionary<string, IReadOnlyList<double[]>>());
    }

    private static void WriteRun(string runsRoot, string rid, ChainDraws? draws, int referenceVersion, RunStatus status, double objective)
    {
        var dir = RunDirectory.Under(runsRoot, rid);
        if (draws is not null) DrawsFile.Write(dir.Samples, draws);
        ArtifactJson.Write(dir.Metrics, new RunMetrics(objective, 0, 0, 0, 0, 1, 100, draws?.DrawsPerChain ?? 0, status, new Dictionary<string, double>(),
            "mala", "pid0000001", rid, new Dictionary<string, object>(), referenceVersion, null, null, false));
    }

    [Fact]
    public void RescoresRunsWithDrawsMarksRunsWithoutDrawsStaleAndRecordsCurrentOnes()
    {
        var runs = Path.Combine(CliProcess.TempDirectory(), "runs");
        var oldReference = ReferenceDistance.FromDraws(Normal(0, 2000, 1), referenceVersion: 1);
        var newReference = ReferenceDistance.FromDraws(Normal(0.5, 2000, 2), referenceVersion: 2);
        var shifted = Normal(0.5, 1000, 3);
        var state = StudyStates.WithObjectives("mala", 0.9, 0.3, 0.01, 10, 0.2);
        string Rid(int n) => state.Trials[n].Rid;
        WriteRun(runs, Rid(0), shifted, 1, RunStatus.Complete, oldReference.Measure(shifted).Objective);
        WriteRun(runs, Rid(1), null, 1, RunStatus.Complete, 0.3);          // no draws kept
        WriteRun(runs, Rid(2), shifted, 2, RunStatus.Complete, 0.01);      // already scored against v2 (only metrics.json says so)
        WriteRun(runs, Rid(3), null, 1, RunStatus.Diverged, 10);           // penalty does not depend on the reference
        WriteRun(runs, Rid(4), shifted, 1, RunStatus.BudgetExhausted, 0.2);

        var results = Rescorer.Rescore(state, runs, newReference);

        Assert.Equal([0, 1, 2, 3, 4], results.Select(r => r.Number));
        var r0 = results[0];
        Assert.Equal((1, 2), (r0.FromVersion, r0.ToVersion));
        Assert.Equal(newReference.Measure(shifted).Objective, r0.Objective);
        Assert.Equal(0.9, r0.OldObjective); // the journal's value
        Assert.True(r0.Objective < oldReference.Measure(shifted).Objective, "draws centred at 0.5 are closer to the new reference (mean 0.5) than to the old one (mean 0)");
        Assert.True(results[1].Stale);
        Assert.Equal(0.3, results[1].Objective);
        Assert.Contains("no stored draws", results[1].Reason);
        Assert.Equal((2, 0.01, false), (results[2].FromVersion, results[2].Objective, results[2].Stale)); // version 0 in the journal: metrics.json says v2
        Assert.Equal(10, results[3].Objective);
        Assert.False(results[3].Stale);
        Assert.Equal(newReference.Measure(shifted).Objective, results[4].Objective);

        // Once the events are applied, nothing is left to check against v2.
        foreach (var r in results) state = state.Apply(new TrialRescored(r.Number, r.ToVersion, r.Objective, r.Stale, r.Reason));
        Assert.Empty(Rescorer.Rescore(state, runs, newReference));
        Assert.Equal(1, state.StaleCount);
    }
}
