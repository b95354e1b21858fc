namespace SamplerTune.Samplers.Mcmc;

/// <summary>Plain-data state of the dual averaging, for checkpoints.</summary>
public sealed record StepSizeAdaptationState(double Mu, int Counter, double SBar, double XBar);

/// <summary>
/// Nesterov dual averaging of log(step size) as Stan does it (stan/src/stan/mcmc/stepsize_adaptation.hpp;
/// Hoffman &amp; Gelman 2014, §3.2.1): s_bar tracks delta - accept, x = mu - s_bar sqrt(t) / gamma
/// is the next log step size and x_bar its weighted average, whose exp is the final step size.
/// </summary>
public sealed class StepSizeAdaptation
{
    // The step size is clamped to this range so that it always stays finite and positive.
    private const double MinLogStepSize = -690, MaxLogStepSize = 690;

    public StepSizeAdaptation(double delta = 0.8, double gamma = 0.05, double kappa = 0.75, double t0 = 10)
    {
        if (!(delta > 0 && delta < 1)) throw new ArgumentOutOfRangeException(nameof(delta), "target acceptance must lie in (0, 1)");
        (Delta, Gamma, Kappa, T0) = (delta, gamma, kappa, t0);
    }

    public double Delta { get; }
    public double Gamma { get; }
    public double Kappa { get; }
    public double T0 { get; }

    public double Mu { get; private set; } = Math.Log(10);
    public int Counter { get; private set; }
    public double SBar { get; private set; }
    public double XBar { get; private set; }

    /// <summary>The shrinkage target: Stan sets mu = log(10 eps) at the start and after every metric window.</summary>
    public void SetMu(double mu) => Mu = mu;

    public void Restart()
    {
        Counter = 0;
        SBar = 0;
        XBar = 0;
    }

    /// <summary>One dual-averaging update from a transition's acceptance statistic; returns the next step size.</summary>
    public double Learn(double acceptStat)
    {
        // A NaN acceptance is a failed transition: it counts as 0, which shrinks the step.
        if (double.IsNaN(acceptStat)) acceptStat = 0;
        acceptStat = Math.Clamp(acceptStat, 0, 1);
        ++Counter;
        double eta = 1.0 / (Counter + T0);
        SBar = (1 - eta) * SBar + eta * (Delta - acceptStat);
        double x = Math.Clamp(Mu - SBar * Math.Sqrt(Counter) / Gamma, MinLogStepSize, MaxLogStepSize);
        double xEta = Math.Pow(Counter, -Kappa);
        XBar = (1 - xEta) * XBar + xEta * x;
        return Math.Exp(x);
    }

    /// <summary>The step size used after warm-up: exp(x_bar).</summary>
    public double FinalStepSize() => Math.Exp(Math.Clamp(XBar, MinLogStepSize, MaxLogStepSize));

    public StepSizeAdaptationState Save() => new(Mu, Counter, SBar, XBar);

    public void Restore(StepSizeAdaptationState state) => (Mu, Counter, SBar, XBar) = (state.Mu, state.Counter, state.SBar, state.XBar);
}
