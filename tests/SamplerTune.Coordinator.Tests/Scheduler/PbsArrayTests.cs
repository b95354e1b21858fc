using SamplerTune.Coordinator.Tests.Support;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Scheduler;

/// <summary>
/// Issue 7: slurm/array.pbs without a PBS server: bash syntax, the qsub line the submit helper builds, and a dry run
/// of one subjob with PBS's variables set and `echo` as the worker.
/// </summary>
public class PbsArrayTests
{
    private static readonly string Script = SchedulerShell.Script("array.pbs");

    [Fact]
    public void ScriptIsValidBash()
    {
        var r = SchedulerShell.Run("bash", ["-n", Script]);
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Fact]
    public void SubmitTurnsSettingsIntoQsubOptions()
    {
        var env = new Dictionary<string, string>
        {
            ["SAMPLERTUNE_DRY_RUN"] = "1", ["SAMPLERTUNE_ARRAY_SIZE"] = "6", ["SAMPLERTUNE_CPUS_PER_TASK"] = "4",
            ["SAMPLERTUNE_BUDGET_SEC"] = "90000", ["SAMPLERTUNE_TIME_MARGIN_SEC"] = "900", ["SAMPLERTUNE_QUEUE"] = "workq",
        };
        var r = SchedulerShell.Run(Script, ["submit", "-A", "proj"], env);
        Assert.True(r.ExitCode == 0, r.ToString());
        // 90900 s = 25:15:00 (PBS walltime hours go past 24).
        Assert.Equal($"qsub -V -N samplertune -J 0-5 -l select=1:ncpus=4 -l walltime=25:15:00 -q workq -A proj {Script}", r.Stdout.Trim());

        env["SAMPLERTUNE_ARRAY_SIZE"] = "1"; // PBS arrays need two indices
        Assert.Equal(2, SchedulerShell.Run(Script, ["submit"], env).ExitCode);
    }

    /// <summary>Inside subjob 2 the worker gets the seed file under PBS_O_WORKDIR, --slots = NCPUS, and SIGTERM at walltime - lead.</summary>
    [Fact]
    public void SubjobRunsTheWorkerWithNcpusAsSlots()
    {
        var submitDir = CliProcess.TempDirectory();
        var env = new Dictionary<string, string>
        {
            ["PBS_JOBID"] = "4711[2].pbs-server", ["PBS_ARRAY_INDEX"] = "2", ["PBS_O_WORKDIR"] = submitDir, ["NCPUS"] = "3",
            ["SAMPLERTUNE_WORKER_CMD"] = "echo", ["SAMPLERTUNE_WORKER_HOSTNAME"] = "node7",
            ["SAMPLERTUNE_BUDGET_SEC"] = "1000", ["SAMPLERTUNE_TIME_MARGIN_SEC"] = "200", ["SAMPLERTUNE_SIGNAL_LEAD_SEC"] = "150",
        };
        var expectedArgs = $"--seed-file {submitDir}/experiments/cluster/seed.json --slots 3 --hostname node7";

        // `echo` as the worker prints the arguments the real worker would get.
        var run = SchedulerShell.Run("bash", [Script], env);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(expectedArgs, run.Stdout.Trim());
        Assert.Contains("subjob 2 of 4711[2].pbs-server", run.Stderr);

        // The dry run shows the whole command: timeout sends SIGTERM at 1000 + 200 - 150 s.
        env["SAMPLERTUNE_DRY_RUN"] = "1";
        var dry = SchedulerShell.Run("bash", [Script], env);
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Equal($"timeout --signal=TERM 1050 echo {expectedArgs}", dry.Stdout.Trim());

        // An explicit experiments folder replaces the default under the submit directory.
        env.Remove("SAMPLERTUNE_DRY_RUN");
        env["SAMPLERTUNE_EXPERIMENTS"] = "/scratch/exp";
        Assert.Equal("--seed-file /scratch/exp/cluster/seed.json --slots 3 --hostname node7",
            SchedulerShell.Run("bash", [Script], env).Stdout.Trim());
    }

    [Fact]
    public void OutsideAJobItRefusesToStartAWorker()
    {
        var r = SchedulerShell.Run("bash", [Script]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("not inside a PBS job", r.Stderr);
    }
}
