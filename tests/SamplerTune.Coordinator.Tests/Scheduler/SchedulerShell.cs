using System.Diagnostics;
using SamplerTune.Coordinator.Tests.Support;

namespace SamplerTune.Coordinator.Tests.Scheduler;

/// <summary>Runs the scheduler scripts and SLURM's client commands as child processes with a chosen environment.</summary>
public static class SchedulerShell
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
    }

    /// <summary>The SAMPLERTUNE_* settings the scripts read; cleared so a developer's shell cannot change a test.</summary>
    private static readonly string[] Settings =
    [
        "SAMPLERTUNE_ARRAY_SIZE", "SAMPLERTUNE_ARRAY_THROTTLE", "SAMPLERTUNE_CPUS_PER_TASK", "SAMPLERTUNE_BUDGET_SEC",
        "SAMPLERTUNE_TIME_MARGIN_SEC", "SAMPLERTUNE_SIGNAL_LEAD_SEC", "SAMPLERTUNE_PARTITION", "SAMPLERTUNE_QUEUE",
        "SAMPLERTUNE_JOB_NAME", "SAMPLERTUNE_HOME", "SAMPLERTUNE_EXPERIMENTS", "SAMPLERTUNE_SEED_FILE",
        "SAMPLERTUNE_WORKER_HOSTNAME", "SAMPLERTUNE_WORKER_CMD", "SAMPLERTUNE_DRY_RUN",
    ];

    public static string Script(string name) => Path.Combine(CliProcess.RepositoryRoot(), "slurm", name);

    public static Result Run(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null,
        string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var name in Settings) psi.Environment.Remove(name);
        // Tests may themselves run inside a batch job: its job variables must not leak into the scripts under test.
        foreach (var name in psi.Environment.Keys.Where(IsJobVariable).ToList()) psi.Environment.Remove(name);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(30)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    private static bool IsJobVariable(string name) => name is "NCPUS"
        || (name.StartsWith("SLURM_", StringComparison.Ordinal) && name != "SLURM_CONF")
        || name.StartsWith("SBATCH_", StringComparison.Ordinal) || name.StartsWith("PBS_", StringComparison.Ordinal);

    /// <summary>Whether an executable of that name is on PATH.</summary>
    public static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, name)));

    /// <summary>Writes an executable bash script (a stand-in worker) and returns its path.</summary>
    public static string WriteScript(string directory, string name, string body)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, "#!/usr/bin/env bash\n" + body);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }
}
