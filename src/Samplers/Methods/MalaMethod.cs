using System.Text.Json.Nodes;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Mcmc;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Samplers.Methods;

/// <summary>
/// The <c>mala</c> method: <see cref="MalaKernel"/> with, when <c>adapt</c> is on, <c>warmup</c>
/// iterations of Stan's dual averaging (<see cref="StepSizeAdaptation"/>) toward <c>target_accept</c>,
/// starting from <c>step_size</c>; warm-up draws are not stored. With adapt off, <c>step_size</c> is used
/// as given from the first iteration.
/// </summary>
public sealed class MalaMethod : ISamplingMethod
{
    public string Name => "mala";

    public string Description => "Metropolis-adjusted Langevin algorithm with optional dual-averaging step-size adaptation";

    public IReadOnlyList<HyperparameterSpec> HyperparameterSpecs { get; } =
    [
        new("step_size", HyperparameterKind.Real, 0.1, "Langevin step size eps (proposal sd); with adapt=on the starting point of the adaptation", 1e-10, 1e6),
        new("adapt", HyperparameterKind.Categorical, "on", "dual-averaging adaptation of the step size during warm-up (Stan's constants)", Choices: ["on", "off"]),
        new("target_accept", HyperparameterKind.Real, 0.574, "acceptance rate the adaptation aims at (0.574 is optimal for MALA, Roberts & Rosenthal 1998)", 0.05, 0.95),
        new("warmup", HyperparameterKind.Int, 500, "adaptation iterations before draws are stored (used with adapt=on)", 1, 10_000_000),
        KernelRuns.BurnInSpec(0.1),
        KernelRuns.ThinSpec,
        KernelRuns.MaxDrawsSpec,
    ];

    public IMethodRun Start(IPosterior posterior, Hyperparameters hyperparameters, ulong seed) =>
        MalaRun.Start(posterior, hyperparameters, seed);

    public IMethodRun Resume(IPosterior posterior, Hyperparameters hyperparameters, JsonNode checkpoint) =>
        MalaRun.Resume(posterior, hyperparameters, KernelRuns.FromNode<MalaCheckpoint>(checkpoint));
}

public sealed record MalaCheckpoint(
    int Version, KernelRunCheckpoint Run, double[] Position, double LogDensity, double[] Gradient, double StepSize,
    StepSizeAdaptationState? Adaptation, long Iteration, long Divergences, int ConsecutiveDivergences, double AcceptanceSum, long SamplingIterations);

/// <summary>
/// One MALA chain. A rejected divergent proposal keeps the state (it is ordinary Metropolis); the run
/// stops, flagged, after <see cref="MaxConsecutiveDivergences"/> divergent proposals in a row, since the
/// chain is then stuck and its draws are a single point.
/// </summary>
public sealed class MalaRun : KernelRun
{
    public const int MaxConsecutiveDivergences = 100;
    private const int CheckpointVersion = 1;
    private readonly MalaKernel _kernel;
    private readonly StepSizeAdaptation? _adaptation;
    private readonly int _warmup;
    private MalaState _current, _next;
    private double _stepSize;
    private long _iteration, _divergences, _samplingIterations;
    private int _consecutiveDivergences;
    private double _acceptanceSum;

    private MalaRun(IPosterior posterior, Hyperparameters h, Rng rng, DrawStore draws, MalaKernel kernel, MalaState state, double gradientEvaluations, string? reason)
        : base(posterior, rng, draws, h.Real("burnin"), gradientEvaluations, reason)
    {
        _kernel = kernel;
        _current = state;
        _next = new MalaState(posterior.Dimension);
        _stepSize = h.Real("step_size");
        _warmup = h.Int("warmup");
        if (h.Flag("adapt"))
        {
            _adaptation = new StepSizeAdaptation(h.Real("target_accept"));
            _adaptation.SetMu(Math.Log(10 * _stepSize));
        }
    }

    private bool InWarmup => _adaptation is not null && _iteration < _warmup;

    public static MalaRun Start(IPosterior posterior, Hyperparameters h, ulong seed)
    {
        var rng = new Rng(seed);
        var kernel = new MalaKernel(posterior);
        var x = new double[posterior.Dimension];
        double lp = KernelRuns.RandomStart(posterior, rng, x, new double[posterior.Dimension]);
        return new MalaRun(posterior, h, rng, KernelRuns.NewDrawStore(posterior, h), kernel, kernel.Init(x),
            double.IsNaN(lp) ? 0 : 1, double.IsNaN(lp) ? KernelRuns.NoStartReason : null);
    }

    public static MalaRun Resume(IPosterior posterior, Hyperparameters h, MalaCheckpoint c)
    {
        if (c.Version != CheckpointVersion) throw new InvalidDataException($"mala checkpoint version {c.Version}, expected {CheckpointVersion}");
        var (rng, draws) = KernelRuns.Restore(posterior, h, c.Run);
        var state = new MalaState(posterior.Dimension) { LogDensity = c.LogDensity };
        c.Position.CopyTo(state.Position, 0);
        c.Gradient.CopyTo(state.Gradient, 0);
        var run = new MalaRun(posterior, h, rng, draws, new MalaKernel(posterior), state, c.Run.GradientEvaluations, c.Run.DivergenceReason)
        {
            _stepSize = c.StepSize, _iteration = c.Iteration, _divergences = c.Divergences,
            _consecutiveDivergences = c.ConsecutiveDivergences, _acceptanceSum = c.AcceptanceSum, _samplingIterations = c.SamplingIterations,
        };
        if (c.Adaptation is not null) run._adaptation?.Restore(c.Adaptation);
        return run;
    }

    protected override void TakeStep()
    {
        bool warmup = InWarmup;
        var info = _kernel.Step(Rng, _stepSize, _current, _next);
        ExactGradientEvaluations += info.GradientEvaluations;
        (_current, _next) = (_next, _current);
        _iteration++;
        if (info.Diverged) { _divergences++; _consecutiveDivergences++; }
        else _consecutiveDivergences = 0;

        if (warmup)
        {
            _stepSize = _adaptation!.Learn(info.AcceptanceProbability);
            if (_iteration == _warmup) _stepSize = _adaptation.FinalStepSize();
        }
        else
        {
            _samplingIterations++;
            _acceptanceSum += info.AcceptanceProbability;
            Keep(_current.Position);
        }
        if (_consecutiveDivergences >= MaxConsecutiveDivergences)
            Stop($"{MaxConsecutiveDivergences} consecutive divergent MALA proposals (log acceptance ratio below {MalaKernel.DivergenceLogRatio} or non-finite) at step size {_stepSize:G3}: the chain is stuck");
    }

    public override IReadOnlyDictionary<string, double> Diagnostics() => new Dictionary<string, double>
    {
        ["step_size"] = _stepSize,
        ["iterations"] = _iteration,
        ["acceptance_rate"] = _samplingIterations == 0 ? double.NaN : _acceptanceSum / _samplingIterations,
        ["divergences"] = _divergences,
        ["stored_draws"] = StoredDraws,
    };

    public override JsonNode Checkpoint() => KernelRuns.ToNode(new MalaCheckpoint(CheckpointVersion, SaveCommon(),
        _current.Position, _current.LogDensity, _current.Gradient, _stepSize, _adaptation?.Save(), _iteration,
        _divergences, _consecutiveDivergences, _acceptanceSum, _samplingIterations));
}
