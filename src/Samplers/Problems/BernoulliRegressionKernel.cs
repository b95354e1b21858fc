using System.Runtime.Intrinsics;

namespace SamplerTune.Samplers.Problems;

/// <summary>Link of a binary regression: P(y = 1) = logistic(eta) or Phi(eta).</summary>
public enum BernoulliLink { Logit, Probit }

/// <summary>
/// The one Bernoulli-GLM likelihood kernel shared by logistic_correlated, logistic_regression and
/// probit_cauchy: y_i ~ Bernoulli(F(alpha + x_i . beta)). The full log likelihood and gradient cost
/// two matrix-vector products (eta = X beta, then X^T r) plus one special function per row, and
/// allocate nothing: the caller passes an N-long scratch buffer.
/// </summary>
public sealed class BernoulliRegressionKernel(RegressionData data, BernoulliLink link)
{
    public RegressionData Data { get; } = data;
    public BernoulliLink Link { get; } = link;

    /// <summary>Full log likelihood; <paramref name="etaScratch"/> (length N) is overwritten.</summary>
    public double LogLikelihood(ReadOnlySpan<double> coefficients, Span<double> etaScratch)
    {
        Data.LinearPredictor(coefficients, etaScratch);
        var y = Data.Y;
        double ll = 0;
        for (int i = 0; i < Data.N; i++) ll += RowLogLikelihood(etaScratch[i], y[i], out _);
        return ll;
    }

    /// <summary>Full log likelihood; its gradient OVERWRITES the D + 1 coefficient entries of <paramref name="gradient"/>.</summary>
    public double LogLikelihoodAndGradient(ReadOnlySpan<double> coefficients, Span<double> gradient, Span<double> etaScratch)
    {
        Data.LinearPredictor(coefficients, etaScratch);
        var y = Data.Y;
        double ll = 0;
        int start = 0;
        if (Link == BernoulliLink.Logit) (ll, start) = LogitRowsSimd(etaScratch[..Data.N], y);
        for (int i = start; i < Data.N; i++)
        {
            ll += RowLogLikelihood(etaScratch[i], y[i], out double slope);
            etaScratch[i] = slope;   // reuse the buffer for r = d loglik / d eta
        }
        Data.SetCoefficientGradient(etaScratch, gradient);
        return ll;
    }

    /// <summary>Log likelihood of the rows in <paramref name="indices"/>; its gradient is ADDED into <paramref name="gradient"/>.</summary>
    public double AddLogLikelihoodAndGradient(ReadOnlySpan<double> coefficients, ReadOnlySpan<int> indices, Span<double> gradient)
    {
        var y = Data.Y;
        double ll = 0;
        foreach (int i in indices)
        {
            ll += RowLogLikelihood(Data.LinearPredictor(coefficients, i), y[i], out double slope);
            Data.AddRowGradient(i, slope, gradient);
        }
        return ll;
    }

    private double RowLogLikelihood(double eta, double y, out double slope) =>
        Link == BernoulliLink.Logit ? LogitRow(eta, y, out slope) : ProbitRow(eta, y, out slope);

    // y eta - log(1 + e^eta) and its slope y - logistic(eta), sharing one exp(-|eta|) so neither
    // overflows for large |eta|.
    private static double LogitRow(double eta, double y, out double slope)
    {
        double e = Math.Exp(-Math.Abs(eta));
        double log1pExp = Math.Max(eta, 0) + Math.Log(1 + e);
        double p = eta >= 0 ? 1 / (1 + e) : e / (1 + e);
        slope = y - p;
        return y * eta - log1pExp;
    }

    // LogitRow four rows at a time with the vectorized exp and log of System.Runtime.Intrinsics: the
    // special functions, not the two products, dominate the cost at N = 1000, D = 25. Overwrites
    // eta with the slopes; returns the sum and the first row left for the scalar loop.
    private static (double Sum, int Next) LogitRowsSimd(Span<double> eta, ReadOnlySpan<double> y)
    {
        if (!Vector512.IsHardwareAccelerated) return (0, 0);
        int n = eta.Length - eta.Length % Vector512<double>.Count;
        var sum = Vector512<double>.Zero;
        var one = Vector512<double>.One;
        for (int i = 0; i < n; i += Vector512<double>.Count)
        {
            var v = Vector512.Create(eta.Slice(i, Vector512<double>.Count));
            var yv = Vector512.Create(y.Slice(i, Vector512<double>.Count));
            var e = Vector512.Exp(-Vector512.Abs(v));
            var log1pExp = Vector512.Max(v, Vector512<double>.Zero) + Vector512.Log(one + e);
            var p = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(v, Vector512<double>.Zero), one, e) / (one + e);
            sum += yv * v - log1pExp;
            (yv - p).CopyTo(eta.Slice(i, Vector512<double>.Count));
        }
        return (Vector512.Sum(sum), n);
    }

    // With s = 2y - 1, P(y | eta) = Phi(s eta) by the symmetry of the normal.
    private static double ProbitRow(double eta, double y, out double slope)
    {
        double s = 2 * y - 1, z = s * eta;
        double logCdf = NormalCdf.LogCdf(z, out double derivative);
        slope = s * derivative;
        return logCdf;
    }
}
