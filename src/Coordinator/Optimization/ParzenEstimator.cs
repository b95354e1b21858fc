using SamplerTune.Samplers.Common;

namespace SamplerTune.Coordinator.Optimization;

/// <summary>
/// A weighted mixture over observations plus one prior component, one kernel per dimension: truncated normals for
/// numbers (discretized for integers), smoothed counts for categoricals. A port of Optuna 3.1's _ParzenEstimator
/// (optuna/samplers/_tpe/parzen_estimator.py): default_weights ramp, prior weight 1.0, magic-clip bandwidths,
/// consider_endpoints = false, Scott-rule bandwidths when multivariate.
/// One instance is refitted (<see cref="Fit"/>) for every parameter and proposal of an ask: its buffers only grow, so an
/// ask allocates O(1) arrays whatever the history length (TPE's ask is O(history x candidates x dimensions)).
/// </summary>
internal sealed class ParzenEstimator(bool multivariate, double priorWeight = 1.0)
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

    private Dimension[] _dims = [];
    private int _components;
    private double[] _weights = [], _logWeights = [], _scratch = [];
    private int[] _order = [];
    private readonly List<MixtureKernels> _kernels = [];

    /// <summary>Refits to <paramref name="n"/> observations: <paramref name="columns"/>[j][i] is coordinate j of
    /// observation i, oldest first (the weights ramp by age).</summary>
    public void Fit(Dimension[] dims, IReadOnlyList<double[]> columns, int n)
    {
        _dims = dims;
        if (n + 1 != _components) FitWeights(n);

        double? sigma0 = multivariate ? Sigma0Magnitude * Math.Pow(Math.Max(n, 1), -1.0 / (dims.Length + 4)) : null;
        while (_kernels.Count < dims.Length) _kernels.Add(new MixtureKernels());
        for (int j = 0; j < dims.Length; j++)
        {
            var column = columns[j].AsSpan(0, n);
            if (dims[j].IsCategorical) _kernels[j].FitCategorical(dims[j].Choices, column, priorWeight);
            else _kernels[j].FitNumeric(dims[j], column, sigma0, _scratch, _order);
        }
    }

    /// <summary>The component weights depend on the number of observations only, so refits for the other parameters keep them.</summary>
    private void FitWeights(int n)
    {
        _components = n + 1;
        Grow(ref _weights, _components); Grow(ref _logWeights, _components);
        Grow(ref _scratch, _components); Grow(ref _order, _components);
        DefaultWeights(n, _weights);
        _weights[n] = priorWeight;
        double total = 0;
        for (int k = 0; k < _components; k++) total += _weights[k];
        for (int k = 0; k < _components; k++) { _weights[k] /= total; _logWeights[k] = Math.Log(_weights[k]); }
    }

    /// <summary>Optuna's default_weights: flat below 25 observations, else a linear ramp from 1/n to 1 over the oldest n - 25, flat for the newest 25.</summary>
    internal static void DefaultWeights(int n, Span<double> into)
    {
        if (n < 25) { into[..n].Fill(1.0); return; }
        int ramp = n - 25;
        for (int i = 0; i < ramp; i++) into[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
        into.Slice(ramp, 25).Fill(1.0);
    }

    /// <summary>Draws <paramref name="size"/> points, returned as columns ([dimension][draw]): a component by weight, then each dimension from that component's kernel.</summary>
    public double[][] Sample(Rng rng, int size)
    {
        var result = new double[_dims.Length][];
        for (int j = 0; j < _dims.Length; j++) result[j] = new double[size];
        for (int s = 0; s < size; s++)
        {
            int k = PickComponent(rng.NextDouble());
            for (int j = 0; j < _dims.Length; j++) result[j][s] = _kernels[j].Sample(_dims[j], k, rng);
        }
        return result;
    }

    private int PickComponent(double u)
    {
        double cum = 0;
        for (int k = 0; k < _components - 1; k++) { cum += _weights[k]; if (u < cum) return k; }
        return _components - 1;
    }

    /// <summary>log density under the mixture of each point of <paramref name="samples"/> (columns, as <see cref="Sample"/> returns them).</summary>
    public double[] LogPdf(double[][] samples)
    {
        int size = samples.Length == 0 ? 0 : samples[0].Length;
        var result = new double[size];
        var acc = _scratch.AsSpan(0, _components);
        for (int s = 0; s < size; s++)
        {
            // log sum_k w_k prod_j kernel_kj(x_j): the first dimension starts from the log weights, the others add.
            _kernels[0].LogPdf(_dims[0], samples[0][s], _logWeights.AsSpan(0, _components), acc);
            for (int j = 1; j < _dims.Length; j++) _kernels[j].LogPdf(_dims[j], samples[j][s], acc, acc);
            result[s] = MixtureKernels.LogSumExp(acc);
        }
        return result;
    }

    internal static void Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new T[Math.Max(length, 2 * buffer.Length)];
    }
}
