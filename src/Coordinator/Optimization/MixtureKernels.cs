using System.Runtime.Intrinsics;
using SamplerTune.Samplers.Common;

namespace SamplerTune.Coordinator.Optimization;

/// <summary>
/// The kernels of one dimension of a <see cref="ParzenEstimator"/>, one per mixture component (the observations, then
/// the prior): truncated normals (Optuna 3.1's _calculate_numerical_params) or smoothed counts
/// (_calculate_categorical_params). Buffers are reused across refits.
/// </summary>
internal sealed class MixtureKernels
{
    private int _components;
    private double[] _mus = [], _sigmas = [], _logAccept = [], _inverseSigmas = [], _logPdfConstants = [];
    private double[] _categoricalProbs = [], _categoricalLogProbs = [];

    public void FitNumeric(ParzenEstimator.Dimension d, ReadOnlySpan<double> column, double? sigma0, double[] sortKeys, int[] order)
    {
        var (low, high) = (d.Low, d.High);
        int n = column.Length, m = n + 1;
        _components = m;
        ParzenEstimator.Grow(ref _mus, m); ParzenEstimator.Grow(ref _sigmas, m); ParzenEstimator.Grow(ref _logAccept, m);
        ParzenEstimator.Grow(ref _inverseSigmas, m); ParzenEstimator.Grow(ref _logPdfConstants, m);
        var (mus, sigmas) = (_mus, _sigmas);
        column.CopyTo(mus);
        mus[n] = 0.5 * (low + high);
        if (sigma0 is { } s0) sigmas.AsSpan(0, m).Fill(s0 * (high - low));
        else
        {
            // Bandwidth = the larger gap to a sorted neighbour, the range ends acting as neighbours; with
            // consider_endpoints = false the outermost points use their inner gap only.
            var keys = sortKeys.AsSpan(0, m);
            mus.AsSpan(0, m).CopyTo(keys);
            for (int i = 0; i < m; i++) order[i] = i;
            keys.Sort(order.AsSpan(0, m));
            for (int i = 0; i < m; i++)
            {
                double left = i == 0 ? low : keys[i - 1], right = i == m - 1 ? high : keys[i + 1];
                double gap = m >= 2 && i == 0 ? keys[1] - keys[0]
                    : m >= 2 && i == m - 1 ? keys[m - 1] - keys[m - 2]
                    : Math.Max(keys[i] - left, right - keys[i]);
                sigmas[order[i]] = gap;
            }
        }
        // Magic clip (Bergstra et al. 2011's hyperopt): no kernel narrower than range / min(100, 1 + components).
        double maxSigma = high - low, minSigma = (high - low) / Math.Min(100.0, 1.0 + m);
        for (int k = 0; k < m; k++) sigmas[k] = Math.Clamp(sigmas[k], minSigma, maxSigma);
        sigmas[n] = high - low; // the prior: centred, as wide as the range

        for (int k = 0; k < m; k++)
        {
            _logAccept[k] = TruncatedNormal.LogGaussMass((low - mus[k]) / sigmas[k], (high - mus[k]) / sigmas[k]);
            _inverseSigmas[k] = 1 / sigmas[k];
            _logPdfConstants[k] = TruncatedNormal.LogSqrt2Pi + _logAccept[k] + Math.Log(sigmas[k]);
        }
    }

    public void FitCategorical(int choices, ReadOnlySpan<double> column, double priorWeight)
    {
        int n = column.Length, m = n + 1;
        _components = m;
        ParzenEstimator.Grow(ref _categoricalProbs, m * choices); ParzenEstimator.Grow(ref _categoricalLogProbs, m * choices);
        var probs = _categoricalProbs.AsSpan(0, m * choices);
        probs.Fill(priorWeight / (n + 1));
        for (int i = 0; i < n; i++) probs[i * choices + (int)column[i]] += 1;
        for (int k = 0; k < m; k++)
        {
            var row = probs.Slice(k * choices, choices);
            double s = 0;
            foreach (double v in row) s += v;
            for (int c = 0; c < choices; c++)
            {
                row[c] /= s;
                _categoricalLogProbs[k * choices + c] = Math.Log(row[c]);
            }
        }
    }

    /// <summary>A draw from component <paramref name="k"/>'s kernel.</summary>
    public double Sample(ParzenEstimator.Dimension d, int k, Rng rng)
    {
        if (!d.IsCategorical) return TruncatedNormal.Sample(rng, _mus[k], _sigmas[k], d.Low, d.High);
        double u = rng.NextDouble(), cum = 0;
        int c = 0;
        // Optuna counts the choices whose cumulative probability stays below u.
        for (; c < d.Choices - 1; c++) { cum += _categoricalProbs[k * d.Choices + c]; if (cum >= u) break; }
        return c;
    }

    /// <summary>into[k] = from[k] + log kernel_k(x) for every component k (from and into may be the same span).</summary>
    public void LogPdf(ParzenEstimator.Dimension d, double x, ReadOnlySpan<double> from, Span<double> into)
    {
        if (d.IsCategorical)
        {
            int c = (int)x;
            for (int k = 0; k < _components; k++) into[k] = from[k] + _categoricalLogProbs[k * d.Choices + c];
        }
        else if (d.Q > 0)
        {
            // An integer's mass is its step's slice of the truncated normal.
            double lb = Math.Max(x - d.Q / 2, d.Low), ub = Math.Min(x + d.Q / 2, d.High);
            for (int k = 0; k < _components; k++)
                into[k] = from[k] + (TruncatedNormal.LogGaussMass((lb - _mus[k]) / _sigmas[k], (ub - _mus[k]) / _sigmas[k]) - _logAccept[k]);
        }
        else AddTruncatedNormalLogPdf(x, from, into);
    }

    // This loop and LogSumExp are the cost of TPE's ask (candidates x components per parameter); they run on whole
    // SIMD registers, the same arithmetic as TruncatedNormal.LogPdf: -z^2/2 - log sqrt(2 pi) - log Z - log sigma.
    private void AddTruncatedNormalLogPdf(double x, ReadOnlySpan<double> from, Span<double> into)
    {
        int n = _components, k = 0;
        var mus = _mus.AsSpan(0, n);
        var inverseSigmas = _inverseSigmas.AsSpan(0, n);
        var constants = _logPdfConstants.AsSpan(0, n);
        if (Vector256.IsHardwareAccelerated)
        {
            var vx = Vector256.Create(x);
            var half = Vector256.Create(0.5);
            for (; k <= n - Vector256<double>.Count; k += Vector256<double>.Count)
            {
                var z = (vx - Vector256.Create(mus.Slice(k))) * Vector256.Create(inverseSigmas.Slice(k));
                (Vector256.Create(from.Slice(k)) - half * z * z - Vector256.Create(constants.Slice(k))).CopyTo(into.Slice(k));
            }
        }
        for (; k < n; k++)
        {
            double z = (x - mus[k]) * inverseSigmas[k];
            into[k] = from[k] + (-0.5 * z * z - constants[k]);
        }
    }

    private const double NegligibleExponent = -700;

    /// <summary>log sum exp(values), shifted by the maximum so no term overflows.</summary>
    public static double LogSumExp(ReadOnlySpan<double> values)
    {
        int n = values.Length, k = 0;
        double max = double.NegativeInfinity;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            var vmax = Vector256.Create(double.NegativeInfinity);
            for (; k <= n - Vector256<double>.Count; k += Vector256<double>.Count) vmax = Vector256.Max(vmax, Vector256.Create(values.Slice(k)));
            for (int i = 0; i < Vector256<double>.Count; i++) max = Math.Max(max, vmax[i]);
        }
        for (; k < n; k++) max = Math.Max(max, values[k]);
        if (double.IsNegativeInfinity(max)) return max;
        k = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // Vector256.Exp leaves its vector path for the whole register when a lane is below about -708 (far
            // components of narrow kernels, the common case); such a term, like e^-700, cannot change a sum that
            // holds the maximum's own e^0 = 1, so lanes are floored there and the result is the same to the bit.
            var shift = Vector256.Create(max);
            var floor = Vector256.Create(NegligibleExponent);
            var vsum = Vector256<double>.Zero;
            for (; k <= n - Vector256<double>.Count; k += Vector256<double>.Count)
                vsum += Vector256.Exp(Vector256.Max(Vector256.Create(values.Slice(k)) - shift, floor));
            sum = Vector256.Sum(vsum);
        }
        for (; k < n; k++) sum += Math.Exp(values[k] - max);
        return max + Math.Log(sum);
    }
}
