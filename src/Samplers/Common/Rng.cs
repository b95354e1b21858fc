namespace SamplerTune.Samplers.Common;

/// <summary>
/// xoshiro256** (Blackman &amp; Vigna 2018) with an explicit, serializable state, so a
/// checkpointed run resumes with exactly the stream it would have drawn. MathNet's
/// Xoshiro256StarStar hides its state, which is why this small generator is our own.
/// Seeds are expanded with SplitMix64 as the authors recommend.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpare;

    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    private Rng(ulong[] state) => Restore(state);

    /// <summary>A child generator for stream <paramref name="stream"/> (e.g. a chain index), independent of the parent's future draws.</summary>
    public static Rng ForStream(ulong seed, ulong stream) => new(seed * 0x9E3779B97F4A7C15UL ^ (stream + 0x632BE59BD9B4E019UL) * 0xBF58476D1CE4E5B9UL);

    public static Rng FromState(ulong[] state) => new(state);

    /// <summary>State words for a checkpoint: the four xoshiro words, then the cached spare normal (flag, bits), so a resumed stream is bit-identical.</summary>
    public ulong[] SaveState() => [_s0, _s1, _s2, _s3, _hasSpare ? 1UL : 0UL, BitConverter.DoubleToUInt64Bits(_spareNormal)];

    private void Restore(ulong[] state)
    {
        if (state.Length != 6) throw new ArgumentException("Rng state must have 6 words", nameof(state));
        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
        _hasSpare = state[4] != 0;
        _spareNormal = BitConverter.UInt64BitsToDouble(state[5]);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextULong()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform on (0, 1): safe to take the log of.</summary>
    public double NextOpenDouble() => ((NextULong() >> 12) + 0.5) * (1.0 / (1UL << 52));

    /// <summary>Uniform integer in [0, n) without modulo bias (Lemire 2019).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        ulong m = (ulong)(uint)n;
        while (true)
        {
            ulong r = NextULong() >> 32;
            ulong product = r * m;
            if ((uint)product >= (uint)((0x1_0000_0000UL - m) % m)) return (int)(product >> 32);
        }
    }

    /// <summary>Standard normal by the Marsaglia polar method.</summary>
    public double NextNormal()
    {
        if (_hasSpare) { _hasSpare = false; return _spareNormal; }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareNormal = v * f;
        _hasSpare = true;
        return u * f;
    }

    public void FillNormal(Span<double> z)
    {
        for (int i = 0; i < z.Length; i++) z[i] = NextNormal();
    }
}
