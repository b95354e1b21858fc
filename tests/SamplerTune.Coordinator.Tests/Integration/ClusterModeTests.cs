using SamplerTune.Coordinator.Tests.Support;
using SamplerTune.Worker.Cluster;
using Xunit;
using Xunit.Abstractions;

namespace SamplerTune.Coordinator.Tests.Integration;

/// <summary>
/// Issue 7, cluster mode on 127.0.0.1: 'samplertune coordinator' and real samplertune-worker processes finish a small
/// study; inspect answers from the live node; workers of another experiments folder or cluster name, or without a fresh
/// seed, are refused with a clear message; a SIGTERMed worker checkpoints and leaves and its run is finished elsewhere.
/// </summary>
[Collection(SamplerTune.Coordinator.Tests.Support.MultiProcessTests.Name)]
public class ClusterModeTests(ITestOutputHelper output)
{
    private const int Trials = 6;

    [Fact]
    public void CoordinatorAndWorkerProcessesFinishTheStudyAndLeave()
    {
        var (exp, studyFile) = ClusterStudy.Create(Trials, batch: 2, budgetSec: 2);
        int port = NodeProcess.FreePort();
        using var coordinator = NodeProcess.Coordinator(exp, port, "--config", studyFile);
        var nodes = new List<NodeProcess> { coordinator };
        try
        {
            var seedPath = Path.Combine(exp, "cluster", "seed.json");
            NodeProcess.WaitUntil(() => SeedFile.TryRead(seedPath) is not null, TimeSpan.FromSeconds(60), () => "no seed.json\n" + coordinator.Tail());
            var seed = SeedFile.TryRead(seedPath)!;
            Assert.Equal($"akka.tcp://samplertune@127.0.0.1:{port}", seed.Address);
            Assert.Equal(port, seed.Port);
            Assert.False(seed.Finished);
            Thread.Sleep(2500); // heartbeat every 2 s
            Assert.True(SeedFile.TryRead(seedPath)!.HeartbeatUtc > seed.HeartbeatUtc, "the seed heartbeat was not refreshed");

            // Refused: another experiments folder (its own experiments.id), another cluster name, a missing seed file.
            var other = CliProcess.TempDirectory();
            ExperimentsIdentity.Ensure(new Samplers.Common.ExperimentsLayout(other));
            var wrongFolder = NodeProcess.Worker("wrong-folder", other, "--seed-file", seedPath);
            var wrongName = NodeProcess.Worker("wrong-name", exp, "--cluster-name", "another");
            var noSeed = NodeProcess.Worker("no-seed", other, "--seed-wait", "1");
            nodes.AddRange([wrongFolder, wrongName, noSeed]);

            var workers = Enumerable.Range(1, 2).Select(i => NodeProcess.Worker($"worker-{i}", exp)).ToList();
            nodes.AddRange(workers);

            Assert.True(wrongFolder.WaitForExit(TimeSpan.FromSeconds(60)) == 3, wrongFolder.Tail());
            Assert.True(wrongFolder.Says("refused by the coordinator: its experiments folder"), wrongFolder.Tail());
            Assert.True(coordinator.Says("refused: its experiments folder"), coordinator.Tail());
            Assert.True(wrongName.WaitForExit(TimeSpan.FromSeconds(30)) == 3, wrongName.Tail());
            Assert.True(wrongName.Says("the seed file is for cluster 'samplertune' but this worker belongs to cluster 'another'"), wrongName.Tail());
            Assert.True(noSeed.WaitForExit(TimeSpan.FromSeconds(30)) == 4, noSeed.Tail());
            Assert.True(noSeed.Says("does not exist; waited 1 s"), noSeed.Tail());

            // Inspect the live node while the study runs.
            NodeProcess.WaitUntil(() => workers.Any(w => w.IsRunningUnit), TimeSpan.FromSeconds(60), () => string.Join("\n", nodes.Select(n => n.Tail())));
            var show = CliProcess.Run(exp, "inspect", "cluster", "show");
            output.WriteLine(show.Stdout);
            Assert.True(show.ExitCode == 0, show.Stderr);
            Assert.Contains($"akka.tcp://samplertune@127.0.0.1:{port}", show.Stdout);
            Assert.Matches(@"Up\s+reachable\s+coordinator", show.Stdout);
            Assert.Matches(@"Up\s+reachable\s+worker", show.Stdout);
            var tree = CliProcess.Run(exp, "inspect", "--address", $"127.0.0.1:{port}", "actor", "hierarchy", "-d", "4");
            output.WriteLine(tree.Stdout);
            Assert.True(tree.ExitCode == 0, tree.Stderr);
            Assert.Contains("dispatcher", tree.Stdout);
            Assert.Contains("gaussian_mean", tree.Stdout); // study actors under the singleton
            var studies = CliProcess.Run(exp, "inspect", "studies");
            output.WriteLine(studies.Stdout);
            Assert.True(studies.ExitCode == 0, studies.Stderr);
            Assert.Contains($"/{Trials}", studies.Stdout);
            var runs = CliProcess.Run(exp, "inspect", "runs", "--active");
            output.WriteLine(runs.Stdout);
            Assert.True(runs.ExitCode == 0, runs.Stderr);
            // A run's worker is named by its cluster address, the form 'inspect cluster leave/down' takes.
            foreach (var line in runs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Where(l => !l.StartsWith('(')))
                Assert.Contains($"@{line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]} ", show.Stdout);
            // Downing the coordinator itself would strand the study: refused, and the study goes on.
            var downSelf = CliProcess.Run(exp, "inspect", "cluster", "down", $"127.0.0.1:{port}");
            Assert.NotEqual(0, downSelf.ExitCode);
            Assert.Contains("is the coordinator itself", downSelf.Stdout + downSelf.Stderr);

            Assert.True(coordinator.WaitForExit(TimeSpan.FromSeconds(120)) == 0, string.Join("\n", nodes.Select(n => n.Tail())));
            foreach (var w in workers)
            {
                Assert.True(w.WaitForExit(TimeSpan.FromSeconds(30)) == 0, w.Tail());
                Assert.True(w.Says("every study is finished; left the cluster"), w.Tail());
            }
            Assert.True(SeedFile.TryRead(seedPath)!.Finished);

            var studyStates = ClusterStudy.AssertExact(exp, Trials, allComplete: true);
            var name = studyStates[0].Created!.Study;
            // A worker started after the end leaves at once.
            using var late = NodeProcess.Worker("late", exp);
            Assert.True(late.WaitForExit(TimeSpan.FromSeconds(30)) == 0, late.Tail());
            Assert.True(late.Says("every study is finished"), late.Tail());
            // Nothing listening any more: inspect says so.
            var gone = CliProcess.Run(exp, "inspect", "study", name);
            Assert.Equal(3, gone.ExitCode);
            Assert.Contains($"nothing is listening at 127.0.0.1:{port}", gone.Stderr);
        }
        finally
        {
            foreach (var n in nodes) n.Dispose();
        }
    }

    [Fact]
    public void SigtermedWorkerCheckpointsAndLeavesAndItsRunIsFinishedElsewhere()
    {
        var (exp, studyFile) = ClusterStudy.Create(trials: 3, batch: 1, budgetSec: 4);
        int port = NodeProcess.FreePort();
        using var coordinator = NodeProcess.Coordinator(exp, port, "--config", studyFile);
        using var first = NodeProcess.Worker("first", exp);
        var nodes = new List<NodeProcess> { coordinator, first };
        try
        {
            NodeProcess.WaitUntil(() => first.IsRunningUnit, TimeSpan.FromSeconds(60), () => coordinator.Tail() + "\n" + first.Tail());
            Thread.Sleep(1500); // past a checkpoint (every 0.4 s)
            first.Terminate();
            Assert.True(first.WaitForExit(TimeSpan.FromSeconds(30)) == 0, first.Tail());
            Assert.True(first.Says("stopped; runs in flight were checkpointed"), first.Tail());
            using var second = NodeProcess.Worker("second", exp);
            nodes.Add(second);
            Assert.True(coordinator.WaitForExit(TimeSpan.FromSeconds(120)) == 0, string.Join("\n", nodes.Select(n => n.Tail())));
            Assert.True(second.WaitForExit(TimeSpan.FromSeconds(30)) == 0, second.Tail());
            ClusterStudy.AssertExact(exp, 3, allComplete: true);
            var logs = Directory.GetFiles(Path.Combine(exp, "runs"), "log.txt", SearchOption.AllDirectories).Select(File.ReadAllText).ToList();
            Assert.Contains(logs, l => l.Contains("checkpoint written") && l.Contains("resumed"));
        }
        finally
        {
            foreach (var n in nodes) n.Dispose();
        }
    }
}
