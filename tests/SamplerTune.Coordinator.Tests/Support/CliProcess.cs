using System.Diagnostics;

namespace SamplerTune.Coordinator.Tests.Support;

/// <summary>Runs the real samplertune CLI (the built samplertune.dll beside the tests) as a child process.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string experiments, params string[] args) => RunIn(Environment.CurrentDirectory, ["--experiments", experiments, .. args]);

    public static Result RunIn(string workingDirectory, string[] args, TimeSpan? timeout = null)
    {
        using var p = Process.Start(StartInfo(workingDirectory, args))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"samplertune {string.Join(' ', args)} did not finish");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts the CLI without waiting (output discarded), for tests that kill it.</summary>
    public static Process Start(string experiments, params string[] args) => StartWithArguments(["--experiments", experiments, .. args]);

    /// <summary>Starts the CLI with exactly <paramref name="args"/>, without waiting (output discarded).</summary>
    public static Process StartWithArguments(string[] args)
    {
        var psi = StartInfo(Environment.CurrentDirectory, args);
        psi.RedirectStandardOutput = false;
        psi.RedirectStandardError = false;
        psi.StandardOutputEncoding = null;
        return Process.Start(psi)!;
    }

    private static ProcessStartInfo StartInfo(string workingDirectory, string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "samplertune.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("SAMPLERTUNE_EXPERIMENTS");
        return psi;
    }

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "samplertune-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The repository root (for README checks), found by walking up from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SamplerTune.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
