using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Samplers.Mcmc;

/// <summary>Stan's defaults for an adaptive diagonal-metric NUTS chain (CmdStan's sample method).</summary>
public sealed record NutsSettings(
    int Warmup = 1000,
    int MaxTreeDepth = 10,
    double TargetAcceptance = 0.8,
    double InitialStepSize = 1.0,
    double MaxDeltaH = 1000,
    int InitBuffer = 75,
    int TermBuffer = 50,
    int BaseWindow = 25,
    double InitRadius = 2.0,
    bool SaveWarmup = false);

/// <summary>One stored iteration: the constrained parameters, lp__ (unconstrained log density) and the transition's diagnostics.</summary>
public sealed record NutsDraw(int Iteration, bool Warmup, double[] Values, double LogDensity, NutsInfo Info);

/// <summary>Plain-data adaptation state; null once warm-up is over.</summary>
public sealed record NutsAdaptationCheckpoint(StepSizeAdaptationState StepSize, WindowedAdaptationState Metric);

/// <summary>
/// Everything needed to continue a chain bit for bit: plain arrays and numbers, so it
/// round-trips through System.Text.Json. Draws are not part of it: the runner persists them.
/// </summary>
public sealed record NutsCheckpoint(
    int Version,
    ulong Seed,
    int ChainIndex,
    NutsSettings Settings,
    ulong[] RngState,
    double[] Position,
    double StepSize,
    double[] InverseMetric,
    bool AdaptationFinished,
    NutsAdaptationCheckpoint? Adaptation,
    int WarmupIterationsDone,
    int SamplingIterationsDone);

/// <summary>
/// One NUTS chain as Stan's hmc_nuts_diag_e_adapt service runs it: a uniform(-2, 2) start on the
/// unconstrained space (up to 100 attempts), warm-up with step size and windowed metric
/// adaptation (adapt_diag_e_nuts::transition), then sampling with the adapted step size and
/// metric. It can be extended in rounds and checkpointed between iterations.
/// The posterior instance must not be shared with another thread (pass a Clone()).
/// </summary>
public sealed class NutsChain
{
    public const int CheckpointVersion = 1;
    private const int MaxInitAttempts = 100;

    private readonly IPosterior _posterior;
    private readonly NutsKernel _kernel;
    private readonly Rng _rng;
    private readonly double[] _inverseMetric;
    private readonly StepSizeAdaptation _stepSizeAdaptation;
    private readonly WindowedAdaptation _metricAdaptation;
    private readonly List<NutsDraw> _draws = [];
    private NutsState _state;
    private double _stepSize;

    private NutsChain(IPosterior posterior, ulong seed, int chainIndex, NutsSettings settings, Rng rng, NutsState state, double[] inverseMetric, double stepSize)
    {
        _posterior = posterior;
        Seed = seed;
        ChainIndex = chainIndex;
        Settings = settings;
        _rng = rng;
        _state = state;
        _inverseMetric = inverseMetric;
        _stepSize = stepSize;
        _kernel = new NutsKernel(posterior, settings.MaxTreeDepth, settings.MaxDeltaH);
        _stepSizeAdaptation = new StepSizeAdaptation(settings.TargetAcceptance);
        _metricAdaptation = new WindowedAdaptation(posterior.Dimension, settings.Warmup, settings.InitBuffer, settings.TermBuffer, settings.BaseWindow);
    }

    public ulong Seed { get; }
    public int ChainIndex { get; }
    public NutsSettings Settings { get; }
    public int WarmupIterationsDone { get; private set; }
    public int SamplingIterationsDone { get; private set; }
    public bool AdaptationFinished { get; private set; }
    public double StepSize => _stepSize;
    public double[] InverseMetric => (double[])_inverseMetric.Clone();
    public NutsState State => _state;

    /// <summary>Draws appended by <see cref="Run"/> since the start (or the last <see cref="TakeDraws"/>).</summary>
    public IReadOnlyList<NutsDraw> Draws => _draws;

    /// <summary>Returns and forgets the stored draws, for a runner that persists them round by round.</summary>
    public List<NutsDraw> TakeDraws()
    {
        var taken = new List<NutsDraw>(_draws);
        _draws.Clear();
        return taken;
    }

    /// <summary>
    /// Starts chain <paramref name="chainIndex"/> of a run seeded by <paramref name="seed"/>: finds a
    /// finite initial point (or uses <paramref name="initialPosition"/>) and, when there is warm-up,
    /// runs Stan's initial step size search. Throws <see cref="NutsFailureException"/> with the reason
    /// when no finite start or step size exists.
    /// </summary>
    public static NutsChain Start(IPosterior posterior, ulong seed, int chainIndex, NutsSettings? settings = null, double[]? initialPosition = null)
    {
        settings ??= new NutsSettings();
        if (settings.Warmup < 0) throw new ArgumentOutOfRangeException(nameof(settings), "warm-up must be non-negative");
        if (!(settings.InitialStepSize > 0) || !double.IsFinite(settings.InitialStepSize)) throw new ArgumentOutOfRangeException(nameof(settings), "initial step size must be finite and positive");
        var rng = Rng.ForStream(seed, (ulong)chainIndex);
        int d = posterior.Dimension;
        var inverseMetric = new double[d];
        Array.Fill(inverseMetric, 1.0);
        var probe = new NutsKernel(posterior, settings.MaxTreeDepth, settings.MaxDeltaH);
        var state = initialPosition is null ? RandomInit(probe, rng, d, settings.InitRadius) : CheckedInit(probe, initialPosition);
        var chain = new NutsChain(posterior, seed, chainIndex, settings, rng, state, inverseMetric, settings.InitialStepSize);
        if (settings.Warmup > 0)
        {
            // Stan: set_mu(log(10 * stepsize)) from the user's step size, then init_stepsize.
            chain._stepSizeAdaptation.SetMu(Math.Log(10 * settings.InitialStepSize));
            chain._stepSizeAdaptation.Restart();
            chain._stepSize = chain._kernel.FindInitialStepSize(rng, state, chain._stepSize, inverseMetric);
        }
        else chain.AdaptationFinished = true;
        return chain;
    }

    /// <summary>Continues a chain from <paramref name="checkpoint"/>; the posterior must be the same model.</summary>
    public static NutsChain Resume(IPosterior posterior, NutsCheckpoint checkpoint)
    {
        if (checkpoint.Version != CheckpointVersion) throw new ArgumentException($"NUTS checkpoint version {checkpoint.Version} is not {CheckpointVersion}", nameof(checkpoint));
        if (checkpoint.Position.Length != posterior.Dimension || checkpoint.InverseMetric.Length != posterior.Dimension)
            throw new ArgumentException("checkpoint dimension differs from the posterior's", nameof(checkpoint));
        var probe = new NutsKernel(posterior, checkpoint.Settings.MaxTreeDepth, checkpoint.Settings.MaxDeltaH);
        var state = CheckedInit(probe, checkpoint.Position);
        var chain = new NutsChain(posterior, checkpoint.Seed, checkpoint.ChainIndex, checkpoint.Settings, Rng.FromState(checkpoint.RngState),
            state, (double[])checkpoint.InverseMetric.Clone(), checkpoint.StepSize)
        {
            AdaptationFinished = checkpoint.AdaptationFinished,
            WarmupIterationsDone = checkpoint.WarmupIterationsDone,
            SamplingIterationsDone = checkpoint.SamplingIterationsDone,
        };
        if (!checkpoint.AdaptationFinished)
        {
            var adaptation = checkpoint.Adaptation ?? throw new ArgumentException("checkpoint in warm-up lacks the adaptation state", nameof(checkpoint));
            chain._stepSizeAdaptation.Restore(adaptation.StepSize);
            chain._metricAdaptation.Restore(adaptation.Metric);
        }
        return chain;
    }

    public NutsCheckpoint Checkpoint() => new(
        CheckpointVersion, Seed, ChainIndex, Settings, _rng.SaveState(), (double[])_state.Position.Clone(), _stepSize,
        (double[])_inverseMetric.Clone(), AdaptationFinished,
        AdaptationFinished ? null : new NutsAdaptationCheckpoint(_stepSizeAdaptation.Save(), _metricAdaptation.Save()),
        WarmupIterationsDone, SamplingIterationsDone);

    /// <summary>
    /// Runs up to <paramref name="iterations"/> more transitions (warm-up first), stopping early
    /// between iterations when <paramref name="cancellationToken"/> fires. Returns the number run.
    /// </summary>
    public int Run(int iterations, CancellationToken cancellationToken = default)
    {
        int done = 0;
        for (; done < iterations && !cancellationToken.IsCancellationRequested; done++)
        {
            bool warmup = !AdaptationFinished;
            var (next, info) = _kernel.Step(_rng, _state, _stepSize, _inverseMetric);
            _state = next;
            int iteration = WarmupIterationsDone + SamplingIterationsDone;
            if (warmup) Adapt(info);
            else SamplingIterationsDone++;
            if (!warmup || Settings.SaveWarmup) _draws.Add(MakeDraw(iteration, warmup, info));
        }
        return done;
    }

    /// <summary>adapt_diag_e_nuts::transition after the NUTS step, then disengage_adaptation at the end of warm-up.</summary>
    private void Adapt(NutsInfo info)
    {
        _stepSize = _stepSizeAdaptation.Learn(info.AcceptanceStatistic);
        if (_metricAdaptation.Learn(_inverseMetric, _state.Position))
        {
            _stepSize = _kernel.FindInitialStepSize(_rng, _state, _stepSize, _inverseMetric);
            _stepSizeAdaptation.SetMu(Math.Log(10 * _stepSize));
            _stepSizeAdaptation.Restart();
        }
        WarmupIterationsDone++;
        if (WarmupIterationsDone >= Settings.Warmup)
        {
            _stepSize = _stepSizeAdaptation.FinalStepSize();
            AdaptationFinished = true;
        }
    }

    private NutsDraw MakeDraw(int iteration, bool warmup, NutsInfo info)
    {
        var values = new double[_posterior.ParameterNames.Count];
        _posterior.Constrain(_state.Position, values);
        return new NutsDraw(iteration, warmup, values, _state.LogDensity, info);
    }

    /// <summary>Stan's random inits: uniform(-R, R) per coordinate until log density and gradient are finite.</summary>
    private static NutsState RandomInit(NutsKernel kernel, Rng rng, int d, double radius)
    {
        var x = new double[d];
        for (int attempt = 0; attempt < MaxInitAttempts; attempt++)
        {
            for (int i = 0; i < d; i++) x[i] = radius * (2 * rng.NextDouble() - 1);
            var state = kernel.Init(x);
            if (IsFinite(state)) return state;
        }
        throw new NutsFailureException(
            $"Initialization failed: no point with a finite log density and gradient in {MaxInitAttempts} uniform(-{radius}, {radius}) attempts on the unconstrained space.");
    }

    private static NutsState CheckedInit(NutsKernel kernel, double[] position)
    {
        var state = kernel.Init(position);
        if (!IsFinite(state)) throw new NutsFailureException("The given initial point has a non-finite log density or gradient.");
        return state;
    }

    private static bool IsFinite(NutsState state)
    {
        if (!double.IsFinite(state.LogDensity)) return false;
        foreach (double g in state.Gradient)
            if (!double.IsFinite(g)) return false;
        return true;
    }
}
