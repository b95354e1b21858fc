using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Samplers.Methods;

/// <summary>An MCLMC state: position x, unit momentum u (|u| = 1), log density and gradient at x.</summary>
public sealed class MclmcState(int dimension)
{
    public double[] Position { get; } = new double[dimension];
    public double[] Momentum { get; } = new double[dimension];
    public double[] Gradient { get; } = new double[dimension];
    public double LogDensity { get; set; }

    public void CopyFrom(MclmcState other)
    {
        other.Position.CopyTo(Position, 0);
        other.Momentum.CopyTo(Momentum, 0);
        other.Gradient.CopyTo(Gradient, 0);
        LogDensity = other.LogDensity;
    }
}

/// <param name="StepSize">integrator step eps.</param>
/// <param name="L">momentum decoherence length.</param>
/// <param name="SqrtDiagCov">diagonal preconditioner (sqrt of the diagonal covariance), or null for none.</param>
public sealed record MclmcParameters(double StepSize, double L, double[]? SqrtDiagCov);

/// <summary>
/// One MCLMC step: energy change (kinetic change minus the log-density change; 0 when diverged),
/// whether it diverged (state kept, fresh momentum), and its gradient evaluations.
/// </summary>
public readonly record struct MclmcInfo(double EnergyChange, bool Diverged, int GradientEvaluations);

/// <summary>
/// Microcanonical Langevin Monte Carlo (Robnik, De Luca, Silverstein, Seljak, JMLR 2023; BlackJAX
/// mcmc/mclmc.py): one isokinetic integrator step, then the partial momentum refresh
/// u &lt;- (u + nu z) / |u + nu z|, nu = sqrt((exp(2 eps / L) - 1) / d), z ~ N(0, I).
/// A step whose state is non-finite, or whose energy error exceeds <see cref="MaxEnergyChange"/>
/// (Stan's divergence threshold, BlackJAX's handle_high_energy with a finite cutoff), is a
/// divergence: the previous position is kept and a fresh unit momentum drawn.
/// </summary>
public sealed class MclmcKernel
{
    public const double MaxEnergyChange = 1000;

    private readonly IPosterior _posterior;
    private readonly IsokineticIntegrator _integrator;

    public MclmcKernel(IPosterior posterior, MclmcIntegratorKind integrator)
    {
        _posterior = posterior;
        _integrator = new IsokineticIntegrator(posterior, integrator);
    }

    public IsokineticIntegrator Integrator => _integrator;

    /// <summary>The state at <paramref name="position"/> with a uniformly random unit momentum.</summary>
    public MclmcState Init(Rng rng, ReadOnlySpan<double> position)
    {
        var state = new MclmcState(position.Length);
        position.CopyTo(state.Position);
        state.LogDensity = _posterior.LogDensityAndGradient(state.Position, state.Gradient);
        RandomUnitVector(rng, state.Momentum);
        return state;
    }

    public MclmcInfo Step(Rng rng, MclmcParameters p, MclmcState current, MclmcState next)
    {
        next.CopyFrom(current);
        double kinetic = _integrator.Step(next, p.StepSize, p.SqrtDiagCov);
        PartiallyRefresh(rng, next.Momentum, p.StepSize, p.L);
        double energyChange = kinetic - (next.LogDensity - current.LogDensity);
        int cost = _integrator.GradientEvaluationsPerStep;
        if (!double.IsFinite(energyChange) || Math.Abs(energyChange) > MaxEnergyChange
            || !KernelRuns.AllFinite(next.Position) || !KernelRuns.AllFinite(next.Momentum) || !KernelRuns.AllFinite(next.Gradient))
        {
            next.CopyFrom(current);
            RandomUnitVector(rng, next.Momentum);
            return new MclmcInfo(0, Diverged: true, cost);
        }
        return new MclmcInfo(energyChange, Diverged: false, cost);
    }

    /// <summary>BlackJAX partially_refresh_momentum: adds N(0, nu^2 I) noise and renormalizes.</summary>
    public static void PartiallyRefresh(Rng rng, double[] u, double stepSize, double l)
    {
        double nu = Math.Sqrt((Math.Exp(2 * stepSize / l) - 1) / u.Length);
        double sq = 0;
        for (int j = 0; j < u.Length; j++) { u[j] += nu * rng.NextNormal(); sq += u[j] * u[j]; }
        double scale = 1 / Math.Sqrt(sq);
        for (int j = 0; j < u.Length; j++) u[j] *= scale;
    }

    public static void RandomUnitVector(Rng rng, double[] u)
    {
        rng.FillNormal(u);
        double scale = 1 / Math.Sqrt(DenseMath.SquaredNorm(u));
        for (int j = 0; j < u.Length; j++) u[j] *= scale;
    }
}
