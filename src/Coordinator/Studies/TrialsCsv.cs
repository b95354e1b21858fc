using System.Globalization;
using System.Text;
using SamplerTune.Messages.Studies;

namespace SamplerTune.Coordinator.Studies;

/// <summary>
/// experiments/studies/&lt;study&gt;/trials.csv (told trials) and pending.csv (asked, not yet told), with the column names
/// of Optuna's <c>study.trials_dataframe()</c> (number, value, datetime_start, datetime_complete, duration,
/// params_&lt;name&gt;, user_attrs_&lt;name&gt;, state) and its value formats, so pandas code written for Optuna reads them.
/// </summary>
public static class TrialsCsv
{
    public const string TrialsFile = "trials.csv", PendingFile = "pending.csv";

    public static void Write(StudyState state, string studyDirectory)
    {
        Directory.CreateDirectory(studyDirectory);
        WriteAtomically(Path.Combine(studyDirectory, TrialsFile), Table(state.Trials.Where(t => t.State != StudyState.Pending).ToList()));
        WriteAtomically(Path.Combine(studyDirectory, PendingFile), Table(state.Trials.Where(t => t.State == StudyState.Pending).ToList()));
    }

    public static string Table(IReadOnlyList<TrialSnapshot> trials)
    {
        var paramNames = trials.SelectMany(t => t.Params.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var attrNames = trials.SelectMany(t => UserAttributes(t).Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        var header = new List<string> { "number", "value", "datetime_start", "datetime_complete", "duration" };
        header.AddRange(paramNames.Select(n => "params_" + n));
        header.AddRange(attrNames.Select(n => "user_attrs_" + n));
        header.Add("state");
        sb.AppendJoin(',', header.Select(Quote)).Append('\n');
        foreach (var t in trials)
        {
            var attrs = UserAttributes(t);
            var row = new List<string>
            {
                t.Number.ToString(CultureInfo.InvariantCulture),
                t.Objective is { } v ? Number(v) : "",
                Time(t.AskedUtc),
                t.FinishedUtc is { } f ? Time(f) : "",
                t.FinishedUtc is { } g ? Duration(g - t.AskedUtc) : "",
            };
            row.AddRange(paramNames.Select(n => t.Params.TryGetValue(n, out var p) ? Value(p) : ""));
            row.AddRange(attrNames.Select(n => attrs.GetValueOrDefault(n, "")));
            row.Add(OptunaState(t.State));
            sb.AppendJoin(',', row.Select(Quote)).Append('\n');
        }
        return sb.ToString();
    }

    private static Dictionary<string, string> UserAttributes(TrialSnapshot t)
    {
        var a = new Dictionary<string, string>(StringComparer.Ordinal) { ["rid"] = t.Rid, ["attempt"] = t.Attempt.ToString(CultureInfo.InvariantCulture) };
        if (t.RunStatus is { } s) a["run_status"] = s;
        if (t.Reason is { } r) a["reason"] = r;
        // The version the objective was computed against: a stale trial keeps the one of its old score.
        int scoredAgainst = t.Stale ? t.ScoredReferenceVersion : t.ReferenceVersion;
        if (scoredAgainst > 0) a["reference_version"] = scoredAgainst.ToString(CultureInfo.InvariantCulture);
        if (t.Stale) a["stale"] = "True"; // the objective is from an older reference: the run's draws were not kept
        foreach (var (k, v) in t.Summary ?? new Dictionary<string, double>()) a[k] = Number(v);
        return a;
    }

    private static string OptunaState(string state) => state switch
    {
        StudyState.Complete => "COMPLETE",
        StudyState.Failed => "FAIL",
        StudyState.Pruned => "PRUNED",
        _ => "RUNNING",
    };

    private static string Value(object v) => v switch
    {
        double d => Number(d),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    private static string Number(double v) => double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture);

    // pandas' default text forms of a Timestamp and a Timedelta, as trials_dataframe().to_csv() writes them.
    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan d) =>
        $"{d.Days} days {d.Hours:00}:{d.Minutes:00}:{d.Seconds:00}.{d.Ticks % TimeSpan.TicksPerSecond / 10:000000}";

    private static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";

    private static void WriteAtomically(string path, string text)
    {
        var tmp = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }
}
