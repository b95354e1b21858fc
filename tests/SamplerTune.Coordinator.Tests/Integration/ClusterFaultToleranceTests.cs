using SamplerTune.Coordinator.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace SamplerTune.Coordinator.Tests.Integration;

/// <summary>
/// Issue 7, fault tolerance measured: a coordinator and 4 worker processes on 127.0.0.1 run a small study while the
/// test SIGKILLs a worker in the middle of a trial 10 times (starting a replacement each time) and the coordinator 3
/// times (restarting it with the same command). Every study must end with exactly its trial count, no trial told
/// twice, no result lost, every trial completed; some runs resume from checkpoints, and results written while the
/// coordinator was down are ingested when it comes back.
/// </summary>
[Collection(SamplerTune.Coordinator.Tests.Support.MultiProcessTests.Name)]
public class ClusterFaultToleranceTests(ITestOutputHelper output)
{
    private const int Trials = 24, Workers = 4, WorkerKills = 10, CoordinatorKills = 3;

    [Fact]
    public void WorkersAndCoordinatorKilledTheStudiesEndExactly()
    {
        var (exp, studyFile) = ClusterStudy.Create(Trials, batch: 3, budgetSec: 2.5);
        int port = NodeProcess.FreePort();
        var all = new List<NodeProcess>();
        NodeProcess StartCoordinator() { var c = NodeProcess.Coordinator(exp, port, "--config", studyFile); all.Add(c); return c; }
        int started = 0;
        NodeProcess StartWorker() { var w = NodeProcess.Worker($"worker-{++started}", exp); all.Add(w); return w; }
        string Tails() => string.Join("\n", all.Where(n => !n.HasExited || n.Name == "coordinator").TakeLast(6).Select(n => n.Tail(25)));

        var rng = new Random(20261203);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var downtimes = new List<(DateTime From, DateTime To)>();
        try
        {
            var coordinator = StartCoordinator();
            var workers = Enumerable.Range(0, Workers).Select(_ => StartWorker()).ToList();
            // Worker kills in threes, a coordinator kill after each three: W W W C W W W C W W W C W.
            int workerKills = 0, coordinatorKills = 0;
            while (workerKills < WorkerKills || coordinatorKills < CoordinatorKills)
            {
                bool killCoordinator = coordinatorKills < CoordinatorKills && workerKills >= 3 * (coordinatorKills + 1);
                // Mid-trial: wait for a worker that is running a unit (after a coordinator restart, workers rejoin first).
                NodeProcess.WaitUntil(() => workers.Any(w => w.IsRunningUnit) || coordinator.HasExited, TimeSpan.FromSeconds(60),
                    () => $"no worker ran a unit within 60 s after {workerKills} worker and {coordinatorKills} coordinator kills\n{Tails()}");
                Assert.False(coordinator.HasExited, $"the study ended after only {workerKills} worker and {coordinatorKills} coordinator kills; lengthen it\n{Tails()}");
                if (killCoordinator)
                {
                    coordinator.Kill();
                    var from = DateTime.UtcNow;
                    coordinatorKills++;
                    output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s: killed the coordinator ({coordinatorKills})");
                    Thread.Sleep(2000); // workers keep running and finish runs while it is down
                    downtimes.Add((from, DateTime.UtcNow));
                    coordinator = StartCoordinator();
                    continue;
                }
                var running = workers.Where(w => w.IsRunningUnit).ToList();
                var victim = running[rng.Next(running.Count)];
                victim.Kill();
                workers.Remove(victim);
                workers.Add(StartWorker());
                workerKills++;
                output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s: killed {victim.Name} mid-trial ({workerKills})");
                Thread.Sleep(2000 + rng.Next(1500));
            }

            int? exit = coordinator.WaitForExit(TimeSpan.FromSeconds(150));
            output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s: coordinator exited {exit}");
            Assert.True(exit == 0, Tails());
            foreach (var w in workers) Assert.True(w.WaitForExit(TimeSpan.FromSeconds(40)) == 0, w.Tail());

            var studies = ClusterStudy.AssertExact(exp, Trials, allComplete: true);
            var runs = Path.Combine(exp, "runs");
            var logs = Directory.GetFiles(runs, "log.txt", SearchOption.AllDirectories).Select(File.ReadAllText).ToList();
            int resumed = logs.Count(l => l.Contains("resumed "));
            output.WriteLine($"runs resumed from a checkpoint: {resumed}");
            Assert.True(resumed >= 1, "no run resumed from its checkpoint");
            // Results written while the coordinator was down (metrics.json dated inside a downtime) are among the told trials.
            var told = studies.SelectMany(s => s.Trials).Select(t => t.Rid).ToHashSet();
            var writtenWhileDown = Directory.GetFiles(runs, "metrics.json", SearchOption.AllDirectories)
                .Where(f => downtimes.Any(d => File.GetLastWriteTimeUtc(f) is var t && t >= d.From && t <= d.To))
                .Select(f => Path.GetFileName(Path.GetDirectoryName(f)!)).ToList();
            output.WriteLine($"results written while the coordinator was down: {writtenWhileDown.Count}");
            Assert.NotEmpty(writtenWhileDown);
            Assert.All(writtenWhileDown, rid => Assert.Contains(rid, told));
        }
        finally
        {
            foreach (var n in all) n.Dispose();
        }
    }
}
