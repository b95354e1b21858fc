namespace SamplerTune.Samplers.Mcmc;

/// <summary>Plain-data state of the windowed metric adaptation, for checkpoints.</summary>
public sealed record WindowedAdaptationState(int Counter, int WindowSize, int NextWindowEnd, VarianceEstimatorState Estimator);

/// <summary>
/// Stan's windowed adaptation of a diagonal inverse metric (stan/src/stan/mcmc/windowed_adaptation.hpp
/// and var_adaptation.hpp): a fast initial buffer (75) where only the step size adapts, then slow
/// windows (25, 50, 100, ...) that each end with a new regularized variance estimate, the last one
/// stretched to reach the terminal buffer (50). Warm-up shorter than init + window + term buffers
/// uses 15% / 75% / 10%; below 20 iterations the metric is not adapted.
/// <para>
/// One deliberate difference: Stan's 15/75/10 branch does not call restart(), which leaves its
/// first window end at the unsigned -1 of the default constructor, so Stan never updates the
/// metric for 20 &lt;= warm-up &lt; 150 even though it announces the 15/75/10 split. We restart, so
/// that split is what runs (one window ending at 90% of warm-up).
/// </para>
/// </summary>
public sealed class WindowedAdaptation
{
    public WindowedAdaptation(int dimension, int numWarmup, int initBuffer = 75, int termBuffer = 50, int baseWindow = 25)
    {
        if (numWarmup < 0 || initBuffer < 0 || termBuffer < 0 || baseWindow < 0) throw new ArgumentOutOfRangeException(nameof(numWarmup), "window parameters must be non-negative");
        Estimator = new VarianceEstimator(dimension);
        NumWarmup = numWarmup;
        Enabled = numWarmup >= 20;
        if (!Enabled) return;
        if (initBuffer + baseWindow + termBuffer > numWarmup)
        {
            // Stan truncates the products to unsigned ints.
            initBuffer = (int)(0.15 * numWarmup);
            termBuffer = (int)(0.10 * numWarmup);
            baseWindow = numWarmup - (initBuffer + termBuffer);
        }
        (InitBuffer, TermBuffer, BaseWindow) = (initBuffer, termBuffer, baseWindow);
        Restart();
    }

    public VarianceEstimator Estimator { get; }
    public int NumWarmup { get; }
    /// <summary>False when warm-up is shorter than 20: the metric stays as it is.</summary>
    public bool Enabled { get; }
    public int InitBuffer { get; }
    public int TermBuffer { get; }
    public int BaseWindow { get; }

    /// <summary>Warm-up iterations seen so far (0-based index of the next one).</summary>
    public int Counter { get; private set; }
    public int WindowSize { get; private set; }
    /// <summary>0-based counter value at which the current slow window ends.</summary>
    public int NextWindowEnd { get; private set; }

    private int LastSlowIteration => NumWarmup - TermBuffer - 1;

    public void Restart()
    {
        Counter = 0;
        WindowSize = BaseWindow;
        NextWindowEnd = InitBuffer + WindowSize - 1;
    }

    public bool InAdaptationWindow => Enabled && Counter >= InitBuffer && Counter < NumWarmup - TermBuffer && Counter != NumWarmup;

    public bool EndOfAdaptationWindow => Enabled && Counter == NextWindowEnd && Counter != NumWarmup;

    private void ComputeNextWindow()
    {
        if (NextWindowEnd == LastSlowIteration) return;
        WindowSize *= 2;
        NextWindowEnd = Counter + WindowSize;
        if (NextWindowEnd == LastSlowIteration) return;
        // If the window after this one would overrun the slow phase, stretch this one to its end.
        long nextWindowBoundary = (long)NextWindowEnd + 2L * WindowSize;
        if (nextWindowBoundary >= NumWarmup - TermBuffer) NextWindowEnd = LastSlowIteration;
    }

    /// <summary>
    /// var_adaptation::learn_variance: feed the position of one warm-up transition; at a window end
    /// write the regularized variance into <paramref name="inverseMetric"/> and return true (the
    /// caller then re-runs the step size search and restarts dual averaging).
    /// </summary>
    public bool Learn(double[] inverseMetric, ReadOnlySpan<double> position)
    {
        if (InAdaptationWindow) Estimator.Add(position);
        if (EndOfAdaptationWindow)
        {
            ComputeNextWindow();
            Estimator.RegularizedVariance(inverseMetric);
            foreach (double v in inverseMetric)
                if (!double.IsFinite(v) || !(v > 0))
                    throw new NutsFailureException(
                        "Numerical overflow in metric adaptation: the sampler met extreme values on the unconstrained space; " +
                        "the posterior may be too wide or improper.");
            Estimator.Restart();
            ++Counter;
            return true;
        }
        ++Counter;
        return false;
    }

    public WindowedAdaptationState Save() => new(Counter, WindowSize, NextWindowEnd, Estimator.Save());

    public void Restore(WindowedAdaptationState state)
    {
        (Counter, WindowSize, NextWindowEnd) = (state.Counter, state.WindowSize, state.NextWindowEnd);
        Estimator.Restore(state.Estimator);
    }
}
