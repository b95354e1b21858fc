using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Samplers.Methods;

public enum MclmcIntegratorKind { McLachlan, Leapfrog }

/// <summary>
/// Isokinetic (unit-speed) splitting integrators of MCLMC (Robnik et al., JMLR 2023, §2; BlackJAX
/// mcmc/integrators.py: esh_dynamics_momentum_update_one_step, isokinetic_mclachlan,
/// isokinetic_velocity_verlet). Coefficients alternate momentum and position updates:
/// leapfrog [1/2, 1, 1/2] (one gradient per step), McLachlan's minimal-norm
/// [b1, 1/2, 1 - 2 b1, 1/2, b1], b1 = 0.1931833275037836 (two gradients per step).
/// With a diagonal preconditioner sigma (sqrt of the diagonal covariance), the momentum update
/// sees sigma * gradient and the position moves by eps a sigma * u.
/// </summary>
public sealed class IsokineticIntegrator
{
    public const double McLachlanB1 = 0.1931833275037836;

    private readonly IPosterior _posterior;
    private readonly double[] _coefficients;
    private readonly double[] _scaledGradient;

    public IsokineticIntegrator(IPosterior posterior, MclmcIntegratorKind kind)
    {
        if (posterior.Dimension < 2) throw new SpecError("mclmc needs a posterior of dimension at least 2 (the isokinetic update divides by d - 1)");
        _posterior = posterior;
        Kind = kind;
        _coefficients = kind == MclmcIntegratorKind.McLachlan
            ? [McLachlanB1, 0.5, 1 - 2 * McLachlanB1, 0.5, McLachlanB1]
            : [0.5, 1, 0.5];
        _scaledGradient = new double[posterior.Dimension];
    }

    public MclmcIntegratorKind Kind { get; }

    /// <summary>Gradient evaluations per step: the number of position updates.</summary>
    public int GradientEvaluationsPerStep => _coefficients.Length / 2;

    /// <summary>
    /// One deterministic step, in place on <paramref name="state"/> (position, unit momentum, log density,
    /// gradient). Returns the kinetic-energy change summed over the momentum sub-steps.
    /// </summary>
    public double Step(MclmcState state, double stepSize, double[]? sqrtDiagCov)
    {
        double kinetic = 0;
        for (int k = 0; k < _coefficients.Length; k++)
        {
            double c = _coefficients[k];
            if (k % 2 == 0)
            {
                kinetic += UpdateMomentum(state.Momentum, state.Gradient, stepSize * c, sqrtDiagCov);
            }
            else
            {
                double h = stepSize * c;
                var x = state.Position;
                var u = state.Momentum;
                if (sqrtDiagCov is null) DenseMath.Axpy(h, u, x);
                else for (int j = 0; j < x.Length; j++) x[j] += h * sqrtDiagCov[j] * u[j];
                state.LogDensity = _posterior.LogDensityAndGradient(x, state.Gradient);
            }
        }
        return kinetic;
    }

    /// <summary>
    /// The exact isokinetic momentum flow for time <paramref name="eps"/> under a fixed gradient g
    /// (Steeg &amp; Galstyan 2021; BlackJAX esh_dynamics_momentum_update_one_step): e = g/|g|,
    /// delta = eps |g| / (d - 1), zeta = exp(-delta),
    /// u' ∝ e (1 - zeta)(1 + zeta + (u.e)(1 - zeta)) + 2 zeta u; returns the kinetic-energy change
    /// (delta - ln 2 + ln(1 + u.e + (1 - u.e) zeta^2)) (d - 1).
    /// </summary>
    public double UpdateMomentum(double[] u, double[] gradient, double eps, double[]? sqrtDiagCov)
    {
        int d = u.Length;
        var g = _scaledGradient;
        if (sqrtDiagCov is null) gradient.CopyTo(g, 0);
        else for (int j = 0; j < d; j++) g[j] = gradient[j] * sqrtDiagCov[j];
        double norm = Math.Sqrt(DenseMath.SquaredNorm(g));
        // BlackJAX leaves a (numerically) zero gradient unnormalized: then e = g ~ 0 and u is unchanged.
        double inv = norm > 1e-13 ? 1 / norm : 1;
        double proj = 0;
        for (int j = 0; j < d; j++) { g[j] *= inv; proj += u[j] * g[j]; }
        double delta = eps * norm / (d - 1);
        double zeta = Math.Exp(-delta);
        double a = (1 - zeta) * (1 + zeta + proj * (1 - zeta)), b = 2 * zeta;
        double sq = 0;
        for (int j = 0; j < d; j++) { u[j] = a * g[j] + b * u[j]; sq += u[j] * u[j]; }
        double scale = 1 / Math.Sqrt(sq);
        for (int j = 0; j < d; j++) u[j] *= scale;
        return (delta - Math.Log(2) + Math.Log(1 + proj + (1 - proj) * zeta * zeta)) * (d - 1);
    }
}
