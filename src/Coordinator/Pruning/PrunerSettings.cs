namespace SamplerTune.Coordinator.Pruning;

/// <summary>
/// samplertune.study.pruner: which pruner stops hopeless runs early, and its settings. Progress is measured as the
/// elapsed fraction of the run's wall-clock budget (what Optuna calls a step).
/// </summary>
/// <param name="Type">none, median or asha.</param>
/// <param name="StartupTrials">median: no pruning until this many trials of the study completed (Optuna's n_startup_trials).</param>
/// <param name="WarmupFraction">median: no pruning of a run before this fraction of its budget (Optuna's n_warmup_steps).</param>
/// <param name="MinFraction">asha: the first rung, as a fraction of the budget (Optuna's min_resource).</param>
/// <param name="ReductionFactor">asha: rungs are MinFraction * factor^k; the top 1/factor at a rung go on (Optuna's reduction_factor).</param>
public sealed record PrunerSettings(string Type = PrunerSettings.None, int StartupTrials = 5, double WarmupFraction = 0.2,
    double MinFraction = 1.0 / 9, int ReductionFactor = 3)
{
    public const string None = "none", Median = "median", Asha = "asha";
    public static readonly IReadOnlyList<string> Types = [None, Median, Asha];
    public static readonly PrunerSettings Off = new();

    /// <summary>The problem with these settings, or null when they are valid.</summary>
    public string? Problem() =>
        !Types.Contains(Type) ? $"type '{Type}' is not a pruner; allowed: {string.Join(", ", Types)}"
        : StartupTrials < 0 ? "startup-trials must be 0 or more"
        : !(WarmupFraction >= 0 && WarmupFraction < 1) ? "warmup-fraction must be in [0, 1)"
        : !(MinFraction > 0 && MinFraction < 1) ? "min-fraction must be in (0, 1)"
        : ReductionFactor < 2 ? "reduction-factor must be at least 2"
        : null;

    public IPruner? Create() => Type switch
    {
        Median => new MedianPruner(StartupTrials, WarmupFraction),
        Asha => new SuccessiveHalvingPruner(MinFraction, ReductionFactor),
        _ => null,
    };
}
