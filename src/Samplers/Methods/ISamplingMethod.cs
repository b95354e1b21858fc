using System.Text.Json.Nodes;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Samplers.Methods;

/// <summary>
/// A cheap approximate method under study (sgld, vi, mclmc, mala): its tunable hyperparameters
/// and how to start or resume a run. Implementations are pure numerics (no Akka, no files).
/// </summary>
public interface ISamplingMethod
{
    /// <summary>Name used in manifests, study.conf and the CLI (<c>--method</c>).</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>Every hyperparameter the method accepts, with its default and domain.</summary>
    IReadOnlyList<HyperparameterSpec> HyperparameterSpecs { get; }

    /// <summary>Starts a run; <paramref name="seed"/> fixes every random choice of the run.</summary>
    IMethodRun Start(IPosterior posterior, Hyperparameters hyperparameters, ulong seed);

    /// <summary>Continues a run from what <see cref="IMethodRun.Checkpoint"/> returned.</summary>
    IMethodRun Resume(IPosterior posterior, Hyperparameters hyperparameters, JsonNode checkpoint);
}

/// <summary>
/// One run of a method. The harness calls <see cref="Advance"/> in small slices of gradient
/// evaluations and checks the wall-clock budget and cancellation between slices, so no call
/// may run much longer than its slice. A run never throws for numerical trouble: it sets
/// <see cref="DivergenceReason"/>, keeps what it had, and reports <c>Finished</c>.
/// </summary>
public interface IMethodRun
{
    /// <summary>Spends about <paramref name="gradientEvaluations"/> more evaluations (at least one step) unless the run has finished.</summary>
    void Advance(long gradientEvaluations);

    /// <summary>Gradient (log density + gradient) evaluations so far, including tuning and minibatch gradients counted as batch/N of one.</summary>
    long GradientEvaluations { get; }

    /// <summary>The method reached its own end (e.g. VI's iteration count) or diverged; further Advance calls do nothing.</summary>
    bool Finished { get; }

    /// <summary>Why the run diverged (non-finite state, ELBO or energy), or null.</summary>
    string? DivergenceReason { get; }

    /// <summary>The usable draws so far, constrained space, burn-in and thinning applied (may be empty).</summary>
    ChainDraws Draws();

    /// <summary>Method-specific diagnostics for metrics.json (divergences, tuned step size, ELBO, k-hat...).</summary>
    IReadOnlyDictionary<string, double> Diagnostics();

    /// <summary>Everything needed to resume bit for bit: state, RNG state, optimizer state, stored draws.</summary>
    JsonNode Checkpoint();
}
