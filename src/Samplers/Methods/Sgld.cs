using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Samplers.Methods;

/// <summary>SGLD state: position, the RMSprop average of squared gradients (pSGLD) and the iteration t.</summary>
public sealed class SgldState(int dimension)
{
    public double[] Position { get; } = new double[dimension];
    public double[] SquaredGradientAverage { get; } = new double[dimension];
    public long Iteration { get; set; }

    public void CopyFrom(SgldState other)
    {
        other.Position.CopyTo(Position, 0);
        other.SquaredGradientAverage.CopyTo(SquaredGradientAverage, 0);
        Iteration = other.Iteration;
    }
}

/// <param name="Eta0">a in a_t = a (b + t)^(-gamma).</param>
/// <param name="Gamma">decay exponent; 0 gives a constant step.</param>
/// <param name="B">offset b of the schedule.</param>
/// <param name="Batch">minibatch size n (data posteriors only; n &gt;= N uses the full gradient).</param>
/// <param name="Precondition">RMSprop preconditioning (pSGLD).</param>
/// <param name="Alpha">pSGLD decay of the squared-gradient average.</param>
/// <param name="Lambda">pSGLD regularizer of 1 / (lambda + sqrt(V)).</param>
public sealed record SgldParameters(double Eta0, double Gamma, double B, int Batch, bool Precondition, double Alpha, double Lambda)
{
    /// <summary>a_t for t = 1, 2, ... (t starts at 1 so that b = 0 is allowed).</summary>
    public double StepSize(long t) => Eta0 * Math.Pow(B + t, -Gamma);
}

/// <summary>One SGLD step: the step size used, its cost in gradient evaluations (batch/N for a minibatch), and whether it diverged.</summary>
public readonly record struct SgldInfo(double StepSize, double GradientEvaluations, bool Diverged);

/// <summary>
/// Stochastic gradient Langevin dynamics (Welling &amp; Teh 2011, eq. 4):
/// x += (a_t / 2) g + N(0, a_t I), g = grad log prior + (N / n) sum_batch grad log lik,
/// with the minibatch drawn with replacement (an unbiased estimate of the full gradient).
/// With preconditioning it is pSGLD (Li, Chen, Carlson, Carin 2016, Algorithm 1, without the
/// Gamma correction as the paper does in practice): V = alpha V + (1 - alpha) g^2,
/// G = 1 / (lambda + sqrt(V)), x += (a_t / 2) G g + N(0, a_t G). Posteriors that are not
/// <see cref="IDataPosterior"/> use the full gradient. The kernel owns its scratch buffers;
/// <see cref="Step"/> reads one state and writes the next, allocating nothing.
/// </summary>
public sealed class SgldKernel
{
    private readonly IPosterior _posterior;
    private readonly IDataPosterior? _data;
    private readonly double[] _gradient, _likelihoodGradient;
    private int[] _indices = [];

    public SgldKernel(IPosterior posterior)
    {
        _posterior = posterior;
        _data = posterior as IDataPosterior;
        _gradient = new double[posterior.Dimension];
        _likelihoodGradient = new double[posterior.Dimension];
    }

    /// <summary>N, the data count of a data posterior (null otherwise): a batch above it is clamped to the full gradient.</summary>
    public int? DataCount => _data?.DataCount;

    /// <summary>The state at <paramref name="position"/> with V = 0 (Li et al.'s initialization) and t = 0.</summary>
    public static SgldState Init(ReadOnlySpan<double> position)
    {
        var state = new SgldState(position.Length);
        position.CopyTo(state.Position);
        return state;
    }

    public SgldInfo Step(Rng rng, SgldParameters p, SgldState current, SgldState next)
    {
        long t = current.Iteration + 1;
        double a = p.StepSize(t);
        double cost = EstimateGradient(rng, p.Batch, current.Position);
        next.Iteration = t;
        if (!KernelRuns.AllFinite(_gradient) || !double.IsFinite(a))
        {
            next.CopyFrom(current);
            next.Iteration = t;
            return new SgldInfo(a, cost, Diverged: true);
        }
        var x = current.Position;
        var v = current.SquaredGradientAverage;
        for (int j = 0; j < x.Length; j++)
        {
            double g = _gradient[j], precond = 1;
            if (p.Precondition)
            {
                double vj = p.Alpha * v[j] + (1 - p.Alpha) * g * g;
                next.SquaredGradientAverage[j] = vj;
                precond = 1 / (p.Lambda + Math.Sqrt(vj));
            }
            next.Position[j] = x[j] + 0.5 * a * precond * g + Math.Sqrt(a * precond) * rng.NextNormal();
        }
        return new SgldInfo(a, cost, Diverged: !KernelRuns.AllFinite(next.Position));
    }

    /// <summary>Writes the gradient estimate into _gradient; returns its cost in gradient evaluations.</summary>
    private double EstimateGradient(Rng rng, int batch, double[] x)
    {
        if (_data is null || batch >= _data.DataCount)
        {
            _posterior.LogDensityAndGradient(x, _gradient);
            return 1;
        }
        int n = _data.DataCount;
        if (_indices.Length != batch) _indices = new int[batch];
        for (int i = 0; i < batch; i++) _indices[i] = rng.NextInt(n);
        _data.LogPriorAndGradient(x, _gradient);
        Array.Clear(_likelihoodGradient);
        _data.LogLikelihoodAndGradient(x, _indices, _likelihoodGradient);
        DenseMath.Axpy((double)n / batch, _likelihoodGradient, _gradient);
        return (double)batch / n;
    }
}
