using System.Collections.Immutable;
using SamplerTune.Coordinator.Studies;

namespace SamplerTune.Coordinator.Reports;

/// <summary>
/// How a study's told trials ended: the run statuses of completed trials, plus pruned and failed trials; and how many
/// completed trials are stale (kept a score from an older reference because their draws were not stored).
/// </summary>
public sealed record StatusCounts(int Complete, int BudgetExhausted, int Diverged, int Pruned, int Failed, int Pending, int Stale = 0)
{
    public static StatusCounts Of(StudyState s) => new(
        s.Trials.Count(t => t.State == StudyState.Complete && t.RunStatus is "complete" or null),
        s.Trials.Count(t => t.State == StudyState.Complete && t.RunStatus == "budget_exhausted"),
        s.Trials.Count(t => t.State == StudyState.Complete && t.RunStatus == "diverged"),
        s.Trials.Count(t => t.State == StudyState.Pruned),
        s.Trials.Count(t => t.State == StudyState.Failed),
        s.Trials.Count(t => t.State == StudyState.Pending),
        s.StaleCount);

    public int Done => Complete + BudgetExhausted + Diverged + Pruned + Failed;

    /// <summary>Non-zero counts only, e.g. "5 complete, 2 pruned".</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        void Add(int n, string what) { if (n > 0) parts.Add($"{n} {what}"); }
        Add(Complete, "complete");
        Add(BudgetExhausted, "budget exhausted");
        Add(Diverged, "diverged");
        Add(Pruned, "pruned");
        Add(Failed, "failed");
        Add(Pending, "pending");
        Add(Stale, "stale (scored against an older reference)");
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }
}

/// <summary>One method's line on a problem's leaderboard: its best completed trial and how its trials ended.</summary>
public sealed record LeaderboardRow(string Study, string Method, int? BestTrial, double? BestObjective, string? BestRid,
    IReadOnlyDictionary<string, object> BestParams, double? RuntimeSec, double? GradEvals, IReadOnlyDictionary<string, double> Components,
    StatusCounts Counts, int TrialBudget);

/// <summary>All methods tuned on one problem, best first (methods without a completed trial last).</summary>
public sealed record ProblemLeaderboard(string Pid, string Family, IReadOnlyList<LeaderboardRow> Rows);

/// <summary>
/// The report's numbers, from the journal alone (each told trial carries its run's summary: mmd, errors, runtime,
/// gradient evaluations), so the leaderboard and the curves need no run folder.
/// </summary>
public static class Leaderboard
{
    public static IReadOnlyList<ProblemLeaderboard> Build(IEnumerable<StudyState> studies) =>
        studies.Where(s => s.Created is not null)
            .GroupBy(s => s.Created!.Pid)
            .OrderBy(g => g.First().Created!.Family, StringComparer.Ordinal).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ProblemLeaderboard(g.Key, g.First().Created!.Family, g.Select(Row)
                .OrderBy(r => r.BestObjective ?? double.PositiveInfinity).ThenBy(r => r.Method, StringComparer.Ordinal).ToList()))
            .ToList();

    public static LeaderboardRow Row(StudyState s)
    {
        var best = s.Best;
        var summary = best?.Summary ?? ImmutableDictionary<string, double>.Empty;
        var components = summary.Where(kv => kv.Key is "mmd" or "mean_error_l2" or "cov_error_fro").ToDictionary(kv => kv.Key, kv => kv.Value);
        return new LeaderboardRow(s.Created!.Study, s.Created.Method, best?.Number, best?.Objective, best?.Rid,
            best?.Params ?? ImmutableDictionary<string, object>.Empty,
            summary.TryGetValue("runtime_sec", out var rt) ? rt : null, summary.TryGetValue("grad_evals", out var ge) ? ge : null,
            components, StatusCounts.Of(s), s.Created.TrialBudget);
    }

    /// <summary>
    /// The best objective among completed trials numbered up to each trial, for the convergence plot: (trial number,
    /// best so far) at every completed trial (pruned, failed and pending trials do not move it), and at the last
    /// finished trial, so the curve spans the trials spent even when the last ones were pruned. NaN counts as worst.
    /// </summary>
    public static IReadOnlyList<(int Trial, double Best)> BestSoFar(StudyState s)
    {
        var points = new List<(int Trial, double Best)>();
        double best = double.PositiveInfinity;
        int lastFinished = -1;
        foreach (var t in s.Trials.OrderBy(t => t.Number))
        {
            if (t.State != StudyState.Pending) lastFinished = t.Number;
            if (t.State != StudyState.Complete || t.Objective is not { } v) continue;
            if (!double.IsNaN(v) && v < best) best = v;
            if (double.IsFinite(best)) points.Add((t.Number, best));
        }
        if (points.Count > 0 && lastFinished > points[^1].Trial) points.Add((lastFinished, best));
        return points;
    }
}
