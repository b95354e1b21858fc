using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Coordinator.Benchmarks;

/// <summary>
/// N(0, diag(s^2)) with sds log-spaced from 1 to 10 (condition number 100 of the covariance), the benchmark
/// target of issue 4: a step size that suits the narrowest direction crawls along the widest one.
/// </summary>
public sealed class IllConditionedGaussian : IPosterior, IExactSampler
{
    private readonly double[] _precision, _sd;
    private readonly string[] _names;

    public IllConditionedGaussian(int dimension = 100, double maxSd = 10)
    {
        _sd = Enumerable.Range(0, dimension).Select(i => Math.Pow(maxSd, dimension == 1 ? 0 : (double)i / (dimension - 1))).ToArray();
        _precision = _sd.Select(s => 1 / (s * s)).ToArray();
        _names = Enumerable.Range(1, dimension).Select(i => $"x[{i}]").ToArray();
    }

    public int Dimension => _sd.Length;
    public IReadOnlyList<string> ParameterNames => _names;
    public IPosterior Clone() => this; // no scratch: safe to share

    public double LogDensityAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double lp = 0;
        for (int i = 0; i < x.Length; i++)
        {
            gradient[i] = -_precision[i] * x[i];
            lp += gradient[i] * x[i];
        }
        return 0.5 * lp;
    }

    public double LogDensity(ReadOnlySpan<double> x)
    {
        double lp = 0;
        for (int i = 0; i < x.Length; i++) lp -= 0.5 * _precision[i] * x[i] * x[i];
        return lp;
    }

    public void Constrain(ReadOnlySpan<double> x, Span<double> constrained) => x.CopyTo(constrained);
    public double LogJacobian(ReadOnlySpan<double> x) => 0;

    public void SampleConstrained(Rng rng, Span<double> constrained)
    {
        for (int i = 0; i < _sd.Length; i++) constrained[i] = _sd[i] * rng.NextNormal();
    }
}
