using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using SamplerTune.Coordinator.Actors;
using SamplerTune.Coordinator.Configuration;
using SamplerTune.Coordinator.Hosting;
using SamplerTune.Coordinator.Optimization;
using SamplerTune.Coordinator.Studies;
using SamplerTune.Messages.Coordination;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Metrics;
using SamplerTune.Samplers.Reference;
using SamplerTune.Worker.Cluster;
using SamplerTune.Worker.Methods;

namespace SamplerTune.Coordinator.Benchmarks;

/// <summary>
/// <c>bench scale</c>: trials per second of a study of the <see cref="SleepMethod"/> through N real samplertune-worker
/// processes (1 slot each) on 127.0.0.1, joined to a coordinator node in this process exactly as to 'samplertune
/// coordinator' (cluster on a free port, seed.json), with the bench overlay hocon/bench-scale.conf on every node.
/// Workers are started at most <see cref="MaxJoining"/> at a time (each start is seconds of CPU for the runtime and
/// the JIT; starting dozens at once on a few cores starves the joining nodes' heartbeats). The coordinator singleton,
/// and so the study, starts only once all N workers are cluster members, so no worker gets a head start. Steady-state
/// throughput: trials told between the moment all N workers have registered with the coordinator and the last trial
/// told. End to end: all trials over the time from the first worker start to the last trial told (join included).
/// Warm: the trials told after the first N (each worker's first trial carries its process's one-time costs: JIT,
/// parsing the spec, loading the reference; on a shared host those N bursts queue for the same few cores).
/// </summary>
public static class ScaleBenchmark
{
    public sealed record Row(int Workers, int Trials, double Seconds, double JoinSeconds, int TotalTrials, double EndToEndSeconds, long WorkerRssMb, string LoadAverage,
        int WarmTrials, double WarmSeconds)
    {
        public double PerSecond => Trials / Seconds;
        public double WarmPerSecond => WarmTrials / WarmSeconds;
        public double EndToEndPerSecond => TotalTrials / EndToEndSeconds;
    }

    /// <summary>Workers started but not yet cluster members, at most: a few keep the cores busy without starving the rest.</summary>
    public const int MaxJoining = 8;

    /// <summary>Joining fails when no further worker has become a member for this long.</summary>
    private static readonly TimeSpan JoinStall = TimeSpan.FromSeconds(180);

    public static Row Run(string root, int workers, double sleepSec, int waves, TextWriter log)
    {
        var layout = new ExperimentsLayout(root);
        var problem = DispatchBenchmark.ExactProblem(layout);
        var space = new SearchSpace([new FixedParameter("seconds", sleepSec), new FloatParameter("x", 0, 1)], "bench scale");
        int trials = waves * workers;
        var def = new StudyDefinition("scale", problem.Pid, problem.Spec.Family.Name, SleepMethod.MethodName, space, "random", 1,
            trials, workers, sleepSec + 120, 3600, DistanceSettings.Default);
        var plan = new JobPlan([(problem.Pid, true)], [def], new ReferenceSettings(), 0, 3, root, 200, TimeSpan.FromSeconds(1));

        var overlayFile = Path.Combine(root, "bench-scale.conf");
        File.WriteAllText(overlayFile, HoconFiles.EmbeddedText("bench-scale.conf"));
        var overlay = ConfigurationFactory.ParseString(File.ReadAllText(overlayFile));
        var config = ConfigurationFactory.ParseString($$"""
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = {{FreePort()}} }
            akka.cluster.roles = [coordinator]
            akka.loglevel = OFF
            """).WithFallback(overlay).WithFallback(AkkaConfig.For(layout));
        var system = CoordinatorNode.StartSelfJoined(config);
        var nodes = new List<BenchWorkerProcess>();
        try
        {
            var self = Cluster.Get(system).SelfAddress;
            var now = DateTimeOffset.UtcNow;
            using var heartbeat = new SeedHeartbeat(Path.Combine(layout.Cluster, "seed.json"),
                new SeedFile(self.ToString(), system.Name, self.Host!, self.Port!.Value, Environment.ProcessId, SeedFile.CurrentJobId(), now, now, false),
                config.GetTimeSpan("samplertune.cluster.heartbeat-interval"));

            ExperimentsIdentity.Ensure(layout); // workers read it when they join; the coordinator singleton starts later
            var endToEnd = Stopwatch.StartNew();
            StartAndJoin(Cluster.Get(system), workers, () => BenchWorkerProcess.Start(root, overlayFile), nodes);
            double joinSeconds = endToEnd.Elapsed.TotalSeconds;
            log.WriteLine($"  {workers} workers joined in {joinSeconds:0.0} s; starting the study ({trials} trials of {sleepSec:0.##} s, batch {workers})");

            var proxy = CoordinatorNode.StartCoordinator(system, layout, plan);
            Stopwatch? clock = null, warmClock = null;
            int doneAtStart = 0, doneWhenWarm = 0;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120 + 3 * workers + 4 * waves * sleepSec);
            while (true)
            {
                CoordinatorStatus status;
                try { status = proxy.Ask<CoordinatorStatus>(GetStatus.Instance, TimeSpan.FromSeconds(5)).Result; }
                catch (AggregateException) { continue; } // the singleton is still starting
                int done = status.Studies.Sum(s => s.Done);
                if (clock is null && status.Workers >= workers)
                {
                    clock = Stopwatch.StartNew();
                    doneAtStart = done;
                    log.WriteLine($"  all {workers} registered {endToEnd.Elapsed.TotalSeconds - joinSeconds:0.0} s after the study started ({done} trials told by then)");
                }
                if (warmClock is null && clock is not null && done >= workers)
                {
                    warmClock = Stopwatch.StartNew();
                    doneWhenWarm = done;
                }
                if (status.AllFinished && clock is not null)
                {
                    double seconds = clock.Elapsed.TotalSeconds;
                    heartbeat.MarkFinished();
                    return new Row(workers, trials - doneAtStart, seconds, joinSeconds, trials, endToEnd.Elapsed.TotalSeconds, nodes.Max(n => n.RssMb), LoadAverage(),
                        trials - doneWhenWarm, warmClock!.Elapsed.TotalSeconds);
                }
                if (status.Stage.StartsWith("failed")) throw new InvalidOperationException($"the study failed: {status.Stage}");
                if (DateTime.UtcNow > deadline || nodes.FirstOrDefault(n => n.HasExited) is { } gone)
                    throw new InvalidOperationException($"no progress: {done}/{trials} trials told, {status.Workers} workers registered"
                                                        + (nodes.FirstOrDefault(n => n.HasExited) is { } g ? "\n" + g.Tail() : ""));
                Thread.Sleep(50);
            }
        }
        finally
        {
            foreach (var n in nodes) n.Dispose();
            system.Terminate().Wait(TimeSpan.FromSeconds(15));
        }
    }

    /// <summary>Starts <paramref name="workers"/> processes, at most <see cref="MaxJoining"/> not yet Up at a time, until all are Up.</summary>
    private static void StartAndJoin(Cluster cluster, int workers, Func<BenchWorkerProcess> start, List<BenchWorkerProcess> nodes)
    {
        int up = 0;
        var lastProgress = DateTime.UtcNow;
        while (true)
        {
            int nowUp = cluster.State.Members.Count(m => m.Status == MemberStatus.Up && m.HasRole("worker"));
            if (nowUp > up) (up, lastProgress) = (nowUp, DateTime.UtcNow);
            if (up == workers) return;
            while (nodes.Count < workers && nodes.Count - up < MaxJoining) nodes.Add(start());
            if (nodes.FirstOrDefault(n => n.HasExited) is { } gone) throw new InvalidOperationException($"a worker exited while joining:\n{gone.Tail()}");
            if (DateTime.UtcNow - lastProgress > JoinStall)
                throw new TimeoutException($"{up} of {workers} workers joined; none more in {JoinStall.TotalSeconds:0} s");
            Thread.Sleep(100);
        }
    }

    /// <summary>The 1-minute load average (Linux), since the machine running the bench is rarely idle; "-" elsewhere.</summary>
    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "-";

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
