namespace SamplerTune.Samplers.Diagnostics;

/// <summary>
/// In-place iterative radix-2 complex FFT (Cooley-Tukey, bit-reversal permutation first).
/// Exact O(n log n) transform used for the autocovariance of chains; length must be a power of two.
/// </summary>
internal static class Fft
{
    /// <summary>Forward transform (sign -1) or unnormalized inverse (sign +1) of (re, im) in place.</summary>
    public static void Transform(double[] re, double[] im, int length, bool inverse)
    {
        if (length < 1 || (length & (length - 1)) != 0)
            throw new ArgumentException($"FFT length must be a power of two, got {length}", nameof(length));

        for (int i = 1, j = 0; i < length; i++)
        {
            int bit = length >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j |= bit;
            if (i < j)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }

        double sign = inverse ? 1.0 : -1.0;
        for (int size = 2; size <= length; size <<= 1)
        {
            int half = size >> 1;
            double step = sign * 2.0 * Math.PI / size;
            for (int k = 0; k < half; k++)
            {
                // Twiddles from sin/cos directly (not by recurrence) keep the rounding error at O(eps log n).
                double wr = Math.Cos(step * k), wi = Math.Sin(step * k);
                for (int start = k; start < length; start += size)
                {
                    int other = start + half;
                    double tr = wr * re[other] - wi * im[other];
                    double ti = wr * im[other] + wi * re[other];
                    re[other] = re[start] - tr;
                    im[other] = im[start] - ti;
                    re[start] += tr;
                    im[start] += ti;
                }
            }
        }
    }

    public static int NextPowerOfTwo(int n)
    {
        int p = 1;
        while (p < n) p <<= 1;
        return p;
    }
}
