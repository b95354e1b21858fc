namespace SamplerTune.Samplers.Methods;

/// <summary>
/// Adam (Kingma &amp; Ba 2015, "Adam: a method for stochastic optimization", Algorithm 1) with
/// bias-corrected moments, written for ascent because ADVI maximizes the ELBO. The moments
/// and step count are public so a checkpoint can restore the optimizer bit for bit.
/// </summary>
public sealed class Adam
{
    public const double DefaultBeta1 = 0.9, DefaultBeta2 = 0.999, DefaultEpsilon = 1e-8;

    private readonly double[] _m, _v;

    public Adam(int parameterCount, double learningRate, double beta1 = DefaultBeta1, double beta2 = DefaultBeta2, double epsilon = DefaultEpsilon)
    {
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), "learning rate must be positive");
        _m = new double[parameterCount];
        _v = new double[parameterCount];
        (LearningRate, Beta1, Beta2, Epsilon) = (learningRate, beta1, beta2, epsilon);
    }

    public double LearningRate { get; }
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Epsilon { get; }

    /// <summary>Updates taken so far (t in the paper).</summary>
    public long Steps { get; private set; }

    public ReadOnlySpan<double> FirstMoment => _m;
    public ReadOnlySpan<double> SecondMoment => _v;

    /// <summary>theta += lr * m_hat / (sqrt(v_hat) + eps), with m, v the running moments of <paramref name="gradient"/>.</summary>
    public void Ascend(Span<double> parameters, ReadOnlySpan<double> gradient)
    {
        Steps++;
        double correction1 = 1 - Math.Pow(Beta1, Steps), correction2 = 1 - Math.Pow(Beta2, Steps);
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradient[i];
            _m[i] = Beta1 * _m[i] + (1 - Beta1) * g;
            _v[i] = Beta2 * _v[i] + (1 - Beta2) * g * g;
            parameters[i] += LearningRate * (_m[i] / correction1) / (Math.Sqrt(_v[i] / correction2) + Epsilon);
        }
    }

    /// <summary>An optimizer continuing from saved moments and step count.</summary>
    public static Adam Restore(double learningRate, double[] firstMoment, double[] secondMoment, long steps)
    {
        if (firstMoment.Length != secondMoment.Length) throw new ArgumentException("Adam moments must have the same length");
        var adam = new Adam(firstMoment.Length, learningRate) { Steps = steps };
        firstMoment.CopyTo(adam._m, 0);
        secondMoment.CopyTo(adam._v, 0);
        return adam;
    }
}
