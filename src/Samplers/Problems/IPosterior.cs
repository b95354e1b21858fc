namespace SamplerTune.Samplers.Problems;

/// <summary>
/// A target density on an unconstrained space R^d, as Stan sees a model: the log density
/// includes the log-Jacobian of the constraining transform, up to a constant.
/// Implementations must not allocate per evaluation and must be safe to share between
/// threads only through <see cref="Clone"/> (scratch buffers are per instance).
/// </summary>
public interface IPosterior
{
    /// <summary>Dimension of the unconstrained space.</summary>
    int Dimension { get; }

    /// <summary>Names of the reported (constrained) parameters, Stan style: <c>beta[1]</c>, <c>sigma</c>.</summary>
    IReadOnlyList<string> ParameterNames { get; }

    /// <summary>log p(x) (with log-Jacobian) and its gradient written into <paramref name="gradient"/>.</summary>
    double LogDensityAndGradient(ReadOnlySpan<double> x, Span<double> gradient);

    /// <summary>log p(x) alone (cheaper where the family allows).</summary>
    double LogDensity(ReadOnlySpan<double> x);

    /// <summary>Maps an unconstrained point to the reported parameters (length <c>ParameterNames.Count</c>).</summary>
    void Constrain(ReadOnlySpan<double> x, Span<double> constrained);

    /// <summary>log |det d Constrain / dx| for the parameters that are transformed (0 for identity).</summary>
    double LogJacobian(ReadOnlySpan<double> x);

    /// <summary>An independent instance with its own scratch buffers, for another thread.</summary>
    IPosterior Clone();
}

/// <summary>
/// A posterior built from N conditionally independent data: log p(x) = log prior(x) +
/// sum_i log lik_i(x). Lets SGLD estimate the gradient from a minibatch.
/// </summary>
public interface IDataPosterior : IPosterior
{
    /// <summary>Number of likelihood terms N.</summary>
    int DataCount { get; }

    /// <summary>log prior (with log-Jacobian) and its gradient, written (not added) into <paramref name="gradient"/>.</summary>
    double LogPriorAndGradient(ReadOnlySpan<double> x, Span<double> gradient);

    /// <summary>Sum over <paramref name="indices"/> of log lik_i and its gradient, ADDED into <paramref name="gradient"/>.</summary>
    double LogLikelihoodAndGradient(ReadOnlySpan<double> x, ReadOnlySpan<int> indices, Span<double> gradient);
}

/// <summary>A family whose posterior can be sampled exactly (independent draws).</summary>
public interface IExactSampler
{
    /// <summary>One independent draw of the reported (constrained) parameters.</summary>
    void SampleConstrained(Common.Rng rng, Span<double> constrained);
}

/// <summary>A family whose posterior mean and covariance of the reported parameters are known in closed form.</summary>
public interface IExactMoments
{
    double[] ExactMean { get; }
    double[,] ExactCovariance { get; }
}
