using SamplerTune.Coordinator.Studies;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Metrics;
using SamplerTune.Samplers.Runs;

namespace SamplerTune.Coordinator.Rescoring;

/// <summary>
/// A completed trial scored again against a newer reference: <see cref="Objective"/> is the new score, or null when
/// the run has no stored draws (then it keeps its old score and is <see cref="Stale"/>).
/// </summary>
public sealed record Rescore(int Number, string Rid, int FromVersion, int ToVersion, double OldObjective, double? Objective, string? Reason)
{
    public bool Stale => Objective is null;
}

/// <summary>
/// Issue 8, part 2, the computation (Akka-free): which completed trials of a study were scored against an older
/// reference version than <paramref name="distance"/>'s, and their new objectives from the draws in their run folder
/// (artifacts/samples.h5), scored exactly as MethodRunner scores a finished run. A diverged run keeps its penalty
/// (it does not depend on the reference). Persisting the results as TrialRescored events is the StudyActor's part.
/// </summary>
public static class Rescorer
{
    public static IReadOnlyList<Rescore> Rescore(StudyState state, string runsRoot, ReferenceDistance distance)
    {
        var results = new List<Rescore>();
        foreach (var t in state.Trials.Where(t => t.State == StudyState.Complete && t.Objective is not null))
        {
            var dir = RunDirectory.Under(runsRoot, t.Rid);
            var metrics = File.Exists(dir.Metrics) ? ArtifactJson.Read<RunMetrics>(dir.Metrics) : null;
            int from = metrics?.ReferenceVersion ?? 0;
            if (from >= distance.ReferenceVersion) continue;
            double old = t.Objective!.Value;
            if (metrics?.Status == RunStatus.Diverged)
            {
                results.Add(new Rescore(t.Number, t.Rid, from, distance.ReferenceVersion, old, old, "diverged: keeps its penalty"));
                continue;
            }
            if (!File.Exists(dir.Samples))
            {
                results.Add(new Rescore(t.Number, t.Rid, from, distance.ReferenceVersion, old, null, $"no stored draws ({dir.Samples})"));
                continue;
            }
            var d = distance.Measure(DrawsFile.Read(dir.Samples));
            results.Add(new Rescore(t.Number, t.Rid, from, distance.ReferenceVersion, old, d.Objective, d.PenaltyReason));
        }
        return results;
    }
}
