using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Samplers.Methods;

/// <summary>A MALA state: position, its log density and gradient.</summary>
public sealed class MalaState(int dimension)
{
    public double[] Position { get; } = new double[dimension];
    public double[] Gradient { get; } = new double[dimension];
    public double LogDensity { get; set; }

    public void CopyFrom(MalaState other)
    {
        other.Position.CopyTo(Position, 0);
        other.Gradient.CopyTo(Gradient, 0);
        LogDensity = other.LogDensity;
    }
}

/// <summary>
/// One MALA transition: the Metropolis acceptance probability min(1, exp(log ratio)), whether the
/// proposal was taken, and whether it was divergent (non-finite, or log ratio below
/// <see cref="MalaKernel.DivergenceLogRatio"/>, Stan's 1000 energy-error threshold).
/// </summary>
public readonly record struct MalaInfo(double AcceptanceProbability, bool Accepted, bool Diverged)
{
    public int GradientEvaluations => 1;
}

/// <summary>
/// Metropolis-adjusted Langevin algorithm (Roberts &amp; Tweedie 1996; Roberts &amp; Rosenthal 1998):
/// proposal y = x + (eps^2 / 2) grad log p(x) + eps z, z ~ N(0, I), accepted with probability
/// min(1, p(y) q(x | y) / (p(x) q(y | x))), q(b | a) = N(b; a + (eps^2 / 2) grad log p(a), eps^2 I).
/// One gradient evaluation per step. <see cref="Step"/> reads one state and writes the next.
/// </summary>
public sealed class MalaKernel(IPosterior posterior)
{
    /// <summary>A proposal whose log acceptance ratio is below this counts as a divergence (Stan's max_deltaH = 1000).</summary>
    public const double DivergenceLogRatio = -1000;

    private readonly double[] _noise = new double[posterior.Dimension];

    public MalaState Init(ReadOnlySpan<double> position)
    {
        var state = new MalaState(position.Length);
        position.CopyTo(state.Position);
        state.LogDensity = posterior.LogDensityAndGradient(state.Position, state.Gradient);
        return state;
    }

    public MalaInfo Step(Rng rng, double stepSize, MalaState current, MalaState next)
    {
        int d = current.Position.Length;
        double drift = 0.5 * stepSize * stepSize;
        rng.FillNormal(_noise);
        for (int j = 0; j < d; j++) next.Position[j] = current.Position[j] + drift * current.Gradient[j] + stepSize * _noise[j];
        next.LogDensity = posterior.LogDensityAndGradient(next.Position, next.Gradient);

        // log q(y | x) = -|z|^2 / 2; log q(x | y) = -|x - y - drift grad(y)|^2 / (2 eps^2).
        double forward = 0, backward = 0;
        for (int j = 0; j < d; j++)
        {
            forward += _noise[j] * _noise[j];
            double r = current.Position[j] - next.Position[j] - drift * next.Gradient[j];
            backward += r * r;
        }
        double logRatio = next.LogDensity - current.LogDensity - 0.5 * backward / (stepSize * stepSize) + 0.5 * forward;
        bool diverged = !double.IsFinite(next.LogDensity) || !(logRatio >= DivergenceLogRatio) || !KernelRuns.AllFinite(next.Gradient);
        double acceptance = diverged ? 0 : Math.Exp(Math.Min(0, logRatio));
        // The uniform is always drawn so that the random stream does not depend on the outcome.
        bool accept = rng.NextDouble() < acceptance;
        if (!accept) next.CopyFrom(current);
        return new MalaInfo(acceptance, accept, diverged);
    }
}
