using System.Collections.Concurrent;
using SamplerTune.Samplers.Metrics;
using SamplerTune.Samplers.Reference;

namespace SamplerTune.Worker.Runs;

/// <summary>
/// One <see cref="ReferenceDistance"/> per (reference, objective settings) per process: loading one reads
/// posterior_samples.h5 and measures the MMD noise floor, which costs far more than scoring a short run. The key
/// includes summary.json's write time, so a newer reference is loaded again. ReferenceDistance is immutable after
/// construction, so concurrent runs share it.
/// </summary>
public static class ReferenceDistances
{
    private static readonly ConcurrentDictionary<(string, DistanceSettings, DateTime), Lazy<ReferenceDistance>> Cache = new();

    public static ReferenceDistance For(string groundTruthDirectory, DistanceSettings settings)
    {
        var stamp = File.GetLastWriteTimeUtc(ReferenceSummary.PathIn(groundTruthDirectory));
        return Cache.GetOrAdd((Path.GetFullPath(groundTruthDirectory), settings, stamp),
            _ => new Lazy<ReferenceDistance>(() => ReferenceDistance.Load(groundTruthDirectory, settings))).Value;
    }
}
