using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace SamplerTune.Coordinator.Tests.Support;

/// <summary>
/// A cluster-mode process under test ('samplertune coordinator' or samplertune-worker, the real executables beside the
/// tests) with its output captured line by line, so a test can see which units a worker is running and kill it mid-run.
/// </summary>
public sealed partial class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = new();
    private readonly HashSet<string> _running = new();

    public string Name { get; }
    public int Pid => _process.Id;

    private NodeProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static NodeProcess Coordinator(string experiments, int port, params string[] args) =>
        Start("coordinator", "samplertune.dll", ["--experiments", experiments, "coordinator", "--hostname", "127.0.0.1", "--port", port.ToString(), .. args]);

    public static NodeProcess Worker(string name, string experiments, params string[] args) =>
        Start(name, "samplertune-worker.dll", ["--experiments", experiments, "--hostname", "127.0.0.1", "--slots", "1", .. args]);

    private static NodeProcess Start(string name, string dll, string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("SAMPLERTUNE_EXPERIMENTS");
        psi.Environment["DOTNET_gcServer"] = "0";
        return new NodeProcess(name, Process.Start(psi)!);
    }

    [GeneratedRegex(@"unit (\S+) \(attempt \d+\) started")]
    private static partial Regex UnitStarted();

    [GeneratedRegex(@"unit (\S+) ended")]
    private static partial Regex UnitEnded();

    private void Add(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Add(line);
            if (UnitStarted().Match(line) is { Success: true } s) _running.Add(s.Groups[1].Value);
            if (UnitEnded().Match(line) is { Success: true } e) _running.Remove(e.Groups[1].Value);
            // A new session (or a lost one) runs nothing: the old session's units were stopped with its actor system.
            if (line.Contains("lost the coordinator") || line.StartsWith("samplertune-worker ", StringComparison.Ordinal)) _running.Clear();
        }
    }

    public string Output
    {
        get { lock (_lines) return string.Join("\n", _lines); }
    }

    /// <summary>The last lines of output, for failure messages.</summary>
    public string Tail(int n = 40)
    {
        lock (_lines) return $"--- {Name} (pid {Pid}, {(HasExited ? $"exit {_process.ExitCode}" : "running")})\n" + string.Join("\n", _lines.TakeLast(n));
    }

    public bool Says(string text)
    {
        lock (_lines) return _lines.Any(l => l.Contains(text, StringComparison.Ordinal));
    }

    public bool IsRunningUnit
    {
        get { lock (_lines) return _running.Count > 0; }
    }

    public bool HasExited => _process.HasExited;

    public int? WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) return null;
        _process.WaitForExit(); // drains the output
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown, no checkpoint on the way out.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill();
        _process.WaitForExit();
    }

    [DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    private static extern int SysKill(int pid, int signal);

    /// <summary>SIGTERM, as scancel and SLURM's --signal send it.</summary>
    public void Terminate()
    {
        if (!_process.HasExited) SysKill(_process.Id, 15);
    }

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public static void WaitUntil(Func<bool> condition, TimeSpan timeout, Func<string> failure)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException(failure());
            Thread.Sleep(100);
        }
    }
}
