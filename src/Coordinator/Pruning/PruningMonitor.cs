namespace SamplerTune.Coordinator.Pruning;

/// <summary>
/// A study's provisional-objective curves and its pruner, fed with the progress reports of its runs. Akka-free: the
/// StudyActor calls <see cref="Report"/> for each progress message and prunes when it answers true.
/// After a coordinator restart the StudyActor <see cref="Restore"/>s each trial's curve from its run's provisional.csv.
/// </summary>
public sealed class PruningMonitor(IPruner pruner)
{
    private readonly Dictionary<int, List<(double Fraction, double Value)>> _points = new();
    private readonly HashSet<int> _completed = new();

    /// <summary>
    /// Records trial <paramref name="number"/>'s provisional objective at <paramref name="elapsedSec"/> of
    /// <paramref name="budgetSec"/>, and says whether to prune it. A report repeating the last value (progress between two
    /// checkpoints) adds no point and prunes nothing.
    /// </summary>
    public bool Report(int number, double elapsedSec, double budgetSec, double? provisionalObjective) =>
        Record(number, elapsedSec, budgetSec, provisionalObjective)
        && pruner.ShouldPrune(Curve(number), _points.Keys.Where(n => n != number).Select(Curve).ToList());

    /// <summary>Rebuilds a trial's curve as its run wrote it (after a restart), without any pruning decision.</summary>
    public void Restore(int number, bool completed, IEnumerable<(double ElapsedSec, double BudgetSec, double Objective)> curve)
    {
        foreach (var (elapsed, budget, value) in curve) Record(number, elapsed, budget, value);
        if (completed) Completed(number);
    }

    private bool Record(int number, double elapsedSec, double budgetSec, double? provisionalObjective)
    {
        if (provisionalObjective is not { } value || !(budgetSec > 0) || _completed.Contains(number)) return false;
        var points = _points.TryGetValue(number, out var p) ? p : _points[number] = new();
        if (points.Count > 0 && points[^1].Value.Equals(value)) return false;
        double fraction = Math.Clamp(elapsedSec / budgetSec, 0, 1);
        if (points.Count > 0 && fraction < points[^1].Fraction) fraction = points[^1].Fraction; // resumed runs never go back in time
        points.Add((fraction, value));
        return true;
    }

    /// <summary>The trial ended normally: its curve now counts as a completed one.</summary>
    public void Completed(int number) => _completed.Add(number);

    /// <summary>The trial ended without a full curve (pruned, failed): its curve stays for ASHA's rungs but never counts as completed.</summary>
    public void Ended(int number) => _completed.Remove(number);

    public TrialCurve Curve(int number) => new(number, _completed.Contains(number), _points.TryGetValue(number, out var p) ? p.ToList() : []);
}
