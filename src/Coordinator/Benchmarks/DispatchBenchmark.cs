using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using SamplerTune.Coordinator.Actors;
using SamplerTune.Coordinator.Configuration;
using SamplerTune.Coordinator.Hosting;
using SamplerTune.Coordinator.Optimization;
using SamplerTune.Coordinator.Studies;
using SamplerTune.Messages.Coordination;
using SamplerTune.Messages.Studies;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Metrics;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Reference;
using SamplerTune.Worker.Methods;

namespace SamplerTune.Coordinator.Benchmarks;

/// <summary>
/// <c>bench dispatch</c>: trials per second through the whole actor path (StudyActor ask and journal write, dispatcher,
/// worker, SamplerActor running the null method through MethodRunner, metrics.json, result, journal write, tell), and
/// how long a StudyActor with 10,000 journaled trials takes to recover.
/// </summary>
public static class DispatchBenchmark
{
    public sealed record Throughput(int Trials, double Seconds)
    {
        public double PerSecond => Trials / Seconds;
    }

    /// <summary>
    /// The actor path's run: <see cref="Total"/> from starting the node to the last trial told; of it,
    /// <see cref="NodeUpSeconds"/> until the node had joined itself, and <see cref="StartupSeconds"/> until the first
    /// trial was told (singleton, worker registration, study recovery, the first runs loading the reference).
    /// </summary>
    public sealed record ActorRun(Throughput Total, double NodeUpSeconds, double StartupSeconds)
    {
        /// <summary>Trials told after the first one, over the time after it: the rate once the node is up.</summary>
        public required Throughput Steady { get; init; }
    }

    /// <summary>
    /// How the trials are spread: <paramref name="Studies"/> studies of the null method, each keeping <paramref name="Batch"/>
    /// trials in flight, on <paramref name="Workers"/> in-process workers of <paramref name="SlotsPerWorker"/> slots.
    /// </summary>
    public sealed record Shape(int Studies, int TrialsPerStudy, int Batch, int Workers, int SlotsPerWorker)
    {
        public int Trials => Studies * TrialsPerStudy;

        /// <summary>Trials the studies keep in flight together; the snakemake side calls snakemake on this many targets at a time.</summary>
        public int InFlight => Studies * Batch;
    }

    /// <summary>The optimizer of the benchmark's studies: random search, so the ask costs the same at trial 10 and at trial 10,000.</summary>
    public const string Sampler = "random";

    public static ActorRun Run(string root, Shape shape)
    {
        var layout = new ExperimentsLayout(root);
        var problem = ExactProblem(layout);
        var space = new SearchSpace([new FloatParameter("x", 0, 1)], "bench");
        var defs = Enumerable.Range(0, shape.Studies).Select(i => new StudyDefinition($"bench-{i}", problem.Pid, problem.Spec.Family.Name,
            NullMethod.MethodName, space, Sampler, (ulong)i + 1, shape.TrialsPerStudy, shape.Batch, 60, 60, DistanceSettings.Default)).ToList();
        var plan = new JobPlan([(problem.Pid, true)], defs, new ReferenceSettings(), 0, 3, root, 200, TimeSpan.FromSeconds(1));
        var slots = ConfigurationFactory.ParseString($"samplertune.local.slots-per-worker = {shape.SlotsPerWorker}");
        var clock = Stopwatch.StartNew();
        using var cluster = LocalCluster.Start(layout, _ => plan, shape.Workers, slots);
        double nodeUp = clock.Elapsed.TotalSeconds;
        (int Done, double At)? first = null;
        while (true)
        {
            var status = cluster.Coordinator.Ask<CoordinatorStatus>(GetStatus.Instance, TimeSpan.FromSeconds(10)).Result;
            int done = status.Studies.Sum(s => s.Done);
            if (first is null && done > 0) first = (done, clock.Elapsed.TotalSeconds);
            if (status.AllFinished) break;
            Thread.Sleep(10);
        }
        double total = clock.Elapsed.TotalSeconds;
        var (firstDone, firstAt) = first ?? (0, 0);
        return new ActorRun(new Throughput(shape.Trials, total), nodeUp, firstAt)
        {
            Steady = new Throughput(shape.Trials - firstDone, total - firstAt),
        };
    }

    /// <summary>Seeds a journal with a finished study of <paramref name="trials"/> trials (snapshots as a StudyActor takes them) and times its recovery.</summary>
    public static TimeSpan Recovery(string root, int trials)
    {
        var layout = new ExperimentsLayout(root);
        var def = new StudyDefinition("recovery", "pid0000000", "gaussian_mean", NullMethod.MethodName,
            new SearchSpace([new FloatParameter("x", 0, 1)], "bench"), "random", 1, trials, 8, 60, 60, DistanceSettings.Default);
        var config = ConfigurationFactory.ParseString("akka.actor.provider = local\nakka.loglevel = WARNING").WithFallback(AkkaConfig.For(layout));
        using (var system = ActorSystem.Create("bench-seed", config))
        {
            var done = new TaskCompletionSource();
            system.ActorOf(Props.Create(() => new JournalSeeder(def, trials, 200, done)));
            done.Task.Wait();
            system.Terminate().Wait();
        }
        using (var system = ActorSystem.Create("bench-recover", config))
        {
            var finished = new TaskCompletionSource();
            var listener = system.ActorOf(Props.Create(() => new StatusProbe(finished)));
            var clock = Stopwatch.StartNew();
            system.ActorOf(StudyActor.Props(def, ActorRefs.Nobody, listener,
                new StudyActor.StudySettings(layout.Runs, Path.Combine(layout.Studies, def.Name), 200, TimeSpan.FromSeconds(1))));
            if (!finished.Task.Wait(TimeSpan.FromMinutes(2))) throw new TimeoutException("the study did not recover within 2 minutes");
            var elapsed = clock.Elapsed;
            system.Terminate().Wait();
            return elapsed;
        }
    }

    internal static StoredProblem ExactProblem(ExperimentsLayout layout)
    {
        var spec = ProblemSpec.Create("gaussian_mean", new Dictionary<string, string> { ["d"] = "2" }, null, "bench");
        var (problem, _) = new ProblemStore(layout.Problems).Add(spec, null);
        ReferenceRunner.Run(problem, new ReferenceSettings(Chains: 2, MinEss: 400, InitialDraws: 400));
        return problem;
    }

    private sealed class StatusProbe : ReceiveActor
    {
        public StatusProbe(TaskCompletionSource finished) => Receive<StudyStatus>(s => { if (s.Finished) finished.TrySetResult(); });
    }

    /// <summary>Writes the events a StudyActor would have written for a finished study, in batches.</summary>
    private sealed class JournalSeeder : ReceivePersistentActor
    {
        public override string PersistenceId { get; }

        public JournalSeeder(StudyDefinition def, int trials, int snapshotEvery, TaskCompletionSource done)
        {
            PersistenceId = def.PersistenceId;
            var state = StudyState.Empty;
            var events = new List<IStudyEvent> { new StudyCreated(def.Name, def.Pid, def.Family, def.Method, def.Sampler, def.Seed, trials, DateTimeOffset.UtcNow) };
            var rng = new Rng(5);
            for (int i = 0; i < trials; i++)
            {
                var rid = $"r{i:D9}";
                events.Add(new TrialAsked(i, new Dictionary<string, object> { ["x"] = rng.NextDouble() }, rid, "{}", DateTimeOffset.UtcNow));
                events.Add(new TrialCompleted(i, rid, rng.NextDouble(), "complete", new Dictionary<string, double> { ["mmd"] = 0.1 }, DateTimeOffset.UtcNow));
            }
            int written = 0;
            Command<string>(_ =>
            {
                var chunk = events.Skip(written).Take(1000).ToList();
                PersistAll(chunk, e =>
                {
                    state = state.Apply(e);
                    written++;
                    if (written % snapshotEvery == 0) SaveSnapshot(state.ToSnapshot());
                    if (written == events.Count) done.TrySetResult();
                    else if (written % 1000 == 0) Self.Tell("next");
                });
            });
            Command<SaveSnapshotSuccess>(_ => { });
            Self.Tell("next");
        }
    }
}
