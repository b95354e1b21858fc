using System.Text.RegularExpressions;
using SamplerTune.Coordinator.Tests.Support;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Scheduler;

/// <summary>
/// Issue 7: slurm/array.sh on a real SLURM (scripts/slurm-local.sh start, run by .ci/run as root). A stand-in worker
/// (SAMPLERTUNE_WORKER_CMD) records what the script handed it; <see cref="SlurmClusterTests"/> runs the real worker.
/// </summary>
[Collection(SamplerTune.Coordinator.Tests.Support.MultiProcessTests.Name)]
public class SlurmArrayTests
{
    private static readonly TimeSpan QueueTimeout = TimeSpan.FromSeconds(45);

    /// <summary>The submit helper turns the SAMPLERTUNE_* settings into sbatch options (no SLURM needed).</summary>
    [Fact]
    public void SubmitTurnsSettingsIntoSbatchOptions()
    {
        var script = SchedulerShell.Script("array.sh");
        var env = new Dictionary<string, string>
        {
            ["SAMPLERTUNE_DRY_RUN"] = "1", ["SAMPLERTUNE_ARRAY_SIZE"] = "5", ["SAMPLERTUNE_ARRAY_THROTTLE"] = "2",
            ["SAMPLERTUNE_CPUS_PER_TASK"] = "3", ["SAMPLERTUNE_BUDGET_SEC"] = "90000", ["SAMPLERTUNE_TIME_MARGIN_SEC"] = "900",
            ["SAMPLERTUNE_SIGNAL_LEAD_SEC"] = "600", ["SAMPLERTUNE_PARTITION"] = "short",
        };
        var dry = SchedulerShell.Run(script, ["submit", "--qos=low"], env);
        Assert.True(dry.ExitCode == 0, dry.ToString());
        // 90000 + 900 s = 1 day 01:15:00; the caller's own sbatch options come last so they win.
        Assert.Equal($"sbatch --job-name=samplertune --array=0-4%2 --cpus-per-task=3 --time=1-01:15:00 --signal=B:TERM@600 --partition=short --qos=low {script}",
            dry.Stdout.Trim());

        env["SAMPLERTUNE_SIGNAL_LEAD_SEC"] = "901"; // SIGTERM would come before the budget is spent
        var rejected = SchedulerShell.Run(script, ["submit"], env);
        Assert.Equal(2, rejected.ExitCode);
        Assert.Contains("SAMPLERTUNE_SIGNAL_LEAD_SEC", rejected.Stderr);
    }

    /// <summary>Three array tasks each exec the worker with --slots = their CPUs, the seed file and experiments under SAMPLERTUNE_HOME.</summary>
    [SkippableFact]
    public void ArrayTasksRunTheWorkerWithTheirCpusAsSlots()
    {
        SkipWithoutSlurm();
        var tmp = CliProcess.TempDirectory();
        var home = Directory.CreateDirectory(Path.Combine(tmp, "home")).FullName;
        var records = Directory.CreateDirectory(Path.Combine(tmp, "records")).FullName;
        var standIn = SchedulerShell.WriteScript(tmp, "stand-in-worker.sh", """
            out="$STANDIN_OUT/task-$SLURM_ARRAY_TASK_ID"
            printf 'args=%s\nexperiments=%s\npwd=%s\n' "$*" "$SAMPLERTUNE_EXPERIMENTS" "$PWD" > "$out.tmp" && mv "$out.tmp" "$out"
            """);
        int cpus = Math.Min(2, Environment.ProcessorCount);
        var env = Settings(standIn, records, home, tasks: 3, cpus, budget: 600, margin: 120, lead: 60);

        var id = Submit(env, tmp);
        try
        {
            WaitUntil(() => Queued(id).Count == 0, QueueTimeout, () => $"array {id} still queued: {Logs(tmp)}");
            var tasks = Tasks(id);
            for (int task = 0; task < 3; task++)
            {
                Assert.True(tasks.TryGetValue(task, out var info), $"task {task} unknown to scontrol; logs: {Logs(tmp)}");
                Assert.True(info.State == "COMPLETED", $"task {task} ended {info.State}; logs: {Logs(tmp)}");
                Assert.Equal("00:12:00", info.TimeLimit); // budget 600 s + margin 120 s
                var record = Path.Combine(records, $"task-{task}");
                Assert.True(File.Exists(record), $"task {task} never ran the worker; logs: {Logs(tmp)}");
                var lines = File.ReadAllLines(record);
                Assert.Equal($"args=--seed-file {home}/experiments/cluster/seed.json --slots {cpus} --hostname 127.0.0.1", lines[0]);
                Assert.Equal($"experiments={home}/experiments", lines[1]);
                Assert.Equal($"pwd={home}", lines[2]);
            }
        }
        finally { Cancel(id); }
    }

    /// <summary>scancel of one task removes it from the queue while its siblings keep running.</summary>
    [SkippableFact]
    public void CancelledTaskLeavesTheQueueWhileTheOthersRun()
    {
        SkipWithoutSlurm();
        var tmp = CliProcess.TempDirectory();
        var records = Directory.CreateDirectory(Path.Combine(tmp, "records")).FullName;
        var standIn = SchedulerShell.WriteScript(tmp, "long-worker.sh", LongWorker);
        var env = Settings(standIn, records, tmp, tasks: 3, cpus: 1, budget: 600, margin: 120, lead: 60);

        var id = Submit(env, tmp);
        try
        {
            WaitUntil(() => Enumerable.Range(0, 3).All(t => File.Exists(Path.Combine(records, $"task-{t}.started"))),
                QueueTimeout, () => $"array {id} did not start all tasks: {Logs(tmp)}");
            var cancel = SchedulerShell.Run("scancel", [$"{id}_1"]);
            Assert.True(cancel.ExitCode == 0, cancel.ToString());
            WaitUntil(() => !Queued(id).Contains(1), TimeSpan.FromSeconds(20), () => $"task 1 still queued: {string.Join(',', Queued(id))}");
            var queued = Queued(id);
            Assert.Contains(0, queued);
            Assert.Contains(2, queued);
            var tasks = Tasks(id);
            Assert.Equal("CANCELLED", tasks[1].State);
            Assert.Equal("RUNNING", tasks[0].State);
            Assert.Equal("RUNNING", tasks[2].State);
        }
        finally { Cancel(id); }
    }

    /// <summary>
    /// --signal=B:TERM@lead reaches the exec'd worker before the time limit: with a 60 s limit and a 55 s lead each
    /// worker is told to stop, exits cleanly, and the task ends COMPLETED rather than TIMEOUT.
    /// </summary>
    [SkippableFact]
    public void WorkersGetSigtermBeforeTheTimeLimit()
    {
        SkipWithoutSlurm();
        var tmp = CliProcess.TempDirectory();
        var records = Directory.CreateDirectory(Path.Combine(tmp, "records")).FullName;
        var standIn = SchedulerShell.WriteScript(tmp, "long-worker.sh", LongWorker);
        var env = Settings(standIn, records, tmp, tasks: 3, cpus: 1, budget: 0, margin: 60, lead: 55);

        var id = Submit(env, tmp);
        try
        {
            // SLURM checks time limits periodically (every 30 s at most here); the limit itself is 60 s.
            WaitUntil(() => Queued(id).Count == 0, TimeSpan.FromSeconds(80), () => $"array {id} still queued: {Logs(tmp)}");
            var tasks = Tasks(id);
            for (int task = 0; task < 3; task++)
            {
                Assert.True(File.Exists(Path.Combine(records, $"task-{task}.term")), $"task {task} got no SIGTERM; logs: {Logs(tmp)}");
                Assert.Equal("COMPLETED", tasks[task].State);
            }
        }
        finally { Cancel(id); }
    }

    /// <summary>Stand-in worker that runs for two minutes unless SIGTERM arrives, recording start and SIGTERM.</summary>
    private const string LongWorker = """
        out="$STANDIN_OUT/task-$SLURM_ARRAY_TASK_ID"
        trap 'echo term > "$out.term"; exit 0' TERM
        echo started > "$out.started"
        # Short sleeps, so the trap runs soon after SIGTERM and no orphan outlives the task.
        for _ in $(seq 600); do sleep 0.2; done
        """;

    private static Dictionary<string, string> Settings(string standIn, string records, string home, int tasks, int cpus, int budget, int margin, int lead) => new()
    {
        ["SAMPLERTUNE_WORKER_CMD"] = standIn, ["STANDIN_OUT"] = records, ["SAMPLERTUNE_HOME"] = home,
        ["SAMPLERTUNE_WORKER_HOSTNAME"] = "127.0.0.1", ["SAMPLERTUNE_ARRAY_SIZE"] = tasks.ToString(),
        ["SAMPLERTUNE_CPUS_PER_TASK"] = cpus.ToString(), ["SAMPLERTUNE_BUDGET_SEC"] = budget.ToString(),
        ["SAMPLERTUNE_TIME_MARGIN_SEC"] = margin.ToString(), ["SAMPLERTUNE_SIGNAL_LEAD_SEC"] = lead.ToString(),
        ["SAMPLERTUNE_JOB_NAME"] = "samplertune-test",
    };

    /// <summary>Submits through `slurm/array.sh submit` and returns the array job id.</summary>
    private static string Submit(Dictionary<string, string> env, string tmp)
    {
        var r = SchedulerShell.Run(SchedulerShell.Script("array.sh"), ["submit", "--parsable", $"--output={tmp}/slurm-%A_%a.out"], env, workingDirectory: tmp);
        Assert.True(r.ExitCode == 0, "sbatch failed: " + r);
        var id = r.Stdout.Trim().Split(';')[0];
        Assert.Matches("^[0-9]+$", id);
        return id;
    }

    /// <summary>Array task ids of the job still pending or running.</summary>
    internal static List<int> Queued(string id)
    {
        var r = SchedulerShell.Run("squeue", ["-h", "-r", "-j", id, "-o", "%K"]);
        // A job id already purged from slurmctld is "invalid", which also means it left the queue.
        if (r.ExitCode != 0 && r.Stderr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase)) return [];
        Assert.True(r.ExitCode == 0, "squeue failed: " + r);
        return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
    }

    internal sealed record TaskInfo(string State, string TimeLimit);

    /// <summary>State and time limit of each array task, from scontrol (finished jobs stay visible for MinJobAge).</summary>
    internal static Dictionary<int, TaskInfo> Tasks(string id)
    {
        var r = SchedulerShell.Run("scontrol", ["show", "job", "-o", id]);
        Assert.True(r.ExitCode == 0, "scontrol failed: " + r);
        var tasks = new Dictionary<int, TaskInfo>();
        foreach (var line in r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var task = Regex.Match(line, @"\bArrayTaskId=(\d+)\b");
            if (!task.Success) continue;
            tasks[int.Parse(task.Groups[1].Value)] = new TaskInfo(
                Regex.Match(line, @"\bJobState=(\S+)").Groups[1].Value, Regex.Match(line, @"\bTimeLimit=(\S+)").Groups[1].Value);
        }
        return tasks;
    }

    internal static void Cancel(string id) => SchedulerShell.Run("scancel", [id]);

    internal static void WaitUntil(Func<bool> condition, TimeSpan timeout, Func<string> failure)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail(failure());
            Thread.Sleep(250);
        }
    }

    internal static string Logs(string tmp) => string.Join("\n", Directory.GetFiles(tmp, "slurm-*.out").Order()
        .Select(f => $"--- {Path.GetFileName(f)}\n{File.ReadAllText(f)}"));

    internal static void SkipWithoutSlurm()
    {
        var reason = WhySlurmIsMissing.Value;
        Skip.If(reason is not null, reason);
    }

    /// <summary>Checked once per test run: sinfo against a stopped controller retries for about 10 s.</summary>
    private static readonly Lazy<string?> WhySlurmIsMissing = new(() =>
    {
        if (!new[] { "sbatch", "squeue", "scontrol", "scancel", "sinfo" }.All(SchedulerShell.OnPath))
            return "SLURM client tools are not installed (as root: scripts/slurm-local.sh start installs and starts a local SLURM)";
        SchedulerShell.Result sinfo;
        try { sinfo = SchedulerShell.Run("sinfo", ["-h", "-o", "%T"], timeout: TimeSpan.FromSeconds(20)); }
        catch (TimeoutException) { sinfo = new SchedulerShell.Result(-1, "", "timed out"); }
        var states = sinfo.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return sinfo.ExitCode == 0 && states.Any(s => s is "idle" or "mixed" or "allocated" or "completing") ? null
            : $"no SLURM node is up (run scripts/slurm-local.sh start as root); sinfo: {sinfo.Stdout.Trim()} {sinfo.Stderr.Trim()}";
    });
}
