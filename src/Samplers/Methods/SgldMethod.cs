using System.Text.Json.Nodes;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Samplers.Methods;

/// <summary>The <c>sgld</c> method: <see cref="SgldKernel"/> run until the budget, every step a draw (before thinning).</summary>
public sealed class SgldMethod : ISamplingMethod
{
    public string Name => "sgld";

    public string Description => "stochastic gradient Langevin dynamics (Welling & Teh 2011), optional RMSprop preconditioning (pSGLD, Li et al. 2016)";

    public IReadOnlyList<HyperparameterSpec> HyperparameterSpecs { get; } =
    [
        new("eta0", HyperparameterKind.Real, 1e-3, "step-size scale a of a_t = a (b + t)^(-gamma), t = 1, 2, ...", 1e-12, 1e6),
        new("gamma", HyperparameterKind.Real, 0.55, "decay exponent of the step size (0 = constant step; (0.5, 1] has the classical convergence guarantee)", 0, 1),
        new("b", HyperparameterKind.Real, 1.0, "offset b of the step-size schedule", 0, 1e9),
        new("batch", HyperparameterKind.Int, 32, "minibatch size n for data posteriors (drawn with replacement; n >= N or a posterior without data uses the full gradient, and n > N is recorded as the diagnostic batch_clamped_to = N); a step costs n/N gradient evaluations", 1, 10_000_000),
        new("precond", HyperparameterKind.Categorical, "off", "RMSprop preconditioning (pSGLD)", Choices: ["on", "off"]),
        new("alpha", HyperparameterKind.Real, 0.99, "pSGLD decay of the squared-gradient average", 0, 0.999999),
        new("lambda", HyperparameterKind.Real, 1e-5, "pSGLD regularizer in 1 / (lambda + sqrt(V))", 1e-12, 1),
        KernelRuns.BurnInSpec(0.2),
        KernelRuns.ThinSpec,
        KernelRuns.MaxDrawsSpec,
    ];

    public IMethodRun Start(IPosterior posterior, Hyperparameters hyperparameters, ulong seed) =>
        SgldRun.Start(posterior, hyperparameters, seed);

    public IMethodRun Resume(IPosterior posterior, Hyperparameters hyperparameters, JsonNode checkpoint) =>
        SgldRun.Resume(posterior, hyperparameters, KernelRuns.FromNode<SgldCheckpoint>(checkpoint));

    internal static SgldParameters Parameters(Hyperparameters h) =>
        new(h.Real("eta0"), h.Real("gamma"), h.Real("b"), h.Int("batch"), h.Flag("precond"), h.Real("alpha"), h.Real("lambda"));
}

public sealed record SgldCheckpoint(int Version, KernelRunCheckpoint Run, double[] Position, double[] SquaredGradientAverage, long Iteration, double LastStepSize);

/// <summary>One SGLD chain; a non-finite gradient or position stops it with the draws kept.</summary>
public sealed class SgldRun : KernelRun
{
    private const int CheckpointVersion = 1;
    private readonly SgldKernel _kernel;
    private readonly SgldParameters _parameters;
    private SgldState _current, _next;
    private double _lastStepSize;

    private SgldRun(IPosterior posterior, Hyperparameters h, Rng rng, Methods.DrawStore draws, SgldState state, double gradientEvaluations, string? reason)
        : base(posterior, rng, draws, h.Real("burnin"), gradientEvaluations, reason)
    {
        _kernel = new SgldKernel(posterior);
        _parameters = SgldMethod.Parameters(h);
        _current = state;
        _next = new SgldState(posterior.Dimension);
    }

    public static SgldRun Start(IPosterior posterior, Hyperparameters h, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new double[posterior.Dimension];
        double lp = KernelRuns.RandomStart(posterior, rng, x, new double[posterior.Dimension]);
        var run = new SgldRun(posterior, h, rng, KernelRuns.NewDrawStore(posterior, h), SgldKernel.Init(x),
            double.IsNaN(lp) ? 0 : 1, double.IsNaN(lp) ? KernelRuns.NoStartReason : null);
        return run;
    }

    public static SgldRun Resume(IPosterior posterior, Hyperparameters h, SgldCheckpoint c)
    {
        if (c.Version != CheckpointVersion) throw new InvalidDataException($"sgld checkpoint version {c.Version}, expected {CheckpointVersion}");
        var (rng, draws) = KernelRuns.Restore(posterior, h, c.Run);
        var state = SgldKernel.Init(c.Position);
        c.SquaredGradientAverage.CopyTo(state.SquaredGradientAverage, 0);
        state.Iteration = c.Iteration;
        return new SgldRun(posterior, h, rng, draws, state, c.Run.GradientEvaluations, c.Run.DivergenceReason) { _lastStepSize = c.LastStepSize };
    }

    protected override void TakeStep()
    {
        var info = _kernel.Step(Rng, _parameters, _current, _next);
        ExactGradientEvaluations += info.GradientEvaluations;
        if (info.Diverged)
        {
            Stop($"non-finite SGLD gradient or position at iteration {_next.Iteration} (step size {info.StepSize:G3})");
            return;
        }
        (_current, _next) = (_next, _current);
        _lastStepSize = info.StepSize;
        Keep(_current.Position);
    }

    public override IReadOnlyDictionary<string, double> Diagnostics()
    {
        var diagnostics = new Dictionary<string, double>
        {
            ["iterations"] = _current.Iteration,
            ["final_step_size"] = _lastStepSize,
            ["stored_draws"] = StoredDraws,
            ["divergences"] = Finished ? 1 : 0,
        };
        // A batch larger than the data is clamped to N (the full gradient); metrics.json records it.
        if (_kernel.DataCount is { } n && _parameters.Batch > n) diagnostics["batch_clamped_to"] = n;
        return diagnostics;
    }

    public override JsonNode Checkpoint() => KernelRuns.ToNode(new SgldCheckpoint(CheckpointVersion, SaveCommon(),
        _current.Position, _current.SquaredGradientAverage, _current.Iteration, _lastStepSize));
}
