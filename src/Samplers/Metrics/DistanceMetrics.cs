namespace SamplerTune.Samplers.Metrics;

/// <summary>
/// The distance of one set of draws to the reference. NaN marks a figure that could not be computed
/// (too few or non-finite draws); <see cref="Penalized"/> says the objective is the penalty and why.
/// </summary>
public sealed record DistanceMetrics(
    double Objective,
    double Mmd,
    double MmdNoiseFloor,
    double MeanErrorL2,
    double CovErrorFro,
    int NumSamples,
    bool Penalized,
    string? PenaltyReason);
