using Akka.Actor;
using Akka.TestKit.Xunit2;
using SamplerTune.Coordinator.Actors;
using SamplerTune.Coordinator.Pruning;
using SamplerTune.Coordinator.Studies;
using SamplerTune.Coordinator.Tests.Support;
using SamplerTune.Messages.Coordination;
using SamplerTune.Messages.Work;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Actors;

/// <summary>Issue 8, part 3: provisional metrics reach the study, which prunes, persists TrialPruned and frees the slot.</summary>
public class PruningFlowTests() : TestKit(StudyFixture.Config(Layout))
{
    private static readonly Samplers.Common.ExperimentsLayout Layout = StudyFixture.NewLayout();

    private static RunFinished Result(WorkOrder o, double objective) =>
        new(o.WorkId, o.WorkId, objective, "complete", null, new Dictionary<string, double> { ["mmd"] = objective }, false);

    private static WorkProgress Progress(WorkOrder o, double elapsed, double? value) => new(o.WorkId, "w1", elapsed, 10, value);

    [Fact]
    public void AStudyPrunesAWorseThanMedianRunPersistsTrialPrunedAndAsksTheNextTrial()
    {
        var dispatcher = CreateTestProbe();
        var coordinator = CreateTestProbe();
        var def = StudyFixture.Definition(trials: 4, batch: 2, name: "pruned-study") with { Pruner = new PrunerSettings(PrunerSettings.Median, StartupTrials: 1, WarmupFraction: 0.2) };
        var study = Sys.ActorOf(StudyFixture.Props(def, Layout, dispatcher, coordinator));

        var first = dispatcher.ExpectMsg<WorkOrder>(StudyFixture.StartTimeout);
        var second = dispatcher.ExpectMsg<WorkOrder>();
        study.Tell(Progress(first, 3, 0.8));
        study.Tell(Progress(first, 6, 0.5));
        study.Tell(Result(first, 0.4));
        var third = dispatcher.ExpectMsg<WorkOrder>();

        study.Tell(Progress(second, 1, 9.0)); // before the warm-up fraction: kept
        study.Tell(Progress(third, 4, 0.7));   // better than trial 0 had at 0.4 of its budget (0.8): kept
        dispatcher.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        study.Tell(Progress(second, 4, 2.0));  // worse than 0.8: pruned
        var cancel = dispatcher.ExpectMsg<CancelWork>();
        Assert.Equal(second.WorkId, cancel.WorkId);
        var fourth = dispatcher.ExpectMsg<WorkOrder>(); // its slot went to the next trial
        Assert.NotEqual(third.WorkId, fourth.WorkId);

        study.Tell(Result(second, 0.1)); // a late result of the pruned run is dropped
        study.Tell(Result(third, 0.6));
        study.Tell(Result(fourth, 0.9));
        var done = coordinator.FishForMessage<StudyStatus>(s => s.Finished, TimeSpan.FromSeconds(15));
        Assert.Equal(4, done.Done);
        Assert.Equal(0.4, done.BestObjective);

        Sys.Stop(study);
        var state = StudyJournal.ReadAll(Layout).Single(s => s.Created!.Study == def.Name);
        Assert.Equal([StudyState.Complete, StudyState.Pruned, StudyState.Complete, StudyState.Complete], state.Trials.Select(t => t.State));
        Assert.Equal(2.0, state.Trials[1].Objective);
        Assert.Equal(1, state.PrunedCount);
    }

    [Fact]
    public void ARestartedStudyPrunesFromTheCurvesItsRunsWroteBeforeTheRestart()
    {
        var dispatcher = CreateTestProbe();
        var coordinator = CreateTestProbe();
        var def = StudyFixture.Definition(trials: 3, batch: 1, name: "pruned-after-restart") with
        {
            Pruner = new PrunerSettings(PrunerSettings.Median, StartupTrials: 2, WarmupFraction: 0.2),
        };
        var study = Sys.ActorOf(StudyFixture.Props(def, Layout, dispatcher, coordinator));
        foreach (double objective in new[] { 0.4, 0.5 })
        {
            var order = dispatcher.ExpectMsg<WorkOrder>(StudyFixture.StartTimeout);
            var run = Samplers.Runs.RunDirectory.Under(Layout.Runs, order.WorkId);
            run.AppendProvisional(4, 10, objective + 0.3); // what the runner writes at its checkpoints
            run.AppendProvisional(8, 10, objective + 0.1);
            study.Tell(Result(order, objective));
        }
        var third = dispatcher.ExpectMsg<WorkOrder>();
        Watch(study);
        study.Tell(PoisonPill.Instance);
        ExpectTerminated(study);

        // The restarted study has no progress message from trials 0 and 1, only their provisional.csv files.
        var restarted = Sys.ActorOf(StudyFixture.Props(def, Layout, dispatcher, coordinator));
        Assert.Equal(third.WorkId, dispatcher.ExpectMsg<WorkOrder>(StudyFixture.StartTimeout).WorkId);
        restarted.Tell(Progress(third, 5, 3.0)); // worse than the median (0.7, 0.8) at half the budget
        Assert.Equal(third.WorkId, dispatcher.ExpectMsg<CancelWork>().WorkId);
    }

    [Fact]
    public void TheDispatcherForwardsRunProgressToItsOwnerAndFreesACancelledUnitsSlotAtOnce()
    {
        var worker = CreateTestProbe();
        var owner = CreateTestProbe();
        var dispatcher = Sys.ActorOf(Dispatcher.Props(maxConcurrent: 1, retryLimit: 1, experimentsId: "pruning-test"));
        dispatcher.Tell(new RegisterWorker("w1", 2, "pruning-test"), worker);
        worker.ExpectMsg<WorkerRegistered>();
        dispatcher.Tell(new RequestWork(2), worker);
        var a = new WorkOrder("run-a", WorkKind.Run, "pid", "{}", 0);
        var b = new WorkOrder("run-b", WorkKind.Run, "pid", "{}", 0);
        dispatcher.Tell(a, owner);
        dispatcher.Tell(b, owner);
        Assert.Equal("run-a", worker.ExpectMsg<WorkOrder>().WorkId);
        worker.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // at most one in flight

        dispatcher.Tell(new WorkProgress("run-a", "w1", 1, 10, 0.3), worker);
        Assert.Equal(0.3, owner.ExpectMsg<WorkProgress>().ProvisionalObjective);

        dispatcher.Tell(new CancelWork("run-a", "pruned"), owner);
        Assert.Equal("run-a", worker.ExpectMsg<CancelWork>().WorkId);
        Assert.Equal("run-b", worker.ExpectMsg<WorkOrder>().WorkId);
        dispatcher.Tell(new WorkProgress("run-a", "w1", 2, 10, 0.2), worker); // the cancelled unit is no longer followed
        owner.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}
