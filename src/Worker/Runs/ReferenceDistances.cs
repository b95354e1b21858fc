using SamplerTune.Samplers.Metrics;
using SamplerTune.Samplers.Reference;

namespace SamplerTune.Worker.Runs;

/// <summary>
/// One <see cref="ReferenceDistance"/> per (reference, objective settings) per process: loading one reads
/// posterior_samples.h5 and measures the MMD noise floor, which costs far more than scoring a short run. Keyed by
/// summary.json's write time, so a newer reference is loaded again. ReferenceDistance is immutable after
/// construction, so concurrent runs share it.
/// </summary>
public static class ReferenceDistances
{
    private static readonly FileStampedCache<(string, DistanceSettings), ReferenceDistance> Cache = new();

    public static ReferenceDistance For(string groundTruthDirectory, DistanceSettings settings) =>
        Cache.Get((Path.GetFullPath(groundTruthDirectory), settings), ReferenceSummary.PathIn(groundTruthDirectory),
            () => ReferenceDistance.Load(groundTruthDirectory, settings));
}
