namespace SamplerTune.Coordinator.Optimization;

/// <summary>
/// A history in internal coordinates, in trial order: the rows the models read. Failed trials (infrastructure
/// failures) and trials whose values lie outside the current space are left out; pending ones stay (the
/// samplers decide how to treat them: constant liar, kriging believer).
/// Stored by column (one array per parameter, grown by doubling): TPE reads one parameter of every row, and a
/// long history is re-encoded at every ask without one array per trial.
/// </summary>
internal sealed class EncodedHistory
{
    private readonly double[][] _columns;
    public readonly List<TrialState> States = [];
    public readonly List<double?> Values = [];
    public readonly int Dimension;

    private EncodedHistory(int dimension, int capacity)
    {
        Dimension = dimension;
        _columns = new double[dimension][];
        for (int j = 0; j < dimension; j++) _columns[j] = new double[Math.Max(capacity, 4)];
    }

    public int Count => States.Count;

    /// <summary>Completed trials: the observations that count towards start-up and the split.</summary>
    public int CompletedOrPruned { get; private set; }

    /// <summary>Coordinate <paramref name="j"/> of every row, in trial order.</summary>
    public ReadOnlySpan<double> Column(int j) => _columns[j].AsSpan(0, Count);

    /// <summary>A copy of row <paramref name="i"/>.</summary>
    public double[] Row(int i)
    {
        var x = new double[Dimension];
        for (int j = 0; j < Dimension; j++) x[j] = _columns[j][i];
        return x;
    }

    public static EncodedHistory From(SearchSpace space, IReadOnlyList<Trial> history)
    {
        var h = new EncodedHistory(space.Tunable.Count, history.Count);
        IEnumerable<Trial> ordered = IsOrdered(history) ? history : history.OrderBy(t => t.Number);
        var x = new double[h.Dimension];
        foreach (var t in ordered)
        {
            if (t.State == TrialState.Failed) continue;
            if (t.State == TrialState.Complete && t.Objective is null) continue;
            if (!space.TryEncode(t.Params, x)) continue;
            h.Add(x, t.State, t.State == TrialState.Complete ? t.ObservedValue : t.Objective);
        }
        return h;
    }

    public void Add(ReadOnlySpan<double> x, TrialState state, double? value)
    {
        int row = Count;
        for (int j = 0; j < Dimension; j++)
        {
            if (row == _columns[j].Length) Array.Resize(ref _columns[j], 2 * row);
            _columns[j][row] = x[j];
        }
        States.Add(state); Values.Add(value);
        if (state is TrialState.Complete or TrialState.Pruned) CompletedOrPruned++;
    }

    private static bool IsOrdered(IReadOnlyList<Trial> history)
    {
        for (int i = 1; i < history.Count; i++) if (history[i].Number < history[i - 1].Number) return false;
        return true;
    }
}
