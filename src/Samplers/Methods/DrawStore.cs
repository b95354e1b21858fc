using SamplerTune.Samplers.Artifacts;

namespace SamplerTune.Samplers.Methods;

/// <summary>
/// Keeps at most <c>capacity</c> draws of a run of unknown length: every <c>thin</c>-th draw is
/// stored, and when the store is full every other stored draw is dropped and the thinning
/// doubles, so the kept draws stay evenly spaced over the whole run (memory stays bounded
/// for a 100-minute budget). Burn-in is applied when reading: the first fraction of the
/// stored draws is left out.
/// </summary>
public sealed class DrawStore
{
    private readonly int _dimension;
    private readonly int _capacity;
    private double[] _draws;
    private int _count;
    private long _offered;

    public DrawStore(int dimension, int capacity, int thin = 1)
    {
        if (capacity < 2) throw new ArgumentOutOfRangeException(nameof(capacity), "capacity must be at least 2");
        if (thin < 1) throw new ArgumentOutOfRangeException(nameof(thin), "thinning must be at least 1");
        _dimension = dimension; _capacity = capacity; Thin = thin;
        _draws = new double[(long)capacity * dimension > 1 << 20 ? 1024 * dimension : capacity * dimension];
    }

    public int Thin { get; private set; }
    public int Count => _count;
    public long Offered => _offered;

    /// <summary>Offers the next draw; it is copied when it falls on the thinning grid.</summary>
    public void Add(ReadOnlySpan<double> draw)
    {
        if (_offered++ % Thin != 0) return;
        if (_count == _capacity)
        {
            for (int i = 1; i < _count / 2 + _count % 2; i++)
                Array.Copy(_draws, 2 * i * _dimension, _draws, i * _dimension, _dimension);
            _count = _count / 2 + _count % 2;
            Thin *= 2;
            if ((_offered - 1) % Thin != 0) return;
        }
        if ((_count + 1) * _dimension > _draws.Length)
            Array.Resize(ref _draws, Math.Min(_capacity * _dimension, 2 * _draws.Length));
        draw.CopyTo(_draws.AsSpan(_count * _dimension, _dimension));
        _count++;
    }

    /// <summary>The stored draws after leaving out the first <paramref name="burnInFraction"/>, as one chain.</summary>
    public ChainDraws ToChainDraws(IReadOnlyList<string> names, double burnInFraction = 0)
    {
        int skip = (int)Math.Floor(Math.Clamp(burnInFraction, 0, 1) * _count);
        var kept = _draws.AsSpan(skip * _dimension, (_count - skip) * _dimension).ToArray();
        return new ChainDraws(names, [kept], new Dictionary<string, IReadOnlyList<double[]>>());
    }

    /// <summary>Plain data for a checkpoint.</summary>
    public (double[] Draws, int Count, long Offered, int Thin) Save() => (_draws.AsSpan(0, _count * _dimension).ToArray(), _count, _offered, Thin);

    public static DrawStore Restore(int dimension, int capacity, double[] draws, int count, long offered, int thin)
    {
        var store = new DrawStore(dimension, capacity, thin) { _count = count, _offered = offered };
        if (store._draws.Length < draws.Length) store._draws = new double[Math.Max(draws.Length, store._draws.Length)];
        draws.CopyTo(store._draws, 0);
        return store;
    }
}
