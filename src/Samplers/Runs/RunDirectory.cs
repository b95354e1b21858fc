namespace SamplerTune.Samplers.Runs;

/// <summary>experiments/runs/&lt;rid&gt;/: the files of one run (design/ARCHITECTURE.md, "On-disk layout").</summary>
public sealed record RunDirectory(string Path)
{
    public static RunDirectory Under(string runsRoot, string rid) => new(System.IO.Path.Combine(runsRoot, rid));

    public string Manifest => System.IO.Path.Combine(Path, "manifest.json");
    public string Checkpoint => System.IO.Path.Combine(Path, "checkpoint.json");
    public string PartialMetrics => System.IO.Path.Combine(Path, "metrics.partial.json");
    public string Metrics => System.IO.Path.Combine(Path, "metrics.json");
    public string Artifacts => System.IO.Path.Combine(Path, "artifacts");
    public string Samples => System.IO.Path.Combine(Artifacts, "samples.h5");
    public string Log => System.IO.Path.Combine(Path, "log.txt");

    public bool IsFinished => File.Exists(Metrics);

    /// <summary>Appends one time-stamped line to log.txt.</summary>
    public void AppendLog(string line)
    {
        Directory.CreateDirectory(Path);
        File.AppendAllText(Log, $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {line}\n");
    }
}
