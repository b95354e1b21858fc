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

    /// <summary>provisional.csv: one line per checkpoint (elapsed_sec, budget_sec, objective), the run's provisional curve.</summary>
    public string ProvisionalCurve => System.IO.Path.Combine(Path, "provisional.csv");

    public bool IsFinished => File.Exists(Metrics);

    /// <summary>Appends a checkpoint's provisional objective to provisional.csv (kept across resumes, like log.txt).</summary>
    public void AppendProvisional(double elapsedSec, double budgetSec, double objective)
    {
        Directory.CreateDirectory(Path);
        if (!File.Exists(ProvisionalCurve)) File.WriteAllText(ProvisionalCurve, "elapsed_sec,budget_sec,objective\n");
        File.AppendAllText(ProvisionalCurve, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{elapsedSec:R},{budgetSec:R},{objective:R}\n"));
    }

    /// <summary>
    /// The provisional curve written so far; a line cut short by a kill, or a missing file, ends it (the curve only
    /// informs pruning, so a shorter one is safe).
    /// </summary>
    public IReadOnlyList<(double ElapsedSec, double BudgetSec, double Objective)> ReadProvisional()
    {
        var points = new List<(double, double, double)>();
        if (!File.Exists(ProvisionalCurve)) return points;
        foreach (var line in File.ReadLines(ProvisionalCurve).Skip(1))
        {
            var f = line.Split(',');
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            if (f.Length != 3 || !double.TryParse(f[0], inv, out double e) || !double.TryParse(f[1], inv, out double b)
                || !double.TryParse(f[2], inv, out double v)) break;
            points.Add((e, b, v));
        }
        return points;
    }

    /// <summary>Appends one time-stamped line to log.txt.</summary>
    public void AppendLog(string line)
    {
        Directory.CreateDirectory(Path);
        File.AppendAllText(Log, $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {line}\n");
    }
}
