using System.Diagnostics;

namespace SamplerTune.Coordinator.Benchmarks;

/// <summary>
/// One samplertune-worker process started by <c>bench scale</c> (the executable beside this one, 1 slot, on
/// 127.0.0.1), its last lines of output kept for failure messages; disposing kills it.
/// </summary>
public sealed class BenchWorkerProcess : IDisposable
{
    /// <summary>Memory cap per worker process, so dozens fit on a small machine (the sleep method needs almost nothing).</summary>
    public const string HeapLimit = "0x10000000"; // 256 MB

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private long _rssBytes;

    private BenchWorkerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static BenchWorkerProcess Start(string experiments, string configFile)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "samplertune-worker.dll"), "--experiments", experiments,
                     "--hostname", "127.0.0.1", "--slots", "1", "--config", configFile })
            psi.ArgumentList.Add(a);
        psi.Environment.Remove("SAMPLERTUNE_EXPERIMENTS");
        psi.Environment["DOTNET_GCHeapHardLimit"] = HeapLimit;
        return new BenchWorkerProcess(Process.Start(psi)!);
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

    public long RssMb
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
