namespace SamplerTune.Samplers.Metrics;

/// <summary>
/// How a run's draws are scored against the reference (issue 4, "Distance to the reference"):
/// objective = mmd + MeanWeight * mean_error_l2 + CovWeight * cov_error_fro, or <see cref="Penalty"/>
/// for a run without usable draws or a diverged run. At most <see cref="MaxPoints"/> draws per side
/// enter the O(n^2 d) MMD; <see cref="SubsampleSeed"/> fixes which.
/// </summary>
public sealed record DistanceSettings(
    double MeanWeight = 0.5,
    double CovWeight = 0.5,
    double Penalty = 10,
    int MaxPoints = 2000,
    ulong SubsampleSeed = 20260401)
{
    public static DistanceSettings Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> for weights or a penalty that are negative or not finite, or fewer than 4 points.</summary>
    public DistanceSettings Validated()
    {
        if (!(MeanWeight >= 0) || !double.IsFinite(MeanWeight)) throw new ArgumentException($"mean weight must be finite and >= 0, got {MeanWeight}");
        if (!(CovWeight >= 0) || !double.IsFinite(CovWeight)) throw new ArgumentException($"covariance weight must be finite and >= 0, got {CovWeight}");
        if (!(Penalty >= 0) || !double.IsFinite(Penalty)) throw new ArgumentException($"penalty must be finite and >= 0, got {Penalty}");
        if (MaxPoints < 4) throw new ArgumentException($"max points must be at least 4, got {MaxPoints}");
        return this;
    }
}
