using SamplerTune.Coordinator.Studies;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Metrics;
using SamplerTune.Samplers.Runs;

namespace SamplerTune.Coordinator.Rescoring;

/// <summary>
/// A completed trial checked against a newer reference: <see cref="Objective"/> is its score from now on (new, or its
/// old one when it cannot depend on the reference); <see cref="Stale"/> when the run has no stored draws, so it keeps
/// its old score although the reference changed.
/// </summary>
public sealed record Rescore(int Number, string Rid, int FromVersion, int ToVersion, double OldObjective, double Objective, bool Stale, string? Reason);

/// <summary>
/// Issue 8, part 2, the computation (Akka-free): the completed trials of a study whose objective was last checked
/// against an older reference version than <paramref name="distance"/>'s, scored again from the draws in their run
/// folder (artifacts/samples.h5) exactly as MethodRunner scores a finished run. A diverged run keeps its penalty (it
/// does not depend on the reference). Trials told before versions were journaled (version 0) take the version from
/// their metrics.json. Persisting the results as TrialRescored events is the StudyActor's part.
/// </summary>
public static class Rescorer
{
    public static IReadOnlyList<Rescore> Rescore(StudyState state, string runsRoot, ReferenceDistance distance, CancellationToken cancel = default)
    {
        int to = distance.ReferenceVersion;
        var results = new List<Rescore>();
        foreach (var t in state.Trials.Where(t => t.State == StudyState.Complete && t.Objective is not null && t.ReferenceVersion < to))
        {
            cancel.ThrowIfCancellationRequested();
            var dir = RunDirectory.Under(runsRoot, t.Rid);
            var metrics = File.Exists(dir.Metrics) ? ArtifactJson.Read<RunMetrics>(dir.Metrics) : null;
            int from = t.ReferenceVersion > 0 ? t.ReferenceVersion : metrics?.ReferenceVersion ?? 0;
            double old = t.Objective!.Value;
            Rescore Kept(bool stale, string reason) => new(t.Number, t.Rid, from, to, old, old, stale, reason);
            if (from >= to) results.Add(Kept(false, $"already scored against reference v{from}"));
            else if (t.RunStatus == "diverged" || metrics?.Status == RunStatus.Diverged) results.Add(Kept(false, "diverged: keeps its penalty"));
            else if (!File.Exists(dir.Samples)) results.Add(Kept(true, $"no stored draws ({dir.Samples})"));
            else if (TryRead(dir.Samples, out var draws, out var error))
            {
                var d = distance.Measure(draws);
                results.Add(new Rescore(t.Number, t.Rid, from, to, old, d.Objective, false, d.PenaltyReason));
            }
            else results.Add(Kept(true, $"stored draws unreadable ({dir.Samples}: {error})"));
        }
        return results;
    }

    /// <summary>One damaged samples.h5 must not stop the study's other trials from being re-scored.</summary>
    private static bool TryRead(string path, out ChainDraws draws, out string? error)
    {
        try
        {
            draws = DrawsFile.Read(path);
            error = null;
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            draws = null!;
            error = e.Message;
            return false;
        }
    }
}
