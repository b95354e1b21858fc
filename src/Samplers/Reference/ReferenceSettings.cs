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
    ulong Seed = 20261203)
{
    /// <summary>The first setting out of its range as (HOCON key under samplertune.reference, what is allowed), or null.</summary>
    public (string Key, string Allowed)? Problem()
    {
        static string Got(double v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Chains < 1) return ("chains", $"must be at least 1, got {Chains}");
        if (MinEss < 1) return ("min-ess", $"must be at least 1, got {MinEss}");
        if (!(MaxSeconds > 0) || !double.IsFinite(MaxSeconds)) return ("max-sec", $"must be a positive number of seconds, got {Got(MaxSeconds)}");
        if (!(CheckpointSeconds > 0) || !double.IsFinite(CheckpointSeconds)) return ("checkpoint-sec", $"must be a positive number of seconds, got {Got(CheckpointSeconds)}");
        if (Warmup < 0) return ("warmup", $"must be 0 or more, got {Warmup}");
        if (InitialDraws < Diagnostics.ConvergenceSummary.MinDrawsPerChain)
            return ("initial-draws", $"must be at least {Diagnostics.ConvergenceSummary.MinDrawsPerChain}, got {InitialDraws}");
        if (MaxDrawsPerChain < InitialDraws) return ("max-draws-per-chain", $"must be at least initial-draws ({InitialDraws}), got {MaxDrawsPerChain}");
        if (!(RhatThreshold > 1) || !double.IsFinite(RhatThreshold)) return ("rhat-threshold", $"must be a number above 1 (e.g. 1.01), got {Got(RhatThreshold)}");
        if (!(TargetAcceptance > 0 && TargetAcceptance < 1)) return ("adapt-delta", $"must be in (0, 1), got {Got(TargetAcceptance)}");
        return null;
    }
}

/// <summary>What a long reference run is doing, for a progress display.</summary>
public sealed record ReferenceProgress(
    string Pid, string Phase, int Round, int[] ChainDraws, int TargetDraws, double MinEss, double MaxRhat,
    TimeSpan Elapsed, TimeSpan? Eta);
