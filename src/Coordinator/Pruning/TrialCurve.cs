namespace SamplerTune.Coordinator.Pruning;

/// <summary>
/// A trial's provisional objectives as its run reported them: (elapsed fraction of the budget, objective) in the order
/// reported, fractions increasing. <see cref="Completed"/>: the trial ended normally (its curve is a full one).
/// </summary>
public sealed record TrialCurve(int Number, bool Completed, IReadOnlyList<(double Fraction, double Value)> Points)
{
    /// <summary>The value reported last at or before <paramref name="fraction"/> (what the run had by then), or null.</summary>
    public double? ValueAt(double fraction)
    {
        double? v = null;
        foreach (var (f, value) in Points)
        {
            if (f > fraction) break;
            v = value;
        }
        return v;
    }

    /// <summary>The first value reported at or past <paramref name="fraction"/>: the trial's value at a rung it reached.</summary>
    public double? FirstValueFrom(double fraction)
    {
        foreach (var (f, value) in Points)
            if (f >= fraction) return value;
        return null;
    }

    public (double Fraction, double Value)? Last => Points.Count == 0 ? null : Points[^1];
}

/// <summary>Decides from the curves whether a running trial is hopeless. Pure: the same curves give the same answer.</summary>
public interface IPruner
{
    /// <param name="trial">the running trial, with its report just added.</param>
    /// <param name="others">every other trial of the study that reported anything (running, completed or pruned).</param>
    bool ShouldPrune(TrialCurve trial, IReadOnlyList<TrialCurve> others);
}

/// <summary>Lower is better; NaN is the worst value.</summary>
internal static class Objective
{
    public static double Ordered(double v) => double.IsNaN(v) ? double.PositiveInfinity : v;
}
