namespace SamplerTune.Samplers.Reference;

/// <summary>How a reference is computed; the defaults are the (4 chains, ESS 4000 bulk and tail, R-hat below 1.01).</summary>
public sealed record ReferenceSettings(
    int Chains = 4,
    int MinEss = 4000,
    double MaxSeconds = 3600,
    double CheckpointSeconds = 60,
    int Warmup = 1000,
    int InitialDraws = 1000,
    int MaxDrawsPerChain = 200_000,
    double RhatThreshold = 1.01,
    double TargetAcceptance = 0.8,
    bool ForceNuts = false,
    ulong Seed = 20261203);

/// <summary>What a long reference run is doing, for a progress display.</summary>
public sealed record ReferenceProgress(
    string Pid, string Phase, int Round, int[] ChainDraws, int TargetDraws, double MinEss, double MaxRhat,
    TimeSpan Elapsed, TimeSpan? Eta);
