using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using MathNet.Numerics.Optimization;

namespace SamplerTune.Coordinator.Optimization;

/// <summary>Kernel hyperparameters in log space: log lengthscale per input, log signal variance, log noise variance.</summary>
internal sealed record GpHyperparameters(double[] LogLengthscales, double LogSignal, double LogNoise)
{
    public int Count => LogLengthscales.Length + 2;
    public double[] ToArray() => [.. LogLengthscales, LogSignal, LogNoise];
    public static GpHyperparameters FromArray(double[] t, int d) => new(t[..d], t[d], t[d + 1]);
}

/// <summary>
/// A zero-mean Gaussian process on [0,1]^d with a Matérn-5/2 ARD kernel (Rasmussen &amp; Williams 2006, eq. 4.17),
/// conditioned on standardized objectives. Hyperparameters are MAP estimates of the log marginal likelihood
/// (R&amp;W eq. 5.8, gradient eq. 5.9) under the dimension-scaled log-normal lengthscale prior of Hvarfner et al.
/// 2024 ("Vanilla Bayesian optimization performs great in high dimensions"), fitted by L-BFGS (MathNet).
/// </summary>
internal sealed class GaussianProcess
{
    private const double NoiseFloor = 1e-6;
    private static readonly double Sqrt5 = Math.Sqrt(5);

    private readonly List<double[]> _x;
    private readonly List<double> _y;
    private readonly double[] _inverseLengthscales;
    private readonly double _signal, _noise;
    private Cholesky<double> _cholesky = null!;
    private Vector<double> _alpha = null!;

    public GpHyperparameters Hyperparameters { get; }

    public GaussianProcess(IEnumerable<double[]> x, IEnumerable<double> y, GpHyperparameters h)
    {
        _x = x.ToList(); _y = y.ToList();
        Hyperparameters = h;
        _inverseLengthscales = h.LogLengthscales.Select(l => Math.Exp(-l)).ToArray();
        _signal = Math.Exp(h.LogSignal);
        _noise = Math.Exp(h.LogNoise) + NoiseFloor;
        Refactor();
    }

    public int Count => _x.Count;

    /// <summary>Conditions on one more point (kriging believer: y is the current posterior mean). O(n^3) refactorization; n is capped by the caller.</summary>
    public void Add(double[] x, double y) { _x.Add(x); _y.Add(y); Refactor(); }

    private void Refactor()
    {
        int n = _x.Count;
        var k = Matrix<double>.Build.Dense(n, n, (i, j) => Kernel(_x[i], _x[j]) + (i == j ? _noise : 0));
        _cholesky = SafeCholesky(k);
        _alpha = _cholesky.Solve(Vector<double>.Build.DenseOfEnumerable(_y));
    }

    private static Cholesky<double> SafeCholesky(Matrix<double> k)
    {
        for (double jitter = 0; ; jitter = jitter == 0 ? 1e-8 : jitter * 10)
        {
            try { return (jitter == 0 ? k : k + Matrix<double>.Build.DiagonalIdentity(k.RowCount) * jitter).Cholesky(); }
            catch (ArgumentException) when (jitter < 1) { }
        }
    }

    public double Kernel(double[] a, double[] b)
    {
        double r2 = 0;
        for (int d = 0; d < a.Length; d++) { double t = (a[d] - b[d]) * _inverseLengthscales[d]; r2 += t * t; }
        double r = Math.Sqrt(r2);
        return _signal * (1 + Sqrt5 * r + 5.0 / 3.0 * r2) * Math.Exp(-Sqrt5 * r);
    }

    /// <summary>Posterior mean and variance of the latent function at x.</summary>
    public (double Mean, double Variance) Predict(double[] x, double[] scratch)
    {
        int n = _x.Count;
        for (int i = 0; i < n; i++) scratch[i] = Kernel(x, _x[i]);
        double mean = 0;
        for (int i = 0; i < n; i++) mean += scratch[i] * _alpha[i];
        // v = L^{-1} k by forward substitution; variance = k(x,x) - v.v
        var l = _cholesky.Factor;
        double vv = 0;
        for (int i = 0; i < n; i++)
        {
            double s = scratch[i];
            for (int j = 0; j < i; j++) s -= l.At(i, j) * scratch[j];
            s /= l.At(i, i);
            scratch[i] = s;
            vv += s * s;
        }
        return (mean, Math.Max(_signal - vv, 1e-12));
    }

    /// <summary>MAP hyperparameters for (x, y); deterministic (fixed start, no randomness).</summary>
    public static GpHyperparameters Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> y, int maxIterations = 60)
    {
        int d = x[0].Length;
        double priorMu = Math.Sqrt(2) + 0.5 * Math.Log(d), priorSd = Math.Sqrt(3);
        var start = new GpHyperparameters(Enumerable.Repeat(priorMu, d).ToArray(), 0, -8).ToArray();
        var best = (Value: double.PositiveInfinity, Theta: start);
        var objective = ObjectiveFunction.Gradient(v =>
        {
            var theta = v.ToArray();
            var (f, g) = NegativeLogPosterior(x, y, theta, d, priorMu, priorSd);
            if (f < best.Value && double.IsFinite(f)) best = (f, theta);
            return (f, Vector<double>.Build.DenseOfArray(g));
        });
        try
        {
            new LimitedMemoryBfgsMinimizer(1e-5, 1e-6, 1e-7, 5, maxIterations).FindMinimum(objective, Vector<double>.Build.DenseOfArray(start));
        }
        catch (Exception e) when (e is MaximumIterationsException or OptimizationException or ArgumentException) { }
        return GpHyperparameters.FromArray(best.Theta, d);
    }

    // -log p(y | theta) - log p(theta) and its gradient; dL/dtheta = 1/2 tr((alpha alpha^T - K^{-1}) dK/dtheta).
    internal static (double, double[]) NegativeLogPosterior(IReadOnlyList<double[]> x, IReadOnlyList<double> y, double[] theta, int d, double priorMu, double priorSd)
    {
        int n = x.Count;
        var grad = new double[d + 2];
        // Keep the search in a sane box; outside it the objective is +inf and L-BFGS backtracks.
        for (int j = 0; j < d; j++) if (theta[j] is < -7 or > 7) return (double.PositiveInfinity, grad);
        if (theta[d] is < -7 or > 7 || theta[d + 1] is < -25 or > 2) return (double.PositiveInfinity, grad);
        var invL2 = new double[d];
        for (int j = 0; j < d; j++) invL2[j] = Math.Exp(-2 * theta[j]);
        double s2 = Math.Exp(theta[d]), noise = Math.Exp(theta[d + 1]);
        var k = Matrix<double>.Build.Dense(n, n);
        var r = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int m = 0; m <= i; m++)
            {
                double r2 = 0;
                for (int j = 0; j < d; j++) { double t = x[i][j] - x[m][j]; r2 += t * t * invL2[j]; }
                double rr = Math.Sqrt(r2);
                double kv = s2 * (1 + Sqrt5 * rr + 5.0 / 3.0 * r2) * Math.Exp(-Sqrt5 * rr);
                k[i, m] = kv; k[m, i] = kv; r[i, m] = rr; r[m, i] = rr;
            }
        for (int i = 0; i < n; i++) k[i, i] += noise + NoiseFloor;
        Cholesky<double> chol;
        try { chol = k.Cholesky(); } catch (ArgumentException) { return (double.PositiveInfinity, grad); }
        var yv = Vector<double>.Build.DenseOfEnumerable(y);
        var alpha = chol.Solve(yv);
        double nll = 0.5 * yv.DotProduct(alpha) + 0.5 * chol.DeterminantLn + 0.5 * n * Math.Log(2 * Math.PI);
        var kinv = chol.Solve(Matrix<double>.Build.DenseIdentity(n));
        // W = alpha alpha^T - K^{-1}; d(-L)/dtheta = -1/2 sum W .* dK
        for (int i = 0; i < n; i++)
            for (int m = 0; m < n; m++)
            {
                double w = alpha[i] * alpha[m] - kinv[i, m];
                double rr = r[i, m];
                double e = Math.Exp(-Sqrt5 * rr);
                double kf = s2 * (1 + Sqrt5 * rr + 5.0 / 3.0 * rr * rr) * e;
                grad[d] -= 0.5 * w * kf;
                if (i == m) grad[d + 1] -= 0.5 * w * noise;
                if (i == m) continue;
                double common = s2 * 5.0 / 3.0 * (1 + Sqrt5 * rr) * e; // dk/dlog l_j = common * (dx_j^2 / l_j^2)
                for (int j = 0; j < d; j++)
                {
                    double t = x[i][j] - x[m][j];
                    grad[j] -= 0.5 * w * common * t * t * invL2[j];
                }
            }
        // Priors: log l_j ~ N(priorMu, priorSd^2), log s2 ~ N(0, 1), log noise ~ N(-8, 2^2).
        for (int j = 0; j < d; j++) { double z = (theta[j] - priorMu) / priorSd; nll += 0.5 * z * z; grad[j] += z / priorSd; }
        nll += 0.5 * theta[d] * theta[d]; grad[d] += theta[d];
        { double z = (theta[d + 1] + 8) / 2; nll += 0.5 * z * z; grad[d + 1] += z / 2; }
        return (nll, grad);
    }
}
