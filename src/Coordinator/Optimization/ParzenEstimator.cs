using System.Numerics;
using System.Runtime.Intrinsics;
using SamplerTune.Samplers.Common;

namespace SamplerTune.Coordinator.Optimization;

/// <summary>
/// A weighted mixture over observations plus one prior component, one kernel per dimension: truncated normals for
/// numbers (discretized for integers), smoothed counts for categoricals. A port of Optuna 3.1's _ParzenEstimator
/// (optuna/samplers/_tpe/parzen_estimator.py): default_weights ramp, prior weight 1.0, magic-clip bandwidths,
/// consider_endpoints = false, Scott-rule bandwidths when multivariate.
/// </summary>
internal sealed class ParzenEstimator
{
    private const double Sigma0Magnitude = 0.2;

    /// <summary>One dimension in Optuna's "uniform" coordinates: bounds widened by half a step for linear integers (Q = 1).</summary>
    public readonly record struct Dimension(double Low, double High, double Q, int Choices)
    {
        public bool IsCategorical => Choices > 0;

        public static Dimension Of(Parameter p) => p switch
        {
            FloatParameter f => new(f.InternalLow, f.InternalHigh, 0, 0),
            IntParameter { Log: true } i => new(Math.Log(i.Low - 0.5), Math.Log(i.High + 0.5), 0, 0),
            IntParameter i => new(i.Low - 0.5, i.High + 0.5, 1, 0),
            CategoricalParameter c => new(0, 0, 0, c.Choices.Count),
            _ => throw new ArgumentException($"parameter {p.Name} is not searchable"),
        };
    }

    private readonly Dimension[] _dims;
    private readonly int _components;
    private readonly double[] _weights, _logWeights;
    private readonly double[][] _mus = [], _sigmas = [], _logNormalizers = [], _logAccept = [];
    private readonly double[][] _inverseSigmas = [], _logPdfConstants = [];
    private readonly double[][] _categoricalProbs = [], _categoricalLogProbs = [];

    /// <param name="observations">rows of internal coordinates, oldest first (the weights ramp by age)</param>
    public ParzenEstimator(Dimension[] dims, IReadOnlyList<double[]> observations, bool multivariate, double priorWeight = 1.0)
    {
        _dims = dims;
        int n = observations.Count;
        _components = n + 1;
        _weights = new double[_components];
        DefaultWeights(n, _weights);
        _weights[n] = priorWeight;
        double total = _weights.Sum();
        _logWeights = new double[_components];
        for (int k = 0; k < _components; k++) { _weights[k] /= total; _logWeights[k] = Math.Log(_weights[k]); }

        double? sigma0 = multivariate ? Sigma0Magnitude * Math.Pow(Math.Max(n, 1), -1.0 / (dims.Length + 4)) : null;
        _mus = new double[dims.Length][]; _sigmas = new double[dims.Length][];
        _logNormalizers = new double[dims.Length][]; _logAccept = new double[dims.Length][];
        _inverseSigmas = new double[dims.Length][]; _logPdfConstants = new double[dims.Length][];
        _categoricalProbs = new double[dims.Length][]; _categoricalLogProbs = new double[dims.Length][];
        var column = new double[n];
        for (int j = 0; j < dims.Length; j++)
        {
            for (int i = 0; i < n; i++) column[i] = observations[i][j];
            if (dims[j].IsCategorical) CategoricalKernels(j, column, priorWeight);
            else NumericKernels(j, column, sigma0);
        }
    }

    /// <summary>Optuna's default_weights: flat below 25 observations, else a linear ramp from 1/n to 1 over the oldest n - 25, flat for the newest 25.</summary>
    internal static void DefaultWeights(int n, Span<double> into)
    {
        if (n < 25) { into[..n].Fill(1.0); return; }
        int ramp = n - 25;
        for (int i = 0; i < ramp; i++) into[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
        into.Slice(ramp, 25).Fill(1.0);
    }

    private void CategoricalKernels(int j, double[] column, double priorWeight)
    {
        int c = _dims[j].Choices, n = column.Length;
        var probs = new double[_components * c];
        double value = priorWeight / (n + 1);
        Array.Fill(probs, value);
        for (int i = 0; i < n; i++) probs[i * c + (int)column[i]] += 1;
        for (int k = 0; k < _components; k++)
        {
            double s = 0;
            for (int m = 0; m < c; m++) s += probs[k * c + m];
            for (int m = 0; m < c; m++) probs[k * c + m] /= s;
        }
        _categoricalProbs[j] = probs;
        _categoricalLogProbs[j] = probs.Select(v => Math.Log(v)).ToArray();
    }

    private void NumericKernels(int j, double[] column, double? sigma0)
    {
        var (low, high) = (_dims[j].Low, _dims[j].High);
        int n = column.Length, m = n + 1;
        var mus = new double[m];
        column.CopyTo(mus, 0);
        mus[n] = 0.5 * (low + high);
        var sigmas = new double[m];
        if (sigma0 is { } s0) Array.Fill(sigmas, s0 * (high - low));
        else
        {
            // Bandwidth = the larger gap to a sorted neighbour, the range ends acting as neighbours; with
            // consider_endpoints = false the outermost points use their inner gap only.
            var order = Enumerable.Range(0, m).ToArray();
            var sorted = (double[])mus.Clone();
            Array.Sort(sorted, order);
            var ext = new double[m + 2];
            ext[0] = low; ext[m + 1] = high;
            sorted.CopyTo(ext, 1);
            var sortedSigmas = new double[m];
            for (int i = 0; i < m; i++) sortedSigmas[i] = Math.Max(ext[i + 1] - ext[i], ext[i + 2] - ext[i + 1]);
            if (m + 2 >= 4)
            {
                sortedSigmas[0] = ext[2] - ext[1];
                sortedSigmas[m - 1] = ext[m] - ext[m - 1];
            }
            for (int i = 0; i < m; i++) sigmas[order[i]] = sortedSigmas[i];
        }
        // Magic clip (Bergstra et al. 2011's hyperopt): no kernel narrower than range / min(100, 1 + components).
        double maxSigma = high - low, minSigma = (high - low) / Math.Min(100.0, 1.0 + m);
        for (int i = 0; i < m; i++) sigmas[i] = Math.Clamp(sigmas[i], minSigma, maxSigma);
        sigmas[n] = high - low; // the prior: centred, as wide as the range

        var logAccept = new double[m];
        var logNorm = new double[m];
        for (int i = 0; i < m; i++)
        {
            logAccept[i] = TruncatedNormal.LogGaussMass((low - mus[i]) / sigmas[i], (high - mus[i]) / sigmas[i]);
            logNorm[i] = logAccept[i] + Math.Log(sigmas[i]);
        }
        _mus[j] = mus; _sigmas[j] = sigmas; _logAccept[j] = logAccept; _logNormalizers[j] = logNorm;
        _inverseSigmas[j] = sigmas.Select(v => 1 / v).ToArray();
        _logPdfConstants[j] = logNorm.Select(v => TruncatedNormal.LogSqrt2Pi + v).ToArray();
    }

    /// <summary>Draws <paramref name="size"/> points: a component by weight, then each dimension from that component's kernel.</summary>
    public double[][] Sample(Rng rng, int size)
    {
        var result = new double[size][];
        for (int s = 0; s < size; s++)
        {
            int k = PickComponent(rng.NextDouble());
            var x = new double[_dims.Length];
            for (int j = 0; j < _dims.Length; j++)
            {
                var d = _dims[j];
                if (d.IsCategorical)
                {
                    double u = rng.NextDouble(), cum = 0;
                    int c = 0;
                    // Optuna counts the choices whose cumulative probability stays below u.
                    for (; c < d.Choices - 1; c++) { cum += _categoricalProbs[j][k * d.Choices + c]; if (cum >= u) break; }
                    x[j] = c;
                }
                else x[j] = TruncatedNormal.Sample(rng, _mus[j][k], _sigmas[j][k], d.Low, d.High);
            }
            result[s] = x;
        }
        return result;
    }

    private int PickComponent(double u)
    {
        double cum = 0;
        for (int k = 0; k < _components - 1; k++) { cum += _weights[k]; if (u < cum) return k; }
        return _components - 1;
    }

    /// <summary>log density of each sample under the mixture (log-sum-exp over components).</summary>
    public double[] LogPdf(IReadOnlyList<double[]> samples)
    {
        var result = new double[samples.Count];
        var acc = new double[_components];
        for (int s = 0; s < samples.Count; s++)
        {
            var x = samples[s];
            _logWeights.CopyTo(acc, 0);
            for (int j = 0; j < _dims.Length; j++)
            {
                var d = _dims[j];
                if (d.IsCategorical)
                {
                    var lp = _categoricalLogProbs[j];
                    int c = (int)x[j];
                    for (int k = 0; k < _components; k++) acc[k] += lp[k * d.Choices + c];
                }
                else if (d.Q > 0)
                {
                    // An integer's mass is its step's slice of the truncated normal.
                    double lb = Math.Max(x[j] - d.Q / 2, d.Low), ub = Math.Min(x[j] + d.Q / 2, d.High);
                    var (mus, sig, acc0) = (_mus[j], _sigmas[j], _logAccept[j]);
                    for (int k = 0; k < _components; k++)
                        acc[k] += TruncatedNormal.LogGaussMass((lb - mus[k]) / sig[k], (ub - mus[k]) / sig[k]) - acc0[k];
                }
                else AddTruncatedNormalLogPdf(x[j], _mus[j], _inverseSigmas[j], _logPdfConstants[j], acc);
            }
            result[s] = LogSumExp(acc);
        }
        return result;
    }

    // The two loops below are the cost of TPE's ask (candidates x components per parameter); they run
    // on whole SIMD registers, the same arithmetic as TruncatedNormal.LogPdf.
    private static void AddTruncatedNormalLogPdf(double x, double[] mus, double[] inverseSigmas, double[] constants, double[] acc)
    {
        int n = acc.Length, k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vx = new Vector<double>(x);
            var half = new Vector<double>(0.5);
            for (; k <= n - Vector<double>.Count; k += Vector<double>.Count)
            {
                var z = (vx - new Vector<double>(mus, k)) * new Vector<double>(inverseSigmas, k);
                (new Vector<double>(acc, k) - half * z * z - new Vector<double>(constants, k)).CopyTo(acc, k);
            }
        }
        for (; k < n; k++)
        {
            double z = (x - mus[k]) * inverseSigmas[k];
            acc[k] += -0.5 * z * z - constants[k];
        }
    }

    private static double LogSumExp(double[] values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values) if (v > max) max = v;
        if (double.IsNegativeInfinity(max)) return max;
        int n = values.Length, k = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vmax = Vector256.Create(max);
            var vsum = Vector256<double>.Zero;
            for (; k <= n - Vector256<double>.Count; k += Vector256<double>.Count)
                vsum += Vector256.Exp(Vector256.Create(values.AsSpan(k, Vector256<double>.Count)) - vmax);
            sum = Vector256.Sum(vsum);
        }
        for (; k < n; k++) sum += Math.Exp(values[k] - max);
        return max + Math.Log(sum);
    }
}
