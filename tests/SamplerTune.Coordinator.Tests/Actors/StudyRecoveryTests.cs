using Akka.Actor;
using Akka.TestKit.Xunit2;
using Microsoft.Data.Sqlite;
using SamplerTune.Coordinator.Actors;
using SamplerTune.Coordinator.Configuration;
using SamplerTune.Coordinator.Studies;
using SamplerTune.Coordinator.Tests.Support;
using SamplerTune.Messages.Coordination;
using SamplerTune.Messages.Work;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Runs;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Actors;

/// <summary>
/// The study protocol against a real SQLite journal: failures, requeues, duplicate results, and recovery (from the
/// journal alone and from a snapshot plus the journal) continuing exactly where the study stopped.
/// </summary>
public class StudyRecoveryTests : TestKit
{
    private readonly Samplers.Common.ExperimentsLayout _layout;

    public StudyRecoveryTests() : this(StudyFixture.NewLayout()) { }

    private StudyRecoveryTests(Samplers.Common.ExperimentsLayout layout) : base(StudyFixture.Config(layout)) => _layout = layout;

    private static RunFinished Result(WorkOrder o, double objective, string status = "complete") =>
        new(o.WorkId, o.WorkId, objective, status, status == "failed" ? "boom" : null, new Dictionary<string, double>(), false);

    private (IActorRef Study, Akka.TestKit.TestProbe Dispatcher, Akka.TestKit.TestProbe Coordinator) Start(StudyDefinition def, int snapshotEvery = 1000)
    {
        var dispatcher = CreateTestProbe();
        var coordinator = CreateTestProbe();
        var study = Sys.ActorOf(StudyFixture.Props(def, _layout, dispatcher, coordinator, snapshotEvery));
        return (study, dispatcher, coordinator);
    }

    private void Stop(IActorRef actor)
    {
        Watch(actor);
        actor.Tell(PoisonPill.Instance);
        ExpectTerminated(actor);
    }

    [Fact]
    public void DuplicateAndLateResultsAreDroppedAndTheStudyTellsEachTrialOnce()
    {
        var def = StudyFixture.Definition(trials: 3, batch: 1, name: "dup");
        var (study, dispatcher, coordinator) = Start(def);
        var first = dispatcher.ExpectMsg<WorkOrder>(StudyFixture.StartTimeout);
        study.Tell(Result(first, 0.5));
        var second = dispatcher.ExpectMsg<WorkOrder>();
        study.Tell(Result(first, 0.1)); // duplicate of a told trial: dropped, asks nothing
        dispatcher.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        study.Tell(Result(second, 0.7));
        var third = dispatcher.ExpectMsg<WorkOrder>();
        study.Tell(Result(third, 0.9));
        var done = coordinator.FishForMessage<StudyStatus>(s => s.Finished, TimeSpan.FromSeconds(15));
        Assert.Equal(3, done.Done);
        Assert.Equal(0.5, done.BestObjective); // not the duplicate's 0.1

        var state = StudyJournal.ReadAll(_layout).Single(s => s.Created!.Study == "dup");
        Assert.Equal([0.5, 0.7, 0.9], state.Trials.Select(t => t.Objective!.Value));
    }

    [Fact]
    public async Task ResultsArrivingTogetherAreToldOnceEachAndTheJournalReplaysToTheLiveState()
    {
        var def = StudyFixture.Definition(trials: 6, batch: 3, name: "group");
        var (study, dispatcher, coordinator) = Start(def);
        var orders = Enumerable.Range(0, 3).Select(_ => dispatcher.ExpectMsg<WorkOrder>(StudyFixture.StartTimeout)).ToList();
        study.Tell(Result(orders[0], 0.3));
        study.Tell(Result(orders[1], 0.2));
        study.Tell(Result(orders[0], 0.05)); // duplicate gathered into the same write: dropped
        study.Tell(Result(orders[2], 0.1));
        var next = Enumerable.Range(0, 3).Select(_ => dispatcher.ExpectMsg<WorkOrder>()).ToList();
        dispatcher.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        double[] later = [0.4, 0.5, 0.6];
        for (int i = 0; i < next.Count; i++) study.Tell(Result(next[i], later[i]));
        var done = coordinator.FishForMessage<StudyStatus>(s => s.Finished, TimeSpan.FromSeconds(15));
        Assert.Equal(6, done.Done);
        Assert.Equal(0.1, done.BestObjective);

        var live = await study.Ask<StudyState>(StudyActor.GetTrials.Instance, TimeSpan.FromSeconds(5));
        Stop(study);
        var replayed = StudyJournal.ReadAll(_layout).Single(s => s.Created!.Study == "group");
        Assert.Equal(live.Trials.Select(t => (t.Rid, t.Objective)), replayed.Trials.Select(t => (t.Rid, t.Objective)));
        Assert.Equal([0.3, 0.2, 0.1, 0.4, 0.5, 0.6], replayed.Trials.Select(t => t.Objective!.Value));
    }

    [Fact]
    public void FailedRunsAreToldAsFailedAndRequeuesKeepTheTrialPending()
    {
        var def = StudyFixture.Definition(trials: 3, batch: 2, name: "fail");
        var (study, dispatcher, coordinator) = Start(def);
        var a = dispatcher.ExpectMsg<WorkOrder>(StudyFixture.StartTimeout);
        var b = dispatcher.ExpectMsg<WorkOrder>();

        study.Tell(new WorkRequeued(a.WorkId, 1, "worker lost"));
        dispatcher.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // a requeue is not a result: nothing new is asked
        study.Tell(Result(b, 10, "failed")); // the method threw: the trial fails, the study asks the next one
        var c = dispatcher.ExpectMsg<WorkOrder>();
        study.Tell(new WorkFailed(a.WorkId, "retries exhausted"));
        study.Tell(Result(c, 0.3));
        var done = coordinator.FishForMessage<StudyStatus>(s => s.Finished, TimeSpan.FromSeconds(15));
        Assert.Equal(2, done.Failed);

        var state = StudyJournal.ReadAll(_layout).Single(s => s.Created!.Study == "fail");
        Assert.Equal(StudyState.Failed, state.Trials[0].State);
        Assert.Equal(1, state.Trials[0].Attempt);
        Assert.Equal("retries exhausted", state.Trials[0].Reason);
        Assert.Equal(StudyState.Failed, state.Trials[1].State);
        Assert.Equal(StudyState.Complete, state.Trials[2].State);
    }

    [Theory]
    [InlineData(1000)] // journal only
    [InlineData(2)]    // the raised budget must survive a snapshot
    public void A_study_started_again_with_a_larger_budget_journals_it_and_status_shows_it(int snapshotEvery)
    {
        var def = StudyFixture.Definition(trials: 2, batch: 2, name: $"raised-{snapshotEvery}");
        void RunToEnd(StudyDefinition d, int expectedOrders)
        {
            var (study, dispatcher, coordinator) = Start(d, snapshotEvery);
            var orders = new List<WorkOrder> { dispatcher.ExpectMsg<WorkOrder>(StudyFixture.StartTimeout) };
            while (orders.Count < expectedOrders) orders.Add(dispatcher.ExpectMsg<WorkOrder>());
            foreach (var o in orders) study.Tell(Result(o, 0.5));
            var done = coordinator.FishForMessage<StudyStatus>(s => s.Finished, TimeSpan.FromSeconds(15));
            Assert.Equal(d.TrialBudget, done.TrialBudget);
            dispatcher.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
            Stop(study);
        }
        RunToEnd(def, 2);
        RunToEnd(def with { TrialBudget = 4 }, 2);

        var journaled = StudyJournal.ReadAll(_layout).Single(s => s.Created!.Study == def.Name);
        Assert.Equal(4, journaled.Created!.TrialBudget);
        Assert.Equal(4, journaled.DoneCount);
    }

    [Theory]
    [InlineData(1000)] // journal only
    [InlineData(3)]    // snapshot + the events after it
    public void RecoveredStudyRedispatchesPendingTrialsAndAsksWhatTheLiveStudyWouldHave(int snapshotEvery)
    {
        // The uninterrupted study, for comparison.
        var reference = StudyFixture.Definition(trials: 6, batch: 2, name: $"straight-{snapshotEvery}") with { Seed = 11 };
        var (s0, d0, c0) = Start(reference, snapshotEvery);
        var straight = new List<string>();
        var queue = new Queue<WorkOrder>([d0.ExpectMsg<WorkOrder>(StudyFixture.StartTimeout), d0.ExpectMsg<WorkOrder>()]);
        while (queue.Count > 0)
        {
            var o = queue.Dequeue();
            straight.Add(o.PayloadJson!);
            s0.Tell(Result(o, straight.Count * 0.1));
            if (straight.Count + queue.Count < 6) queue.Enqueue(d0.ExpectMsg<WorkOrder>());
        }
        c0.FishForMessage<StudyStatus>(s => s.Finished, TimeSpan.FromSeconds(15));

        // The same study stopped after 3 results with 2 trials pending, then recovered.
        var def = reference with { Name = $"resumed-{snapshotEvery}" };
        var (s1, d1, _) = Start(def, snapshotEvery);
        var seen = new List<WorkOrder> { d1.ExpectMsg<WorkOrder>(StudyFixture.StartTimeout), d1.ExpectMsg<WorkOrder>() };
        for (int i = 0; i < 3; i++)
        {
            s1.Tell(Result(seen[i], (i + 1) * 0.1));
            seen.Add(d1.ExpectMsg<WorkOrder>());
        }
        Stop(s1);
        Assert.Equal(5, seen.Count);

        var (s2, d2, c2) = Start(def, snapshotEvery);
        var redispatched = new[] { d2.ExpectMsg<WorkOrder>(StudyFixture.StartTimeout), d2.ExpectMsg<WorkOrder>() };
        Assert.Equal(seen.Skip(3).Select(o => o.WorkId), redispatched.Select(o => o.WorkId));
        d2.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // batch 2 in flight already: nothing new asked
        s2.Tell(Result(redispatched[0], 0.4));
        var sixth = d2.ExpectMsg<WorkOrder>();
        s2.Tell(Result(redispatched[1], 0.5));
        s2.Tell(Result(sixth, 0.6));
        var done = c2.FishForMessage<StudyStatus>(s => s.Finished, TimeSpan.FromSeconds(15));
        Assert.Equal(6, done.Done);
        d2.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        // Same proposals as the uninterrupted study (the manifests hold the parameters and seeds).
        var resumed = seen.Select(o => o.PayloadJson!).Concat([sixth.PayloadJson!]).ToList();
        Assert.Equal(Params(straight), Params(resumed));
        if (snapshotEvery < 1000)
            Assert.True(SnapshotCount() > 0, "the snapshot store should hold a snapshot");
    }

    [Fact]
    public void PendingRunThatFinishedWhileTheStudyWasDownIsToldFromItsMetricsFile()
    {
        var def = StudyFixture.Definition(trials: 2, batch: 2, name: "down");
        var (s1, d1, _) = Start(def);
        var a = d1.ExpectMsg<WorkOrder>(StudyFixture.StartTimeout);
        var b = d1.ExpectMsg<WorkOrder>();
        Stop(s1);
        var metrics = new RunMetrics(0.25, 0.1, 0.01, 0.1, 0.1, 1, 10, 100, RunStatus.Complete, new Dictionary<string, double>(), "null",
            def.Pid, a.WorkId, new Dictionary<string, object>(), 1, null, null, false);
        ArtifactJson.Write(RunDirectory.Under(_layout.Runs, a.WorkId).Metrics, metrics);

        var (s2, d2, c2) = Start(def);
        Assert.Equal(b.WorkId, d2.ExpectMsg<WorkOrder>(StudyFixture.StartTimeout).WorkId); // only the unfinished run goes out again
        d2.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        s2.Tell(Result(b, 0.5));
        var done = c2.FishForMessage<StudyStatus>(s => s.Finished, TimeSpan.FromSeconds(15));
        Assert.Equal(0.25, done.BestObjective);
    }

    [Fact]
    public void UnreadablePayloadFailsRecoveryFastNamingPersistenceIdAndSequenceNumber()
    {
        var def = StudyFixture.Definition(trials: 2, batch: 2, name: "corrupt");
        var (s1, d1, _) = Start(def);
        d1.ExpectMsg<WorkOrder>(StudyFixture.StartTimeout);
        d1.ExpectMsg<WorkOrder>();
        Stop(s1);
        using (var db = new SqliteConnection(AkkaConfig.ConnectionString(_layout.Journal)))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "UPDATE event_journal SET payload = X'7B6E6F74206A736F6E' WHERE persistence_id = $id AND sequence_nr = 2";
            cmd.Parameters.AddWithValue("$id", def.PersistenceId);
            Assert.Equal(1, cmd.ExecuteNonQuery());
        }

        var started = DateTime.UtcNow;
        var (_, d2, c2) = Start(def);
        var failure = c2.FishForMessage<StudyRecoveryFailed>(_ => true, TimeSpan.FromSeconds(10));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        Assert.Equal("study-corrupt", failure.PersistenceId);
        Assert.Equal(2, failure.SequenceNr);
        Assert.True(failure.Reason.Contains("trial-asked.v1"), failure.Reason);
        d2.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // nothing dispatched from a half-read state
    }

    private static List<string> Params(IEnumerable<string> manifests) => manifests.Select(m =>
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(m)!.AsObject();
        return node["hyperparams"]!.ToJsonString() + node["seed"]!.ToJsonString();
    }).Order().ToList();

    private long SnapshotCount()
    {
        using var db = new SqliteConnection(AkkaConfig.ConnectionString(_layout.Snapshots));
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM snapshot";
        return (long)cmd.ExecuteScalar()!;
    }
}
