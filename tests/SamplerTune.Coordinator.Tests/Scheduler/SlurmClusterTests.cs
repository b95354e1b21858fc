using System.Text.RegularExpressions;
using SamplerTune.Coordinator.Tests.Integration;
using SamplerTune.Coordinator.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace SamplerTune.Coordinator.Tests.Scheduler;

/// <summary>
/// Issue 7, the real scheduler test: a coordinator on 127.0.0.1, then slurm/array.sh submitted to the local single-node
/// SLURM (scripts/slurm-local.sh start, run by .ci/run) with 3 array tasks running the real samplertune-worker. The
/// workers join and pull runs; one task is scancel'ed while it runs a unit, whose run is re-queued and completed by
/// another worker; the study ends exactly and every task leaves the queue.
/// </summary>
[Collection(SamplerTune.Coordinator.Tests.Support.MultiProcessTests.Name)]
public class SlurmClusterTests(ITestOutputHelper output)
{
    private const int Trials = 6, Tasks = 3;

    [SkippableFact]
    public void ArrayWorkersJoinFinishTheStudyAndACancelledTasksRunIsFinishedElsewhere()
    {
        SlurmArrayTests.SkipWithoutSlurm();
        var (exp, studyFile) = ClusterStudy.Create(Trials, batch: 2, budgetSec: 3);
        var tmp = CliProcess.TempDirectory();
        int port = NodeProcess.FreePort();
        using var coordinator = NodeProcess.Coordinator(exp, port, "--config", studyFile);
        NodeProcess.WaitUntil(() => File.Exists(Path.Combine(exp, "cluster", "seed.json")), TimeSpan.FromSeconds(60), () => coordinator.Tail());

        var env = new Dictionary<string, string>
        {
            // The real worker built beside the tests (array.sh's default is $SAMPLERTUNE_HOME/.build/bin/samplertune-worker.dll).
            ["SAMPLERTUNE_WORKER_CMD"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "samplertune-worker.dll")}",
            ["SAMPLERTUNE_HOME"] = tmp, ["SAMPLERTUNE_EXPERIMENTS"] = exp, ["SAMPLERTUNE_WORKER_HOSTNAME"] = "127.0.0.1",
            ["SAMPLERTUNE_ARRAY_SIZE"] = Tasks.ToString(), ["SAMPLERTUNE_CPUS_PER_TASK"] = "1",
            ["SAMPLERTUNE_BUDGET_SEC"] = "300", ["SAMPLERTUNE_TIME_MARGIN_SEC"] = "120", ["SAMPLERTUNE_SIGNAL_LEAD_SEC"] = "60",
            ["SAMPLERTUNE_JOB_NAME"] = "samplertune-cluster-test",
        };
        var submit = SchedulerShell.Run(SchedulerShell.Script("array.sh"), ["submit", "--parsable", $"--output={tmp}/slurm-%A_%a.out"], env, workingDirectory: tmp);
        Assert.True(submit.ExitCode == 0, "sbatch failed: " + submit);
        var id = submit.Stdout.Trim().Split(';')[0];
        string Log(int task) => File.Exists(Path.Combine(tmp, $"slurm-{id}_{task}.out")) ? File.ReadAllText(Path.Combine(tmp, $"slurm-{id}_{task}.out")) : "";
        string All() => coordinator.Tail() + "\n" + SlurmArrayTests.Logs(tmp);
        try
        {
            NodeProcess.WaitUntil(() => Enumerable.Range(0, Tasks).All(t => Log(t).Contains(" joined akka.tcp://samplertune@127.0.0.1:" + port)),
                TimeSpan.FromSeconds(90), () => "not every array task joined\n" + All());

            // Cancel a task while it runs a unit: its run must be re-queued and finished by another task.
            string? unit = null;
            int victim = -1;
            NodeProcess.WaitUntil(() =>
            {
                for (int t = 0; t < Tasks; t++)
                    if (RunningUnit(Log(t)) is { } u) { (victim, unit) = (t, u); return true; }
                return false;
            }, TimeSpan.FromSeconds(60), () => "no task ran a unit\n" + All());
            Thread.Sleep(1000); // past a checkpoint
            output.WriteLine($"scancel {id}_{victim} while it runs {unit}");
            var cancel = SchedulerShell.Run("scancel", [$"{id}_{victim}"]);
            Assert.True(cancel.ExitCode == 0, cancel.ToString());

            Assert.True(coordinator.WaitForExit(TimeSpan.FromSeconds(120)) == 0, All());
            NodeProcess.WaitUntil(() => SlurmArrayTests.Queued(id).Count == 0, TimeSpan.FromSeconds(60), () => "tasks still queued\n" + All());
            output.WriteLine(All());

            Assert.Contains($"work {unit}: worker", coordinator.Output); // "... lost; queued again as attempt 1"
            Assert.True(Enumerable.Range(0, Tasks).Where(t => t != victim).Any(t => Log(t).Contains($"unit {unit} (attempt 1) started")),
                $"no other task picked up {unit}\n{All()}");
            Assert.Contains("stopped; runs in flight were checkpointed", Log(victim));
            foreach (var t in Enumerable.Range(0, Tasks).Where(t => t != victim))
                Assert.Contains("every study is finished; left the cluster", Log(t));
            var tasks = SlurmArrayTests.Tasks(id);
            Assert.Equal("CANCELLED", tasks[victim].State);
            ClusterStudy.AssertExact(exp, Trials, allComplete: true);
            var log = File.ReadAllText(Path.Combine(exp, "runs", unit!, "log.txt"));
            Assert.Contains("resumed", log);
        }
        finally { SlurmArrayTests.Cancel(id); }
    }

    /// <summary>A unit the task's worker started and has not ended, from its log.</summary>
    private static string? RunningUnit(string log)
    {
        var started = Regex.Matches(log, @"unit (\S+) \(attempt \d+\) started").Select(m => m.Groups[1].Value).ToList();
        var ended = Regex.Matches(log, @"unit (\S+) ended").Select(m => m.Groups[1].Value).ToHashSet();
        return started.LastOrDefault(u => !ended.Contains(u));
    }
}
