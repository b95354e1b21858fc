using System.Numerics;
using System.Runtime.InteropServices;

namespace SamplerTune.Samplers.Common;

/// <summary>Small SIMD kernels on spans; they allocate nothing and are the hot path of every data model.</summary>
public static class DenseMath
{
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = a.Length, i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && n >= 2 * Vector<double>.Count)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b[..a.Length]);
            var acc0 = Vector<double>.Zero;
            var acc1 = Vector<double>.Zero;
            int k = 0;
            for (; k + 1 < va.Length; k += 2) { acc0 += va[k] * vb[k]; acc1 += va[k + 1] * vb[k + 1]; }
            if (k < va.Length) acc0 += va[k] * vb[k];
            sum = Vector.Sum(acc0 + acc1);
            i = va.Length * Vector<double>.Count;
        }
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>y += alpha * x.</summary>
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y[..n]);
            var va = new Vector<double>(alpha);
            for (int k = 0; k < vx.Length; k++) vy[k] += va * vx[k];
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < n; i++) y[i] += alpha * x[i];
    }

    /// <summary>out = M x for a row-major rows x cols matrix.</summary>
    public static void MatVec(ReadOnlySpan<double> m, int rows, int cols, ReadOnlySpan<double> x, Span<double> result)
    {
        for (int r = 0; r < rows; r++) result[r] = Dot(m.Slice(r * cols, cols), x);
    }

    /// <summary>result = M^T v for a row-major rows x cols matrix (result is overwritten).</summary>
    public static void MatTVec(ReadOnlySpan<double> m, int rows, int cols, ReadOnlySpan<double> v, Span<double> result)
    {
        result[..cols].Clear();
        for (int r = 0; r < rows; r++) Axpy(v[r], m.Slice(r * cols, cols), result);
    }

    public static double SquaredNorm(ReadOnlySpan<double> a) => Dot(a, a);
}
