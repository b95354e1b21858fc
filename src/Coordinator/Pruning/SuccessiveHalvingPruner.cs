namespace SamplerTune.Coordinator.Pruning;

/// <summary>
/// Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter Tuning", MLSys 2020;
/// as Optuna's SuccessiveHalvingPruner with bootstrap_count 0). Rungs sit at fractions minFraction * factor^k of the
/// budget. When a run reaches a rung, its value there is ranked among the values every trial of the study had when it
/// reached that rung (running, completed and pruned ones alike); it goes on only if it is within the best
/// floor(n / factor) of them (the first to reach a rung always goes on). Decided once per rung, at the first report past it.
/// </summary>
public sealed class SuccessiveHalvingPruner(double minFraction, int reductionFactor) : IPruner
{
    public IEnumerable<double> Rungs()
    {
        for (double r = minFraction; r < 1; r *= reductionFactor) yield return r;
    }

    public bool ShouldPrune(TrialCurve trial, IReadOnlyList<TrialCurve> others)
    {
        if (trial.Last is not var (fraction, _)) return false;
        // The highest rung this report reached, decided only if the previous report had not reached it already.
        var reached = Rungs().Where(r => r <= fraction).ToList();
        if (reached.Count == 0) return false;
        double rung = reached[^1];
        if (trial.Points.Count > 1 && trial.Points[^2].Fraction >= rung) return false;
        double mine = Objective.Ordered(trial.Points[^1].Value);
        var competing = others.Where(o => o.Number != trial.Number).Select(o => o.FirstValueFrom(rung)).OfType<double>()
            .Select(Objective.Ordered).Append(mine).Order().ToList();
        int promotable = Math.Max(competing.Count / reductionFactor - 1, 0);
        return mine > competing[promotable];
    }
}
