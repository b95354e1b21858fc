using System.Globalization;
using System.Text;

namespace SamplerTune.Coordinator.Reports;

/// <summary>The leaderboard as plain text ('report --console') and the cell texts the HTML table shares.</summary>
public static class LeaderboardText
{
    public static string Objective(double? v) => v is { } x ? x.ToString("G4", CultureInfo.InvariantCulture) : "-";

    public static string Seconds(double? v) => v is { } x ? x.ToString("0.###", CultureInfo.InvariantCulture) : "-";

    public static string Count(double? v) => v is { } x ? x.ToString("N0", CultureInfo.InvariantCulture) : "-";

    public static string Params(IReadOnlyDictionary<string, object> p) =>
        p.Count == 0 ? "-" : string.Join(", ", p.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={Value(kv.Value)}"));

    public static string Value(object v) => v is double d ? d.ToString("G4", CultureInfo.InvariantCulture) : Convert.ToString(v, CultureInfo.InvariantCulture)!;

    /// <summary>One table per problem: method, best objective, its trial, runtime, gradient evaluations, trial outcomes, hyperparameters.</summary>
    public static string Format(IReadOnlyList<ProblemLeaderboard> boards)
    {
        var sb = new StringBuilder();
        string[] header = ["method", "best", "trial", "runtime_s", "grad_evals", "trials", "hyperparameters"];
        foreach (var b in boards)
        {
            sb.Append(b.Family).Append(" (").Append(b.Pid).Append(")\n");
            var cells = b.Rows.Select(r => new[]
            {
                r.Method, Objective(r.BestObjective), r.BestTrial?.ToString(CultureInfo.InvariantCulture) ?? "-", Seconds(r.RuntimeSec),
                Count(r.GradEvals), $"{r.Counts.Done}/{r.TrialBudget}: {r.Counts}", Params(r.BestParams),
            }).ToList();
            var widths = header.Select((h, c) => cells.Select(row => row[c].Length).Append(h.Length).Max()).ToArray();
            bool[] right = [false, true, true, true, true, false, false];
            void Line(string[] row) => sb.Append("  ").AppendJoin("  ", row.Select((v, c) =>
                c == row.Length - 1 ? v : right[c] ? v.PadLeft(widths[c]) : v.PadRight(widths[c]))).Append('\n');
            Line(header);
            Line(widths.Select((w, c) => new string('-', c == widths.Length - 1 ? header[c].Length : w)).ToArray());
            foreach (var row in cells) Line(row);
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
