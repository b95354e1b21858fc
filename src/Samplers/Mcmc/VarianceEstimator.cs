namespace SamplerTune.Samplers.Mcmc;

/// <summary>Plain-data state of the Welford accumulator, for checkpoints.</summary>
public sealed record VarianceEstimatorState(long Count, double[] Mean, double[] M2);

/// <summary>
/// Welford's online mean and variance per coordinate (stan/src/stan/math/.../welford_var_estimator.hpp),
/// and Stan's regularized inverse metric from it (var_adaptation.hpp):
/// var_reg = (n / (n + 5)) var + 1e-3 (5 / (n + 5)), which shrinks a short window towards 1e-3.
/// </summary>
public sealed class VarianceEstimator
{
    private readonly double[] _mean, _m2;

    public VarianceEstimator(int dimension)
    {
        _mean = new double[dimension];
        _m2 = new double[dimension];
    }

    public long Count { get; private set; }

    public void Restart()
    {
        Count = 0;
        Array.Clear(_mean);
        Array.Clear(_m2);
    }

    public void Add(ReadOnlySpan<double> x)
    {
        ++Count;
        for (int i = 0; i < _mean.Length; i++)
        {
            double delta = x[i] - _mean[i];
            _mean[i] += delta / Count;
            _m2[i] += delta * (x[i] - _mean[i]);
        }
    }

    /// <summary>Sample variance (n - 1 denominator); leaves <paramref name="variance"/> unchanged with fewer than 2 samples, as Stan does.</summary>
    public void SampleVariance(Span<double> variance)
    {
        if (Count < 2) return;
        for (int i = 0; i < _m2.Length; i++) variance[i] = _m2[i] / (Count - 1.0);
    }

    /// <summary>Writes Stan's regularized variance into <paramref name="inverseMetric"/>.</summary>
    public void RegularizedVariance(Span<double> inverseMetric)
    {
        SampleVariance(inverseMetric);
        double n = Count;
        for (int i = 0; i < inverseMetric.Length; i++)
            inverseMetric[i] = n / (n + 5.0) * inverseMetric[i] + 1e-3 * (5.0 / (n + 5.0));
    }

    public VarianceEstimatorState Save() => new(Count, (double[])_mean.Clone(), (double[])_m2.Clone());

    public void Restore(VarianceEstimatorState state)
    {
        Count = state.Count;
        state.Mean.CopyTo(_mean, 0);
        state.M2.CopyTo(_m2, 0);
    }
}
