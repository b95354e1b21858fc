namespace SamplerTune.Coordinator.Optimization;

/// <summary>
/// A history in internal coordinates, in trial order: the rows the models read. Failed trials (infrastructure
/// failures) and trials whose values lie outside the current space are left out; pending ones stay (the
/// samplers decide how to treat them: constant liar, kriging believer).
/// </summary>
internal sealed class EncodedHistory
{
    public readonly List<double[]> X = [];
    public readonly List<TrialState> States = [];
    public readonly List<double?> Values = [];
    public readonly int Dimension;

    private EncodedHistory(int dimension) => Dimension = dimension;

    public int Count => X.Count;

    /// <summary>Completed trials: the observations that count towards start-up and the split.</summary>
    public int CompletedOrPruned { get; private set; }

    public static EncodedHistory From(SearchSpace space, IReadOnlyList<Trial> history)
    {
        var h = new EncodedHistory(space.Tunable.Count);
        IEnumerable<Trial> ordered = IsOrdered(history) ? history : history.OrderBy(t => t.Number);
        foreach (var t in ordered)
        {
            if (t.State == TrialState.Failed) continue;
            if (t.State == TrialState.Complete && t.Objective is null) continue;
            var x = new double[h.Dimension];
            if (!space.TryEncode(t.Params, x)) continue;
            h.Add(x, t.State, t.State == TrialState.Complete ? t.ObservedValue : t.Objective);
        }
        return h;
    }

    public void Add(double[] x, TrialState state, double? value)
    {
        X.Add(x); States.Add(state); Values.Add(value);
        if (state is TrialState.Complete or TrialState.Pruned) CompletedOrPruned++;
    }

    private static bool IsOrdered(IReadOnlyList<Trial> history)
    {
        for (int i = 1; i < history.Count; i++) if (history[i].Number < history[i - 1].Number) return false;
        return true;
    }
}
