using SamplerTune.Samplers.Artifacts;

namespace SamplerTune.Samplers.Reference;

/// <summary>
/// ground_truth/summary.json: the reference posterior's moments and how trustworthy they are.
/// <see cref="Version"/> goes up each time the reference is extended or recomputed, so scores
/// computed against an older version can be recognised and re-scored.
/// </summary>
public sealed record ReferenceSummary(
    string Pid,
    string Family,
    string Source,                 // "nuts" or "exact"
    IReadOnlyList<string> ParamNames,
    double[] Mean,
    double[] Sd,
    double[][] Cov,
    double[] EssBulk,
    double[] EssTail,
    double[] Rhat,
    double MaxRhat,
    double MinEssBulk,
    double MinEssTail,
    long Divergences,
    long NGradEvals,
    double RuntimeSec,
    bool Converged,
    string? NotConvergedReason,
    IReadOnlyList<string> Warnings,
    int Version,
    int Chains,
    int DrawsPerChain,
    int MinEssTarget,
    ulong Seed,
    DateTimeOffset UpdatedUtc)
{
    public const string FileName = "summary.json";
    public const string DrawsFileName = "posterior_samples.h5";

    public static string PathIn(string groundTruthDirectory) => Path.Combine(groundTruthDirectory, FileName);

    /// <summary>Whether a reference round has been published there: both files exist (each is written by an atomic rename).</summary>
    public static bool IsPublishedIn(string groundTruthDirectory) =>
        File.Exists(PathIn(groundTruthDirectory)) && File.Exists(Path.Combine(groundTruthDirectory, DrawsFileName));

    public static ReferenceSummary? TryRead(string groundTruthDirectory)
    {
        var path = PathIn(groundTruthDirectory);
        return File.Exists(path) ? ArtifactJson.Read<ReferenceSummary>(path) : null;
    }
}
