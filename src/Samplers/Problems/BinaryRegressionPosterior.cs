namespace SamplerTune.Samplers.Problems;

/// <summary>
/// Posterior of a Bernoulli GLM with an intercept: alpha and beta_1..beta_D (unconstrained, reported
/// as is) with the same independent prior on each, and the shared <see cref="BernoulliRegressionKernel"/>
/// likelihood. The logistic and probit families differ only in how they obtain data, link and prior.
/// </summary>
public abstract class BinaryRegressionPosterior : IDataPosterior
{
    private readonly BernoulliRegressionKernel _kernel;
    private readonly CoefficientPrior _prior;
    private readonly string[] _names;
    private readonly double[] _etaScratch;

    protected BinaryRegressionPosterior(RegressionData data, BernoulliLink link, CoefficientPrior prior)
    {
        _kernel = new BernoulliRegressionKernel(data, link);
        _prior = prior;
        _names = ["alpha", .. Enumerable.Range(1, data.D).Select(j => $"beta[{j}]")];
        _etaScratch = new double[data.N];
    }

    /// <summary>For <see cref="Clone"/>: shares the read-only data, owns a new scratch buffer.</summary>
    protected BinaryRegressionPosterior(BinaryRegressionPosterior other)
    {
        (_kernel, _prior, _names) = (other._kernel, other._prior, other._names);
        _etaScratch = new double[other.Data.N];
    }

    public RegressionData Data => _kernel.Data;
    public int Dimension => Data.D + 1;
    public int DataCount => Data.N;
    public IReadOnlyList<string> ParameterNames => _names;
    public abstract IPosterior Clone();

    public double LogDensityAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double ll = _kernel.LogLikelihoodAndGradient(x, gradient, _etaScratch);
        return ll + _prior.AddLogDensityAndGradient(x[..Dimension], gradient);
    }

    public double LogDensity(ReadOnlySpan<double> x) =>
        _kernel.LogLikelihood(x, _etaScratch) + _prior.LogDensity(x[..Dimension]);

    public double LogPriorAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        gradient[..Dimension].Clear();
        return _prior.AddLogDensityAndGradient(x[..Dimension], gradient);
    }

    public double LogLikelihoodAndGradient(ReadOnlySpan<double> x, ReadOnlySpan<int> indices, Span<double> gradient) =>
        _kernel.AddLogLikelihoodAndGradient(x, indices, gradient);

    public void Constrain(ReadOnlySpan<double> x, Span<double> constrained) => x[..Dimension].CopyTo(constrained);
    public double LogJacobian(ReadOnlySpan<double> x) => 0;
}
