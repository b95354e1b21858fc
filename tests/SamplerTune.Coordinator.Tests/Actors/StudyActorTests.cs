using Akka.Actor;
using System.Text.Json;
using Akka.TestKit.Xunit2;
using SamplerTune.Coordinator.Actors;
using SamplerTune.Coordinator.Optimization;
using SamplerTune.Coordinator.Studies;
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

    [Fact]
    public void An_exhausted_search_space_ends_the_study_with_the_trials_it_has()
    {
        var dispatcher = CreateTestProbe();
        var coordinator = CreateTestProbe();
        // Two configurations, six trials asked for: two trials, then the study ends instead of waiting forever.
        var def = StudyFixture.Definition(trials: 6, batch: 2, name: "exhausted-study") with
        {
            Space = new SearchSpace([new CategoricalParameter("x", [0.25, 0.75])], "test"),
        };
        var study = Sys.ActorOf(StudyFixture.Props(def, Layout, dispatcher, coordinator));
        var orders = new[] { dispatcher.ExpectMsg<WorkOrder>(StudyFixture.StartTimeout), dispatcher.ExpectMsg<WorkOrder>() };
        foreach (var o in orders) study.Tell(Result(o, 0.5));
        dispatcher.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        var done = coordinator.FishForMessage<StudyStatus>(s => s.Finished, TimeSpan.FromSeconds(15));
        Assert.Equal((2, 2), (done.Done, done.TrialBudget));
        var state = study.Ask<StudyState>(StudyActor.GetTrials.Instance, TimeSpan.FromSeconds(5)).Result;
        Assert.Equal(2, state.Created!.TrialBudget); // journaled: status and a restart see the end too
        Assert.Equal([0.25, 0.75], state.Trials.Select(t => Convert.ToDouble(t.Params["x"])).Order());
    }

    [Fact]
    public void A_proposal_the_method_refuses_becomes_a_failed_trial_with_the_reason_and_the_study_goes_on()
    {
        var dispatcher = CreateTestProbe();
        var coordinator = CreateTestProbe();
        // The null method takes x in [0, 1]; this space (which config validation would refuse) also proposes x in (1, 2].
        var def = StudyFixture.Definition(trials: 8, batch: 2, name: "refused-study") with
        {
            Space = new SearchSpace([new FloatParameter("x", 0, 2)], "test"),
        };
        var study = Sys.ActorOf(StudyFixture.Props(def, Layout, dispatcher, coordinator));

        StudyStatus? done = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        while (done is null && DateTime.UtcNow < deadline)
        {
            var msg = NextOf(dispatcher, coordinator, deadline);
            if (msg is WorkOrder o)
            {
                var x = JsonDocument.Parse(o.PayloadJson!).RootElement.GetProperty("hyperparams").GetProperty("x").GetDouble();
                Assert.InRange(x, 0, 1);
                study.Tell(Result(o, x));
            }
            else if (msg is StudyStatus { Finished: true } s) done = s;
        }
        Assert.NotNull(done);
        Assert.Equal(8, done!.Done);
        var state = study.Ask<StudyState>(StudyActor.GetTrials.Instance, TimeSpan.FromSeconds(5)).Result;
        var failed = state.Trials.Where(t => t.State == StudyState.Failed).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, t => Assert.Contains("null refused the proposed parameters", t.Reason));
        Assert.All(failed, t => Assert.Contains("must be a number in [0, 1]", t.Reason));
        Assert.Equal(failed.Count, done.Failed);
    }

    /// <summary>The next message to either probe, or null at the deadline (a study that hangs sends nothing more).</summary>
    private static object? NextOf(Akka.TestKit.TestProbe dispatcher, Akka.TestKit.TestProbe coordinator, DateTime deadline)
    {
        while (DateTime.UtcNow < deadline)
        {
            if (dispatcher.HasMessages) return dispatcher.ReceiveOne(TimeSpan.Zero);
            if (coordinator.HasMessages) return coordinator.ReceiveOne(TimeSpan.Zero);
            Thread.Sleep(20);
        }
        return null;
    }
}
