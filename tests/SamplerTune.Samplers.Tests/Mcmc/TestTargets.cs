using SamplerTune.Samplers.Problems;

namespace SamplerTune.Samplers.Tests.Mcmc;

/// <summary>Independent Gaussian N(mean_i, sd_i^2) on R^d with exact moments.</summary>
public sealed class DiagonalGaussian(double[] mean, double[] sd) : IPosterior, IExactMoments
{
    private readonly string[] _names = Enumerable.Range(1, mean.Length).Select(i => $"x[{i}]").ToArray();

    public static DiagonalGaussian Standard(int d) => new(new double[d], Enumerable.Repeat(1.0, d).ToArray());

    /// <summary>sds spread log-uniformly over 0.01 .. 100 (a 10^4 condition number), means at 2 sd.</summary>
    public static DiagonalGaussian Anisotropic(int d)
    {
        var sd = Enumerable.Range(0, d).Select(i => Math.Pow(10, -2 + 4.0 * i / (d - 1))).ToArray();
        return new(sd.Select(s => 2 * s).ToArray(), sd);
    }

    public int Dimension => mean.Length;
    public IReadOnlyList<string> ParameterNames => _names;
    public double[] Sd => sd;

    public double LogDensityAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double lp = 0;
        for (int i = 0; i < mean.Length; i++)
        {
            double z = (x[i] - mean[i]) / sd[i];
            lp -= 0.5 * z * z;
            gradient[i] = -z / sd[i];
        }
        return lp;
    }

    public double LogDensity(ReadOnlySpan<double> x)
    {
        double lp = 0;
        for (int i = 0; i < mean.Length; i++) { double z = (x[i] - mean[i]) / sd[i]; lp -= 0.5 * z * z; }
        return lp;
    }

    public void Constrain(ReadOnlySpan<double> x, Span<double> constrained) => x.CopyTo(constrained);
    public double LogJacobian(ReadOnlySpan<double> x) => 0;
    public IPosterior Clone() => new DiagonalGaussian(mean, sd);
    public double[] ExactMean => (double[])mean.Clone();

    public double[,] ExactCovariance
    {
        get
        {
            var c = new double[mean.Length, mean.Length];
            for (int i = 0; i < mean.Length; i++) c[i, i] = sd[i] * sd[i];
            return c;
        }
    }
}

/// <summary>
/// Neal's funnel in 2-D, centred: y ~ N(0, 3^2), x | y ~ N(0, exp(y)) (Neal 2003, §8). Its neck
/// needs step sizes far smaller than its mouth, so NUTS with one step size diverges there.
/// </summary>
public sealed class Funnel2D : IPosterior
{
    public int Dimension => 2;
    public IReadOnlyList<string> ParameterNames { get; } = ["y", "x"];

    public double LogDensityAndGradient(ReadOnlySpan<double> q, Span<double> gradient)
    {
        double y = q[0], x = q[1], invVar = Math.Exp(-y);
        gradient[0] = -y / 9 + 0.5 * x * x * invVar - 0.5;
        gradient[1] = -x * invVar;
        return -y * y / 18 - 0.5 * x * x * invVar - 0.5 * y;
    }

    public double LogDensity(ReadOnlySpan<double> q) => -q[0] * q[0] / 18 - 0.5 * q[1] * q[1] * Math.Exp(-q[0]) - 0.5 * q[0];
    public void Constrain(ReadOnlySpan<double> x, Span<double> constrained) => x.CopyTo(constrained);
    public double LogJacobian(ReadOnlySpan<double> x) => 0;
    public IPosterior Clone() => new Funnel2D();
}

/// <summary>log p(x) = -log(1 + exp(-x)): tends to 0 as x -> +inf, so it has no finite normalizer.</summary>
public sealed class ImproperLogistic : IPosterior
{
    public int Dimension => 1;
    public IReadOnlyList<string> ParameterNames { get; } = ["x"];

    public double LogDensityAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        gradient[0] = Transforms.Logistic(-x[0]);
        return -Transforms.Log1pExp(-x[0]);
    }

    public double LogDensity(ReadOnlySpan<double> x) => -Transforms.Log1pExp(-x[0]);
    public void Constrain(ReadOnlySpan<double> x, Span<double> constrained) => x.CopyTo(constrained);
    public double LogJacobian(ReadOnlySpan<double> x) => 0;
    public IPosterior Clone() => new ImproperLogistic();
}

/// <summary>A standard normal whose log density is NaN outside |x_i| &lt;= 2: a hard wall the sampler must never cross.</summary>
public sealed class WalledGaussian(int d) : IPosterior
{
    public int Dimension => d;
    public IReadOnlyList<string> ParameterNames { get; } = Enumerable.Range(1, d).Select(i => $"x[{i}]").ToArray();

    public double LogDensityAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        double lp = LogDensity(x);
        for (int i = 0; i < d; i++) gradient[i] = double.IsNaN(lp) ? double.NaN : -x[i];
        return lp;
    }

    public double LogDensity(ReadOnlySpan<double> x)
    {
        double lp = 0;
        for (int i = 0; i < d; i++)
        {
            if (Math.Abs(x[i]) > 2) return double.NaN;
            lp -= 0.5 * x[i] * x[i];
        }
        return lp;
    }

    public void Constrain(ReadOnlySpan<double> x, Span<double> constrained) => x.CopyTo(constrained);
    public double LogJacobian(ReadOnlySpan<double> x) => 0;
    public IPosterior Clone() => new WalledGaussian(d);
}

/// <summary>log p = -inf everywhere: no finite initial point exists.</summary>
public sealed class NowhereFinite : IPosterior
{
    public int Dimension => 2;
    public IReadOnlyList<string> ParameterNames { get; } = ["a", "b"];
    public double LogDensityAndGradient(ReadOnlySpan<double> x, Span<double> gradient) { gradient.Clear(); return double.NegativeInfinity; }
    public double LogDensity(ReadOnlySpan<double> x) => double.NegativeInfinity;
    public void Constrain(ReadOnlySpan<double> x, Span<double> constrained) => x.CopyTo(constrained);
    public double LogJacobian(ReadOnlySpan<double> x) => 0;
    public IPosterior Clone() => new NowhereFinite();
}
