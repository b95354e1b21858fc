using Akka.Actor;
using Akka.TestKit.Xunit2;
using SamplerTune.Coordinator.Actors;
using SamplerTune.Messages.Work;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Actors;

/// <summary>The dispatcher's cluster-facing rules: late results of re-queued units are dropped, foreign workers refused, workers told when all is done.</summary>
public class DispatcherTests : TestKit
{
    private const string ExperimentsId = "exp-1";

    private static RunFinished Result(string id, double objective) =>
        new(id, id, objective, "complete", null, new Dictionary<string, double>(), false);

    private IActorRef NewDispatcher()
    {
        IgnoreMessages<Dispatcher.View>(); // the dispatcher pushes its view to its parent, the test actor
        return ChildActorOf(Dispatcher.Props(0, 3, ExperimentsId));
    }

    [Fact]
    public void ALateResultFromTheWorkerThatLostTheUnitIsDroppedWithALogLine()
    {
        var dispatcher = NewDispatcher();
        var owner = CreateTestProbe();
        var first = CreateTestProbe();
        dispatcher.Tell(new RegisterWorker("first", 1, ExperimentsId), first);
        first.ExpectMsg<WorkerRegistered>();
        dispatcher.Tell(new RequestWork(1), first);
        dispatcher.Tell(new WorkOrder("run-1", WorkKind.Run, "pid", "{}", 0), owner);
        Assert.Equal(0, first.ExpectMsg<WorkOrder>().Attempt);

        Sys.Stop(first.Ref); // the worker is lost: the unit is queued again
        Assert.Equal(1, owner.ExpectMsg<WorkRequeued>().Attempt);
        var second = CreateTestProbe();
        dispatcher.Tell(new RegisterWorker("second", 1, ExperimentsId), second);
        second.ExpectMsg<WorkerRegistered>();
        dispatcher.Tell(new RequestWork(1), second);
        Assert.Equal(1, second.ExpectMsg<WorkOrder>().Attempt);

        // The first worker's result arrives late (it was cut off, not dead): dropped, with a warning.
        EventFilter.Warning(contains: "dropped a late result for work run-1").ExpectOne(() => dispatcher.Tell(Result("run-1", 0.5), first.Ref));
        owner.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        // The holder's result goes to the owner.
        dispatcher.Tell(Result("run-1", 0.25), second);
        Assert.Equal(0.25, owner.ExpectMsg<RunFinished>().Objective);
    }

    [Fact]
    public void AWorkerOfAnotherExperimentsFolderIsRefused()
    {
        var dispatcher = NewDispatcher();
        var stranger = CreateTestProbe();
        dispatcher.Tell(new RegisterWorker("stranger", 2, "exp-2"), stranger);
        var refused = stranger.ExpectMsg<WorkerRefused>();
        Assert.Contains("exp-2", refused.Reason);
        dispatcher.Tell(new RequestWork(2), stranger);
        dispatcher.Tell(new WorkOrder("run-1", WorkKind.Run, "pid", "{}", 0), CreateTestProbe());
        stranger.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void WhenAllIsFinishedRegisteredAndLaterWorkersAreToldToLeave()
    {
        var dispatcher = NewDispatcher();
        var early = CreateTestProbe();
        dispatcher.Tell(new RegisterWorker("early", 1, ExperimentsId), early);
        early.ExpectMsg<WorkerRegistered>();
        dispatcher.Tell(Dispatcher.AllFinished.Instance);
        early.ExpectMsg<StudiesFinished>();
        var late = CreateTestProbe();
        dispatcher.Tell(new RegisterWorker("late", 1, ExperimentsId), late);
        late.ExpectMsg<StudiesFinished>();
    }
}
