using System.Text.Json.Nodes;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Samplers.Methods;

/// <summary>
/// The <c>mclmc</c> method: with tune=on, <see cref="MclmcTuner"/> first finds eps and L (and a diagonal
/// preconditioner when precond=on) and the run then samples with eps = step_size * tuned eps and
/// L = L * tuned L, so step_size and L are MULTIPLIERS of the tuned values (1 = as tuned). With tune=off,
/// step_size and L are used as given, without preconditioning. Tuning steps count in the gradient
/// budget but give no draws.
/// </summary>
public sealed class MclmcMethod : ISamplingMethod
{
    public string Name => "mclmc";

    public string Description => "microcanonical Langevin Monte Carlo (Robnik et al. 2023, BlackJAX) with its three-stage step size and L tuning";

    public IReadOnlyList<HyperparameterSpec> HyperparameterSpecs { get; } =
    [
        new("step_size", HyperparameterKind.Real, 1.0, "integrator step size eps; with tune=on a multiplier of the tuned eps, with tune=off the step size itself", 1e-10, 1e6),
        new("L", HyperparameterKind.Real, 1.0, "momentum decoherence length; with tune=on a multiplier of the tuned L, with tune=off L itself", 1e-10, 1e10),
        new("integrator", HyperparameterKind.Categorical, "mclachlan", "isokinetic integrator: mclachlan (minimal norm, 2 gradients per step) or leapfrog (1 gradient per step)", Choices: ["mclachlan", "leapfrog"]),
        new("precond", HyperparameterKind.Categorical, "on", "diagonal preconditioning estimated by the tuning (needs tune=on)", Choices: ["on", "off"]),
        new("tune", HyperparameterKind.Categorical, "on", "run BlackJAX's three-stage tuning of eps and L first", Choices: ["on", "off"]),
        new("tune_steps", HyperparameterKind.Int, 5000, "N of the tuning: its stages take 10% + 10% + 10% of N steps (plus N/30 with precond); the preconditioner is estimated from the second 10%", 10, 10_000_000),
        KernelRuns.BurnInSpec(0.1),
        KernelRuns.ThinSpec,
        KernelRuns.MaxDrawsSpec,
    ];

    public IMethodRun Start(IPosterior posterior, Hyperparameters hyperparameters, ulong seed) =>
        MclmcRun.Start(posterior, hyperparameters, seed);

    public IMethodRun Resume(IPosterior posterior, Hyperparameters hyperparameters, JsonNode checkpoint) =>
        MclmcRun.Resume(posterior, hyperparameters, KernelRuns.FromNode<MclmcCheckpoint>(checkpoint));
}

public sealed record MclmcCheckpoint(
    int Version, KernelRunCheckpoint Run, double[] Position, double[] Momentum, double[] Gradient, double LogDensity,
    MclmcTunerState? Tuner, MclmcParameters? Parameters, double TuningGradientEvaluations,
    long SamplingSteps, long Divergences, int ConsecutiveDivergences, double EnergyChangeSquareSum);

/// <summary>
/// One MCLMC chain. Divergent steps are counted and the state kept (see <see cref="MclmcKernel"/>);
/// the run stops, flagged, after <see cref="MaxConsecutiveDivergences"/> in a row (the chain is stuck),
/// or when the tuning collapses the step size below 1e-8.
/// </summary>
public sealed class MclmcRun : KernelRun
{
    public const int MaxConsecutiveDivergences = 100;
    public const string CollapsedReason = "tuning collapsed the step size below 1e-8";
    private const int CheckpointVersion = 1;
    private readonly MclmcKernel _kernel;
    private readonly MclmcTuner? _tuner;
    private readonly double _stepSizeFactor, _lFactor;
    private MclmcState _current, _next;
    private MclmcParameters? _parameters;
    private double _tuningGradientEvaluations, _energyChangeSquareSum;
    private long _samplingSteps, _divergences;
    private int _consecutiveDivergences;

    private MclmcRun(IPosterior posterior, Hyperparameters h, Rng rng, DrawStore draws, MclmcKernel kernel, MclmcState state,
        MclmcTunerState? tunerState, double gradientEvaluations, string? reason)
        : base(posterior, rng, draws, h.Real("burnin"), gradientEvaluations, reason)
    {
        _kernel = kernel;
        _current = state;
        _next = new MclmcState(posterior.Dimension);
        if (h.Flag("tune"))
        {
            _tuner = new MclmcTuner(posterior.Dimension, h.Int("tune_steps"), h.Flag("precond"), tunerState);
            (_stepSizeFactor, _lFactor) = (h.Real("step_size"), h.Real("L"));
        }
        else _parameters = new MclmcParameters(h.Real("step_size"), h.Real("L"), null);
    }

    private static MclmcKernel NewKernel(IPosterior posterior, Hyperparameters h) =>
        new(posterior, h.Text("integrator") == "leapfrog" ? MclmcIntegratorKind.Leapfrog : MclmcIntegratorKind.McLachlan);

    public static MclmcRun Start(IPosterior posterior, Hyperparameters h, ulong seed)
    {
        var rng = new Rng(seed);
        var kernel = NewKernel(posterior, h);
        var x = new double[posterior.Dimension];
        double lp = KernelRuns.RandomStart(posterior, rng, x, new double[posterior.Dimension]);
        var run = new MclmcRun(posterior, h, rng, KernelRuns.NewDrawStore(posterior, h), kernel, kernel.Init(rng, x), null,
            double.IsNaN(lp) ? 0 : 1, double.IsNaN(lp) ? KernelRuns.NoStartReason : null);
        run.FinishTuningIfDone();
        return run;
    }

    public static MclmcRun Resume(IPosterior posterior, Hyperparameters h, MclmcCheckpoint c)
    {
        if (c.Version != CheckpointVersion) throw new InvalidDataException($"mclmc checkpoint version {c.Version}, expected {CheckpointVersion}");
        var (rng, draws) = KernelRuns.Restore(posterior, h, c.Run);
        var state = new MclmcState(posterior.Dimension) { LogDensity = c.LogDensity };
        c.Position.CopyTo(state.Position, 0);
        c.Momentum.CopyTo(state.Momentum, 0);
        c.Gradient.CopyTo(state.Gradient, 0);
        return new MclmcRun(posterior, h, rng, draws, NewKernel(posterior, h), state, c.Tuner, c.Run.GradientEvaluations, c.Run.DivergenceReason)
        {
            _parameters = c.Parameters, _tuningGradientEvaluations = c.TuningGradientEvaluations, _samplingSteps = c.SamplingSteps,
            _divergences = c.Divergences, _consecutiveDivergences = c.ConsecutiveDivergences, _energyChangeSquareSum = c.EnergyChangeSquareSum,
        };
    }

    /// <summary>The parameters the sampling uses (null while tuning).</summary>
    public MclmcParameters? Parameters => _parameters;

    /// <summary>The tuner's result before the multipliers (null without tuning or before it ends).</summary>
    public MclmcParameters? TunedParameters => _tuner is { Finished: true } ? _tuner.Parameters : null;

    protected override void TakeStep()
    {
        if (_parameters is null)
        {
            var tuningInfo = _tuner!.Step(_kernel, Rng, _current, _next);
            (_current, _next) = (_next, _current);
            ExactGradientEvaluations += tuningInfo.GradientEvaluations;
            _tuningGradientEvaluations += tuningInfo.GradientEvaluations;
            FinishTuningIfDone();
            return;
        }
        var info = _kernel.Step(Rng, _parameters, _current, _next);
        (_current, _next) = (_next, _current);
        ExactGradientEvaluations += info.GradientEvaluations;
        _samplingSteps++;
        if (info.Diverged) { _divergences++; _consecutiveDivergences++; }
        else { _consecutiveDivergences = 0; _energyChangeSquareSum += info.EnergyChange * info.EnergyChange; }
        Keep(_current.Position);
        if (_consecutiveDivergences >= MaxConsecutiveDivergences)
            Stop($"{MaxConsecutiveDivergences} consecutive divergent MCLMC steps (non-finite state or |energy change| > {MclmcKernel.MaxEnergyChange}) at step size {_parameters.StepSize:G3}: the chain is stuck");
    }

    private void FinishTuningIfDone()
    {
        if (_tuner is null || _parameters is not null || Finished) return;
        if (_tuner.Collapsed) { Stop(CollapsedReason); return; }
        if (!_tuner.Finished) return;
        var tuned = _tuner.Parameters;
        _parameters = new MclmcParameters(tuned.StepSize * _stepSizeFactor, tuned.L * _lFactor, tuned.SqrtDiagCov);
    }

    public override IReadOnlyDictionary<string, double> Diagnostics()
    {
        var result = new Dictionary<string, double>
        {
            ["step_size"] = _parameters?.StepSize ?? _tuner?.Parameters.StepSize ?? double.NaN,
            ["L"] = _parameters?.L ?? _tuner?.Parameters.L ?? double.NaN,
            ["divergences"] = _divergences,
            ["sampling_steps"] = _samplingSteps,
            ["tuning_grad_evals"] = _tuningGradientEvaluations,
            ["tuning_finished"] = _tuner is null || _tuner.Finished ? 1 : 0,
            // Tuning aims at 5e-4 per dimension; far above it the draws are biased.
            ["energy_variance_per_dim"] = _samplingSteps - _divergences > 0 ? _energyChangeSquareSum / (_samplingSteps - _divergences) / Posterior.Dimension : double.NaN,
            ["stored_draws"] = StoredDraws,
        };
        if (TunedParameters is { } tuned) { result["tuned_step_size"] = tuned.StepSize; result["tuned_L"] = tuned.L; }
        return result;
    }

    public override JsonNode Checkpoint() => KernelRuns.ToNode(new MclmcCheckpoint(CheckpointVersion, SaveCommon(),
        _current.Position, _current.Momentum, _current.Gradient, _current.LogDensity, _tuner?.State, _parameters,
        _tuningGradientEvaluations, _samplingSteps, _divergences, _consecutiveDivergences, _energyChangeSquareSum));
}
