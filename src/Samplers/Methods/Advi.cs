using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Samplers.Methods;

/// <summary>Gaussian variational family: diagonal (meanfield) or full covariance through a Cholesky factor (fullrank).</summary>
public enum AdviFamily { MeanField, FullRank }

/// <summary>How the weight of the entropy term ramps from 0 to 1 (KL annealing): not at all, along a logistic curve, or a half cosine.</summary>
public enum KlAnneal { Off, Sigmoid, Cosine }

/// <summary>
/// The optimization state of one ADVI run. <see cref="Parameters"/> is lambda, the packed
/// variational parameters (see <see cref="Advi"/>); <see cref="LastGood"/> is the lambda at
/// which the last finite ELBO estimate was taken, the q a diverged run falls back to.
/// </summary>
public sealed class AdviState(double[] parameters, double[] lastGood, Adam optimizer, long iteration)
{
    public double[] Parameters { get; } = parameters;
    public double[] LastGood { get; } = lastGood;
    public Adam Optimizer { get; } = optimizer;
    public long Iteration { get; set; } = iteration;

    public void RevertToLastGood() => LastGood.CopyTo(Parameters, 0);
}

/// <summary>One ADVI iteration: the Monte Carlo ELBO estimate at the parameters it started from, and why it diverged, if it did.</summary>
public readonly record struct AdviStepInfo(double ElboEstimate, string? DivergenceReason, int GradientEvaluations)
{
    public bool Diverged => DivergenceReason is not null;
}

/// <summary>
/// Automatic differentiation variational inference (Kucukelbir, Tran, Ranganath, Gelman &amp; Blei
/// 2017, JMLR 18(14)) on the unconstrained space, where the posterior's log density already
/// includes the log-Jacobian (their eq. 6). q = N(mu, diag(exp(omega))^2) (meanfield) or
/// N(mu, L L^T) (fullrank, L lower triangular with diagonal exp(l_ii) so it stays positive).
/// lambda packs (mu, omega) or (mu, L row by row with log diagonal). The ELBO gradient is the
/// reparameterization estimate with M draws z = mu + S eta, eta ~ N(0, I) (their eqs. 8-11):
/// grad_mu = mean g, grad_omega = mean g . eta . exp(omega) + beta, grad_L_ij = mean g_i eta_j
/// (times exp(l_ii) on the diagonal, + beta there), where g = grad log p(z) and beta (1 unless
/// annealed) weights the entropy, whose gradient is exact. Steps are taken by Adam.
/// The kernel owns its scratch buffers: a step allocates nothing.
/// </summary>
public sealed class Advi
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);

    private readonly IPosterior _posterior;
    private readonly int _d, _mcSamples;
    private readonly double[] _eta, _z, _g, _gradient;

    public Advi(IPosterior posterior, AdviFamily family, int mcSamples)
    {
        if (mcSamples < 1) throw new ArgumentOutOfRangeException(nameof(mcSamples), "ADVI needs at least one gradient draw");
        _posterior = posterior;
        _d = posterior.Dimension;
        Family = family;
        _mcSamples = mcSamples;
        ParameterCount = family == AdviFamily.MeanField ? 2 * _d : _d + _d * (_d + 1) / 2;
        _eta = new double[_d]; _z = new double[_d]; _g = new double[_d];
        _gradient = new double[ParameterCount];
    }

    public AdviFamily Family { get; }
    public int Dimension => _d;
    public int ParameterCount { get; }

    /// <summary>mu ~ uniform(-r, r) coordinatewise (Stan's random inits; r = 0 starts at the origin), unit scale (omega = 0, L = I).</summary>
    public AdviState Init(double learningRate, double initRadius, Rng rng)
    {
        var lambda = new double[ParameterCount];   // omega = 0 and log diag L = 0: unit scale
        for (int i = 0; i < _d; i++) lambda[i] = initRadius * (2 * rng.NextDouble() - 1);
        return new AdviState(lambda, (double[])lambda.Clone(), new Adam(ParameterCount, learningRate), 0);
    }

    /// <summary>
    /// One stochastic gradient ascent step on the (entropy-weighted) ELBO. A non-finite ELBO
    /// estimate or gradient, or a non-finite parameter after the update, puts the state back to
    /// its last good parameters and returns the reason; nothing throws.
    /// </summary>
    public AdviStepInfo Step(AdviState state, double entropyWeight, Rng rng)
    {
        var lambda = state.Parameters;
        double elbo = ElboGradient(lambda, entropyWeight, rng, _gradient);
        if (!double.IsFinite(elbo) || !AllFinite(_gradient))
        {
            state.RevertToLastGood();
            return new AdviStepInfo(elbo, $"non-finite ELBO estimate or gradient at iteration {state.Iteration}", _mcSamples);
        }
        lambda.CopyTo(state.LastGood, 0);
        state.Optimizer.Ascend(lambda, _gradient);
        if (!AllFinite(lambda))
        {
            state.RevertToLastGood();
            return new AdviStepInfo(elbo, $"non-finite variational parameter after the update of iteration {state.Iteration}", _mcSamples);
        }
        state.Iteration++;
        return new AdviStepInfo(elbo, null, _mcSamples);
    }

    /// <summary>
    /// The reparameterization estimate of the gradient of E_q log p + w H(q) with
    /// <c>mc_samples</c> draws, written into <paramref name="gradient"/>; returns the matching
    /// Monte Carlo ELBO estimate (with the full entropy). Given the same <paramref name="rng"/>
    /// state, it is the exact gradient of <see cref="EstimateElbo"/> with the entropy weighted by w.
    /// </summary>
    public double ElboGradient(ReadOnlySpan<double> lambda, double entropyWeight, Rng rng, Span<double> gradient)
    {
        gradient.Clear();
        double sumLogDensity = 0;
        for (int s = 0; s < _mcSamples; s++)
        {
            Draw(lambda, rng, _eta, _z);
            sumLogDensity += _posterior.LogDensityAndGradient(_z, _g);
            AccumulateLogDensityGradient(lambda, gradient);
        }
        for (int i = 0; i < gradient.Length; i++) gradient[i] /= _mcSamples;
        AddEntropyGradient(entropyWeight, gradient);
        return sumLogDensity / _mcSamples + Entropy(lambda);
    }

    /// <summary>The ELBO by plain Monte Carlo with <paramref name="draws"/> draws from q (log densities only, as Stan's elbo_samples).</summary>
    public double EstimateElbo(ReadOnlySpan<double> lambda, int draws, Rng rng)
    {
        double sum = 0;
        for (int s = 0; s < draws; s++)
        {
            Draw(lambda, rng, _eta, _z);
            sum += _posterior.LogDensity(_z);
        }
        return sum / draws + Entropy(lambda);
    }

    /// <summary>z = mu + S eta with fresh eta ~ N(0, I); S = diag(exp(omega)) or L.</summary>
    public void Draw(ReadOnlySpan<double> lambda, Rng rng, Span<double> eta, Span<double> z)
    {
        rng.FillNormal(eta);
        if (Family == AdviFamily.MeanField)
        {
            for (int i = 0; i < _d; i++) z[i] = lambda[i] + Math.Exp(lambda[_d + i]) * eta[i];
            return;
        }
        for (int i = 0; i < _d; i++)
        {
            int row = RowStart(i);
            double zi = lambda[i] + Math.Exp(lambda[row + i]) * eta[i];
            for (int j = 0; j < i; j++) zi += lambda[row + j] * eta[j];
            z[i] = zi;
        }
    }

    /// <summary>log q(z) for z drawn with standard normal <paramref name="eta"/>: -sum log diag S - |eta|^2 / 2 - d/2 log 2 pi.</summary>
    public double LogQ(ReadOnlySpan<double> lambda, ReadOnlySpan<double> eta) =>
        -SumLogScale(lambda) - 0.5 * DenseMath.SquaredNorm(eta) - _d * HalfLogTwoPi;

    /// <summary>Entropy of q in closed form: d/2 (1 + log 2 pi) + sum log diag S.</summary>
    public double Entropy(ReadOnlySpan<double> lambda) => _d * (0.5 + HalfLogTwoPi) + SumLogScale(lambda);

    /// <summary>The mean of q (mu).</summary>
    public ReadOnlySpan<double> Mean(ReadOnlySpan<double> lambda) => lambda[.._d];

    /// <summary>Covariance of q, row-major d x d: diag(exp(2 omega)) or L L^T.</summary>
    public double[] Covariance(ReadOnlySpan<double> lambda)
    {
        var cov = new double[_d * _d];
        if (Family == AdviFamily.MeanField)
        {
            for (int i = 0; i < _d; i++) cov[i * _d + i] = Math.Exp(2 * lambda[_d + i]);
            return cov;
        }
        for (int i = 0; i < _d; i++)
            for (int j = 0; j <= i; j++)
            {
                double sum = 0;
                for (int k = 0; k <= j; k++) sum += CholeskyEntry(lambda, i, k) * CholeskyEntry(lambda, j, k);
                cov[i * _d + j] = cov[j * _d + i] = sum;
            }
        return cov;
    }

    /// <summary>
    /// Weight of the entropy term at <paramref name="iteration"/>: ramps from 0 to 1 over the first
    /// <paramref name="rampIterations"/> iterations (cosine: (1 - cos(pi s)) / 2; sigmoid: a logistic
    /// of slope 10 in s rescaled to pass through 0 and 1), then stays 1.
    /// </summary>
    public static double EntropyWeight(KlAnneal schedule, long iteration, long rampIterations)
    {
        if (schedule == KlAnneal.Off || iteration >= rampIterations) return 1;
        double s = (double)iteration / rampIterations;
        if (schedule == KlAnneal.Cosine) return 0.5 * (1 - Math.Cos(Math.PI * s));
        const double slope = 10;
        double low = Logistic(-slope / 2), high = Logistic(slope / 2);
        return (Logistic(slope * (s - 0.5)) - low) / (high - low);
    }

    private static double Logistic(double x) => 1 / (1 + Math.Exp(-x));

    private void AccumulateLogDensityGradient(ReadOnlySpan<double> lambda, Span<double> gradient)
    {
        for (int i = 0; i < _d; i++) gradient[i] += _g[i];
        if (Family == AdviFamily.MeanField)
        {
            for (int i = 0; i < _d; i++) gradient[_d + i] += _g[i] * _eta[i] * Math.Exp(lambda[_d + i]);
            return;
        }
        for (int i = 0; i < _d; i++)
        {
            int row = RowStart(i);
            double gi = _g[i];
            for (int j = 0; j < i; j++) gradient[row + j] += gi * _eta[j];
            gradient[row + i] += gi * _eta[i] * Math.Exp(lambda[row + i]);
        }
    }

    private void AddEntropyGradient(double weight, Span<double> gradient)
    {
        // d entropy / d omega_i = 1 and d entropy / d log L_ii = 1.
        if (Family == AdviFamily.MeanField)
            for (int i = 0; i < _d; i++) gradient[_d + i] += weight;
        else
            for (int i = 0; i < _d; i++) gradient[RowStart(i) + i] += weight;
    }

    private double SumLogScale(ReadOnlySpan<double> lambda)
    {
        double sum = 0;
        for (int i = 0; i < _d; i++) sum += Family == AdviFamily.MeanField ? lambda[_d + i] : lambda[RowStart(i) + i];
        return sum;
    }

    private double CholeskyEntry(ReadOnlySpan<double> lambda, int i, int j) =>
        j < i ? lambda[RowStart(i) + j] : j == i ? Math.Exp(lambda[RowStart(i) + i]) : 0;

    /// <summary>Index in lambda of L_i0 (row i of the packed lower triangle, after mu).</summary>
    private int RowStart(int i) => _d + i * (i + 1) / 2;

    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (double v in values) if (!double.IsFinite(v)) return false;
        return true;
    }
}
