using System.Diagnostics;

namespace SamplerTune.Samplers.Tests.Support;

/// <summary>Runs an independent tool (h5dump, Debian's python3 with h5py) and reports whether it exists, so tests can skip with a reason.</summary>
public static class ExternalTool
{
    /// <summary>Debian's Python: its packages (python3-h5py, python3-numpy) belong to /usr/bin/python3, not to another python3 on PATH.</summary>
    public const string DebianPython = "/usr/bin/python3";

    public static bool Exists(string path) => File.Exists(path);

    public static bool PythonHas(string module) =>
        Exists(DebianPython) && Run(DebianPython, ["-c", $"import {module}"]).ExitCode == 0;

    public static (int ExitCode, string Stdout, string Stderr) Run(string file, IEnumerable<string> args, string? stdin = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        if (stdin is not null) { p.StandardInput.Write(stdin); p.StandardInput.Close(); }
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, o.Result, e.Result);
    }
}
