namespace SamplerTune.Coordinator.Optimization;

/// <summary>
/// TPE's split of the history into the best gamma(n) observations (below, for l) and the rest (above, for g), both in
/// trial order, as Optuna 3.1's _get_observation_pairs + _split_observation_pairs: rows rank by (state rank, value),
/// ties by trial order (a stable sort). Completed trials rank first; a pruned one by its last value (Optuna's
/// (-step, value) with no step kept here, so 0) or last of all without a value; with the constant liar a pending
/// trial ranks worst; without it pending trials are in neither set.
/// Only the best gamma(n) <= 25 are needed in order, so a running selection replaces the full sort (O(n) per split).
/// </summary>
internal sealed class ObservationSplit
{
    public readonly List<int> Below = [], Above = [];
    private readonly List<(double Rank, double Value, int Index)> _best = [];
    private bool[] _isBelow = [];

    public void Run(EncodedHistory h, int nBelow, bool constantLiar)
    {
        _best.Clear();
        for (int i = 0; i < h.Count; i++)
            if (Key(h, i, constantLiar) is { } key) Offer((key.Rank, key.Value, i), nBelow);

        ParzenEstimator.Grow(ref _isBelow, h.Count);
        Array.Clear(_isBelow, 0, h.Count);
        Below.Clear();
        foreach (var b in _best) { Below.Add(b.Index); _isBelow[b.Index] = true; }
        Below.Sort();
        Above.Clear();
        for (int i = 0; i < h.Count; i++)
            if (!_isBelow[i] && Key(h, i, constantLiar) is not null) Above.Add(i);
    }

    private static (double Rank, double Value)? Key(EncodedHistory h, int i, bool constantLiar) => h.States[i] switch
    {
        TrialState.Complete => (double.NegativeInfinity, h.Values[i]!.Value),
        TrialState.Pruned => h.Values[i] is { } v ? (0, double.IsNaN(v) ? double.PositiveInfinity : v) : (1, 0),
        TrialState.Pending when constantLiar => (double.PositiveInfinity, double.PositiveInfinity),
        _ => null,
    };

    /// <summary>Keeps the <paramref name="capacity"/> smallest rows seen, sorted; a row equal to a kept one goes after it (stability).</summary>
    private void Offer((double Rank, double Value, int Index) row, int capacity)
    {
        if (capacity == 0) return;
        if (_best.Count == capacity && !Less(row, _best[^1])) return;
        int at = _best.Count;
        while (at > 0 && Less(row, _best[at - 1])) at--;
        if (_best.Count == capacity) _best.RemoveAt(capacity - 1);
        _best.Insert(at, row);
    }

    private static bool Less((double Rank, double Value, int) a, (double Rank, double Value, int) b) =>
        a.Rank < b.Rank || (a.Rank == b.Rank && a.Value < b.Value);
}
