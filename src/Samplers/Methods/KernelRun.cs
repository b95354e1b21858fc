using System.Text.Json;
using System.Text.Json.Nodes;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Samplers.Methods;

/// <summary>Plain data of a <see cref="DrawStore"/>, for checkpoints.</summary>
public sealed record DrawStoreCheckpoint(double[] Draws, int Count, long Offered, int Thin)
{
    public static DrawStoreCheckpoint Of(DrawStore store)
    {
        var (draws, count, offered, thin) = store.Save();
        return new DrawStoreCheckpoint(draws, count, offered, thin);
    }

    public DrawStore Restore(int dimension, int capacity) => DrawStore.Restore(dimension, capacity, Draws, Count, Offered, Thin);
}

/// <summary>What every single-chain kernel run checkpoints besides its own state.</summary>
public sealed record KernelRunCheckpoint(ulong[] RngState, DrawStoreCheckpoint Draws, double GradientEvaluations, string? DivergenceReason);

/// <summary>
/// The part of <see cref="IMethodRun"/> that sgld, mala and mclmc share: one chain, a bounded
/// <see cref="DrawStore"/> of constrained draws with burn-in on read, a gradient-evaluation
/// counter that may be fractional (an SGLD minibatch costs batch/N of one evaluation; the
/// reported count is its floor), and a stop that keeps the draws and records why.
/// Subclasses implement one transition in <see cref="TakeStep"/>.
/// </summary>
public abstract class KernelRun : IMethodRun
{
    private readonly DrawStore _draws;
    private readonly double[] _constrained;
    private readonly double _burnIn;

    protected KernelRun(IPosterior posterior, Rng rng, DrawStore draws, double burnIn, double gradientEvaluations = 0, string? divergenceReason = null)
    {
        Posterior = posterior;
        Rng = rng;
        _draws = draws;
        _burnIn = burnIn;
        _constrained = new double[posterior.ParameterNames.Count];
        ExactGradientEvaluations = gradientEvaluations;
        DivergenceReason = divergenceReason;
    }

    protected IPosterior Posterior { get; }
    protected Rng Rng { get; }

    /// <summary>Gradient evaluations including fractions of minibatch steps.</summary>
    protected double ExactGradientEvaluations { get; set; }

    public long GradientEvaluations => (long)Math.Floor(ExactGradientEvaluations);
    public bool Finished => DivergenceReason is not null;
    public string? DivergenceReason { get; private set; }

    public void Advance(long gradientEvaluations)
    {
        if (Finished) return;
        double target = ExactGradientEvaluations + Math.Max(1, gradientEvaluations);
        do TakeStep();
        while (!Finished && ExactGradientEvaluations < target);
    }

    /// <summary>One transition; calls <see cref="Keep"/> for a draw to store and <see cref="Stop"/> on divergence.</summary>
    protected abstract void TakeStep();

    protected void Keep(ReadOnlySpan<double> unconstrained)
    {
        Posterior.Constrain(unconstrained, _constrained);
        _draws.Add(_constrained);
    }

    protected void Stop(string reason) => DivergenceReason = reason;

    public ChainDraws Draws() => _draws.ToChainDraws(Posterior.ParameterNames, _burnIn);

    protected int StoredDraws => _draws.Count;

    public abstract IReadOnlyDictionary<string, double> Diagnostics();

    public abstract JsonNode Checkpoint();

    protected KernelRunCheckpoint SaveCommon() => new(Rng.SaveState(), DrawStoreCheckpoint.Of(_draws), ExactGradientEvaluations, DivergenceReason);
}

/// <summary>Helpers for starting, configuring and checkpointing kernel runs.</summary>
public static class KernelRuns
{
    private const int MaxInitAttempts = 100;
    private const double InitRadius = 2;

    public static HyperparameterSpec BurnInSpec(double defaultFraction) =>
        new("burnin", HyperparameterKind.Real, defaultFraction, "fraction of the stored draws left out at the start (burn-in)", 0, 0.9);

    public static HyperparameterSpec ThinSpec { get; } =
        new("thin", HyperparameterKind.Int, 1, "keep every thin-th draw (the store doubles it when max_draws is reached)", 1, 1_000_000);

    public static HyperparameterSpec MaxDrawsSpec { get; } =
        new("max_draws", HyperparameterKind.Int, 5000, "most draws kept in memory; beyond it the stored draws are thinned evenly", 10, 1_000_000);

    public static DrawStore NewDrawStore(IPosterior posterior, Hyperparameters h) =>
        new(posterior.ParameterNames.Count, h.Int("max_draws"), h.Int("thin"));

    public static (Rng Rng, DrawStore Draws) Restore(IPosterior posterior, Hyperparameters h, KernelRunCheckpoint c) =>
        (Rng.FromState(c.RngState), c.Draws.Restore(posterior.ParameterNames.Count, h.Int("max_draws")));

    /// <summary>
    /// Stan's random initialization: uniform(-2, 2) per unconstrained coordinate until log density and
    /// gradient are finite (100 attempts). Returns the log density, or NaN when no attempt succeeded.
    /// </summary>
    public static double RandomStart(IPosterior posterior, Rng rng, Span<double> position, Span<double> gradient)
    {
        for (int attempt = 0; attempt < MaxInitAttempts; attempt++)
        {
            for (int i = 0; i < position.Length; i++) position[i] = InitRadius * (2 * rng.NextDouble() - 1);
            double lp = posterior.LogDensityAndGradient(position, gradient);
            if (double.IsFinite(lp) && AllFinite(gradient)) return lp;
        }
        return double.NaN;
    }

    public const string NoStartReason = "no finite starting point: 100 uniform(-2, 2) attempts on the unconstrained space had a non-finite log density or gradient";

    public static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (double v in values)
            if (!double.IsFinite(v)) return false;
        return true;
    }

    public static JsonNode ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, ArtifactJson.Options)!;

    public static T FromNode<T>(JsonNode node) =>
        node.Deserialize<T>(ArtifactJson.Options) ?? throw new InvalidDataException("empty checkpoint");
}
