using System.Diagnostics;

namespace SamplerTune.Coordinator.Benchmarks;

/// <summary>
/// The seed design's pattern for the same no-op work: an orchestrator writes one manifest per job and calls snakemake
/// on the batch's targets (a rule turning runs/&lt;id&gt;/manifest.json into runs/&lt;id&gt;/metrics.json with a no-op
/// shell command). Only run when the snakemake executable is on PATH (Debian package snakemake).
/// </summary>
public static class SnakemakeBaseline
{
    public static string? Executable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "snakemake")).FirstOrDefault(File.Exists);

    public static DispatchBenchmark.Throughput Run(string snakemake, string root, int jobs, int batch, int cores)
    {
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "Snakefile"), """
            rule run:
                input: "runs/{rid}/manifest.json"
                output: "runs/{rid}/metrics.json"
                shell: "echo '{{\"objective\": 10}}' > {output}"
            """);
        var clock = Stopwatch.StartNew();
        for (int start = 0; start < jobs; start += batch)
        {
            var targets = new List<string>();
            for (int i = start; i < Math.Min(jobs, start + batch); i++)
            {
                var dir = Path.Combine(root, "runs", $"r{i:D6}");
                Directory.CreateDirectory(dir);
                File.WriteAllText(Path.Combine(dir, "manifest.json"), $"{{\"trial\": {i}}}");
                targets.Add($"runs/r{i:D6}/metrics.json");
            }
            var psi = new ProcessStartInfo(snakemake) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
            // Targets first: snakemake 7's --quiet takes optional values and would swallow targets after it.
            foreach (var a in targets.Concat(["--cores", cores.ToString(), "--quiet"])) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            p.StandardOutput.ReadToEnd();
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"snakemake failed (exit {p.ExitCode}): {err.Split('\n').FirstOrDefault()}");
        }
        return new DispatchBenchmark.Throughput(jobs, clock.Elapsed.TotalSeconds);
    }
}
