using Akka.Actor;
using Akka.TestKit.Xunit2;
using SamplerTune.Coordinator.Tests.Support;
using SamplerTune.Messages.Coordination;
using SamplerTune.Messages.Work;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Actors;

public class StudyActorTests() : TestKit(StudyFixture.Config(Layout))
{
    private static readonly Samplers.Common.ExperimentsLayout Layout = StudyFixture.NewLayout();

    private static RunFinished Result(WorkOrder o, double objective) =>
        new(o.WorkId, o.WorkId, objective, "complete", null, new Dictionary<string, double> { ["mmd"] = objective }, false);

    [Fact]
    public void KeepsBatchInFlightAndStopsAtTheTrialBudget()
    {
        var dispatcher = CreateTestProbe();
        var coordinator = CreateTestProbe();
        var def = StudyFixture.Definition(trials: 4, batch: 2);
        var study = Sys.ActorOf(StudyFixture.Props(def, Layout, dispatcher, coordinator));

        var first = dispatcher.ExpectMsg<WorkOrder>(StudyFixture.StartTimeout);
        var second = dispatcher.ExpectMsg<WorkOrder>();
        Assert.NotEqual(first.WorkId, second.WorkId);
        dispatcher.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        study.Tell(Result(first, 0.5));
        var third = dispatcher.ExpectMsg<WorkOrder>();
        study.Tell(Result(second, 0.25));
        var fourth = dispatcher.ExpectMsg<WorkOrder>();
        study.Tell(Result(third, 0.75));
        study.Tell(Result(fourth, 1.0));
        dispatcher.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        var done = coordinator.FishForMessage<StudyStatus>(s => s.Finished, TimeSpan.FromSeconds(15));
        Assert.Equal(4, done.Done);
        Assert.Equal(0.25, done.BestObjective);
        Assert.Equal(1, done.BestTrial);
    }
}
