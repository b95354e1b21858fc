namespace SamplerTune.Coordinator.Pruning;

/// <summary>
/// Optuna's MedianPruner (PercentilePruner at 50, minimizing): after <c>startupTrials</c> completed trials and past
/// <c>warmupFraction</c> of its budget, a run is pruned when its best provisional objective so far is worse than the
/// median of the completed trials' provisional objectives at the same elapsed fraction of their budgets (each
/// completed trial's value is the one it had reported by then; trials that had reported nothing by then do not count).
/// </summary>
public sealed class MedianPruner(int startupTrials, double warmupFraction) : IPruner
{
    public bool ShouldPrune(TrialCurve trial, IReadOnlyList<TrialCurve> others)
    {
        if (trial.Last is not var (fraction, _)) return false;
        if (fraction < warmupFraction) return false;
        var completed = others.Where(o => o.Completed && o.Number != trial.Number).ToList();
        if (completed.Count < startupTrials || completed.Count == 0) return false;
        var atSameFraction = completed.Select(o => o.ValueAt(fraction)).OfType<double>().Select(Objective.Ordered).ToList();
        if (atSameFraction.Count == 0) return false;
        double best = trial.Points.Min(p => Objective.Ordered(p.Value));
        return best > Median(atSameFraction);
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var s = values.Order().ToArray();
        int n = s.Length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
