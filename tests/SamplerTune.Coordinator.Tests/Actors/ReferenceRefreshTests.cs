using Akka.Actor;
using Akka.TestKit.Xunit2;
using SamplerTune.Coordinator.Actors;
using SamplerTune.Coordinator.Studies;
using SamplerTune.Coordinator.Tests.Support;
using SamplerTune.Messages.Coordination;
using SamplerTune.Messages.Work;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Metrics;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Reference;
using SamplerTune.Samplers.Runs;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Actors;

/// <summary>
/// Issue 8, part 2, through the StudyActor on a real SQLite journal and a real reference: when the problem's reference
/// is extended (summary.json version 1 -> 2), completed trials are re-scored from their stored draws and persisted as
/// TrialRescored, a run without stored draws keeps its score and is marked stale, a result scored against the old
/// version that arrives later is re-scored too, and the recovered study has the new objectives.
/// </summary>
public class ReferenceRefreshTests : TestKit
{
    private readonly ExperimentsLayout _layout;

    public ReferenceRefreshTests() : this(StudyFixture.NewLayout()) { }

    private ReferenceRefreshTests(ExperimentsLayout layout) : base(StudyFixture.Config(layout)) => _layout = layout;

    /// <summary>Stores a run's draws (when given) and metrics as the worker would, scored against <paramref name="reference"/>.</summary>
    private RunFinished Finish(WorkOrder order, ChainDraws draws, bool keepDraws, ReferenceDistance reference)
    {
        var dir = RunDirectory.Under(_layout.Runs, order.WorkId);
        if (keepDraws) DrawsFile.Write(dir.Samples, draws);
        var d = reference.Measure(draws);
        ArtifactJson.Write(dir.Metrics, new RunMetrics(d.Objective, d.Mmd, d.MmdNoiseFloor, d.MeanErrorL2, d.CovErrorFro, 1, 100, d.NumSamples,
            RunStatus.Complete, new Dictionary<string, double>(), "null", "pid", order.WorkId, new Dictionary<string, object>(), reference.ReferenceVersion,
            null, null, false));
        return new RunFinished(order.WorkId, order.WorkId, d.Objective, "complete", null, new Dictionary<string, double>(), false, reference.ReferenceVersion);
    }

    private static ChainDraws Shifted(double shift, ulong seed)
    {
        var rng = new Rng(seed);
        var draws = new double[1000 * 2];
        for (int i = 0; i < draws.Length; i++) draws[i] = shift + rng.NextNormal();
        return new ChainDraws(["mu[1]", "mu[2]"], [draws], new Dictionary<string, IReadOnlyList<double[]>>());
    }

    [Fact]
    public void ExtendedReferenceRescoresStoredDrawsMarksTheRestStaleAndSurvivesRecovery()
    {
        var (problem, _) = new ProblemStore(_layout.Problems).Add(ProblemSpec.Create("gaussian_mean", new Dictionary<string, string> { ["d"] = "2" }, null, "test"), null);
        Assert.Equal(1, ReferenceRunner.Run(problem, new ReferenceSettings(Chains: 2, MinEss: 400)).Version);
        var v1 = ReferenceDistance.Load(problem.GroundTruthDirectory);
        var def = StudyFixture.Definition(trials: 4, batch: 3, name: "refresh") with { Pid = problem.Pid };
        var dispatcher = CreateTestProbe();
        var coordinator = CreateTestProbe();
        var study = Sys.ActorOf(StudyFixture.Props(def, _layout, dispatcher, coordinator));
        var orders = Enumerable.Range(0, 3).Select(_ => dispatcher.ExpectMsg<WorkOrder>(StudyFixture.StartTimeout)).ToList();
        var draws = new[] { Shifted(0.0, 1), Shifted(0.3, 2), Shifted(0.1, 3), Shifted(0.2, 4) };
        study.Tell(Finish(orders[0], draws[0], keepDraws: true, v1));
        study.Tell(Finish(orders[1], draws[1], keepDraws: true, v1));
        study.Tell(Finish(orders[2], draws[2], keepDraws: false, v1)); // its draws were not kept
        var fourth = dispatcher.ExpectMsg<WorkOrder>();

        // The reference is extended while trial 3 is still running.
        Assert.Equal(2, ReferenceRunner.Run(problem, new ReferenceSettings(Chains: 2, MinEss: 1600)).Version);
        var v2 = ReferenceDistance.Load(problem.GroundTruthDirectory);
        study.Tell(StudyActor.CheckReference.Instance);
        study.Tell(Finish(fourth, draws[3], keepDraws: true, v1)); // scored by a worker that still had version 1
        coordinator.FishForMessage<StudyStatus>(s => s.Finished, TimeSpan.FromSeconds(20));

        AwaitAssert(() =>
        {
            var trials = StudyJournal.ReadAll(_layout).Single(s => s.Created!.Study == "refresh").Trials;
            Assert.All(trials, t => Assert.Equal(2, t.ReferenceVersion));
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200));
        Watch(study);
        study.Tell(PoisonPill.Instance);
        ExpectTerminated(study);

        var recovered = StudyJournal.ReadAll(_layout).Single(s => s.Created!.Study == "refresh").Trials;
        foreach (int n in new[] { 0, 1, 3 })
        {
            Assert.Equal(v2.Measure(draws[n]).Objective, recovered[n].Objective);
            Assert.NotEqual(v1.Measure(draws[n]).Objective, recovered[n].Objective);
            Assert.False(recovered[n].Stale);
        }
        Assert.True(recovered[2].Stale);
        Assert.Equal(v1.Measure(draws[2]).Objective, recovered[2].Objective);
        Assert.Equal(1, recovered[2].ScoredReferenceVersion); // checked against v2, still scored against v1
        Assert.All(new[] { 0, 1, 3 }, n => Assert.Equal(2, recovered[n].ScoredReferenceVersion));
        var csv = File.ReadAllText(Path.Combine(_layout.Studies, "refresh", TrialsCsv.TrialsFile));
        Assert.Contains("user_attrs_stale", csv);
        var rows = File.ReadAllLines(Path.Combine(_layout.Studies, "refresh", TrialsCsv.TrialsFile));
        var header = rows[0].Split(',');
        int version = Array.IndexOf(header, "user_attrs_reference_version"), stale = Array.IndexOf(header, "user_attrs_stale");
        Assert.Equal(["2", "2", "1", "2"], rows.Skip(1).Select(r => r.Split(',')[version]));
        Assert.Equal(["", "", "True", ""], rows.Skip(1).Select(r => r.Split(',')[stale]));
    }
}
