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
using SamplerTune.Worker.Hosting;
using SamplerTune.Worker.Methods;

namespace SamplerTune.Coordinator.Benchmarks;

/// <summary>
/// <c>bench scale</c>: trials per second of a study of the <see cref="SleepMethod"/> through N real samplertune-worker
/// processes (1 slot each) on 127.0.0.1, joined to a coordinator node in this process exactly as to 'samplertune
/// coordinator' (cluster on a free port, seed.json). The coordinator singleton, and so the study, starts only once all
/// N workers are cluster members, so no worker gets a head start; the clock runs from the moment all N have registered
/// with the coordinator to the last trial told, and counts the trials told in that window.
/// </summary>
public static class ScaleBenchmark
{
    public sealed record Row(int Workers, int Trials, double Seconds, double JoinSeconds, long WorkerRssMb)
    {
        public double PerSecond => Trials / Seconds;
    }

    /// <summary>Memory cap per worker process, so dozens fit on a small machine (the sleep method needs almost nothing).</summary>
    public const string WorkerHeapLimit = "0x10000000"; // 256 MB

    public static Row Run(string root, int workers, double sleepSec, int waves, TextWriter log)
    {
        var layout = new ExperimentsLayout(root);
        var problem = DispatchBenchmark.ExactProblem(layout);
        var space = new SearchSpace([new FixedParameter("seconds", sleepSec), new FloatParameter("x", 0, 1)], "bench scale");
        int trials = waves * workers;
        var def = new StudyDefinition("scale", problem.Pid, problem.Spec.Family.Name, SleepMethod.MethodName, space, "random", 1,
            trials, workers, sleepSec + 120, 3600, DistanceSettings.Default);
        var plan = new JobPlan([(problem.Pid, true)], [def], new ReferenceSettings(), 0, 3, root, 200, TimeSpan.FromSeconds(1));

        int port = FreePort();
        var config = ConfigurationFactory.ParseString($$"""
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = {{port}} }
            akka.cluster.roles = [coordinator]
            akka.loglevel = OFF
            """).WithFallback(AkkaConfig.For(layout));
        var system = CoordinatorNode.StartSelfJoined(config);
        var nodes = new List<WorkerProcess>();
        try
        {
            var self = Cluster.Get(system).SelfAddress;
            var now = DateTimeOffset.UtcNow;
            using var heartbeat = new SeedHeartbeat(Path.Combine(layout.Cluster, "seed.json"),
                new SeedFile(self.ToString(), system.Name, self.Host!, self.Port!.Value, Environment.ProcessId, SeedFile.CurrentJobId(), now, now, false),
                config.GetTimeSpan("samplertune.cluster.heartbeat-interval"));

            ExperimentsIdentity.Ensure(layout); // workers read it when they join; the coordinator singleton starts later
            var joining = Stopwatch.StartNew();
            for (int i = 0; i < workers; i++) nodes.Add(WorkerProcess.Start(root));
            var cluster = Cluster.Get(system);
            WaitFor(() => cluster.State.Members.Count(m => m.Status == MemberStatus.Up && m.HasRole("worker")) == workers,
                TimeSpan.FromSeconds(60 + 3 * workers), nodes, $"{workers} workers joining the cluster");
            double joinSeconds = joining.Elapsed.TotalSeconds;
            log.WriteLine($"  {workers} workers joined in {joinSeconds:0.0} s; starting the study ({trials} trials of {sleepSec:0.##} s, batch {workers})");

            var proxy = CoordinatorNode.StartCoordinator(system, layout, plan);
            Stopwatch? clock = null;
            int doneAtStart = 0;
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
                }
                if (status.AllFinished && clock is not null)
                {
                    double seconds = clock.Elapsed.TotalSeconds;
                    heartbeat.MarkFinished();
                    return new Row(workers, trials - doneAtStart, seconds, joinSeconds, nodes.Max(n => n.WorkerRssMb));
                }
                if (status.Stage.StartsWith("failed")) throw new InvalidOperationException($"the study failed: {status.Stage}");
                if (DateTime.UtcNow > deadline || nodes.FirstOrDefault(n => n.HasExited) is { } gone)
                    throw new InvalidOperationException($"no progress: {done}/{trials} trials told, {status.Workers} workers registered"
                                                        + (nodes.FirstOrDefault(n => n.HasExited) is { } g ? "\n" + g.Tail() : ""));
                Thread.Sleep(20);
            }
        }
        finally
        {
            foreach (var n in nodes) n.Dispose();
            system.Terminate().Wait(TimeSpan.FromSeconds(15));
        }
    }

    private static void WaitFor(Func<bool> condition, TimeSpan timeout, List<WorkerProcess> nodes, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (nodes.FirstOrDefault(n => n.HasExited) is { } gone) throw new InvalidOperationException($"a worker exited while {what}:\n{gone.Tail()}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s {what}");
            Thread.Sleep(100);
        }
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    /// <summary>One samplertune-worker process (the executable beside this one), its output kept for failure messages.</summary>
    private sealed class WorkerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly Queue<string> _tail = new();
        private long _rssBytes;

        private WorkerProcess(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) => Add(e.Data);
            _process.ErrorDataReceived += (_, e) => Add(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public static WorkerProcess Start(string experiments)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "samplertune-worker.dll"), "--experiments", experiments,
                         "--hostname", "127.0.0.1", "--slots", "1" })
                psi.ArgumentList.Add(a);
            psi.Environment.Remove("SAMPLERTUNE_EXPERIMENTS");
            psi.Environment["DOTNET_gcServer"] = "0";
            psi.Environment["DOTNET_GCHeapHardLimit"] = WorkerHeapLimit;
            return new WorkerProcess(Process.Start(psi)!);
        }

        private void Add(string? line)
        {
            if (line is null) return;
            lock (_tail)
            {
                _tail.Enqueue(line);
                if (_tail.Count > 20) _tail.Dequeue();
            }
        }

        public bool HasExited => _process.HasExited;

        public long WorkerRssMb
        {
            get
            {
                try { _process.Refresh(); _rssBytes = _process.WorkingSet64; }
                catch (InvalidOperationException) { /* exited */ }
                return _rssBytes >> 20;
            }
        }

        public string Tail()
        {
            lock (_tail) return $"--- worker pid {_process.Id} ({(_process.HasExited ? $"exit {_process.ExitCode}" : "running")})\n" + string.Join("\n", _tail);
        }

        public void Dispose()
        {
            try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { /* exited meanwhile */ }
            _process.Dispose();
        }
    }
}
