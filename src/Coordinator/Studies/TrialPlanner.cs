using System.Globalization;
using SamplerTune.Coordinator.Optimization;
using SamplerTune.Messages.Studies;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Runs;
using SamplerTune.Worker.Methods;
using System.Text.Json;

namespace SamplerTune.Coordinator.Studies;

/// <summary>
/// Pure ask step of a study: how many trials to ask now, and the <see cref="TrialAsked"/> events for them, each with
/// the manifest (and so the rid) of the run that will measure it. Deterministic given the definition and the history.
/// </summary>
public static class TrialPlanner
{
    /// <summary>Trials to ask so that <c>batch</c> are in flight, without passing the trial budget.</summary>
    public static int ToAsk(StudyDefinition def, StudyState state) =>
        Math.Max(0, Math.Min(def.Batch - state.PendingCount, state.TrialBudgetOr(def.TrialBudget) - state.Asked));

    /// <summary>
    /// A <see cref="TrialAsked"/> per proposed trial. A proposal the method refuses (a search space the config check
    /// did not see, e.g. a journal from an older version) is followed at once by its <see cref="TrialFailed"/> with the
    /// method's reason, so the study records it and goes on instead of failing on every ask.
    /// </summary>
    public static IReadOnlyList<IStudyEvent> Ask(StudyDefinition def, StudyState state, int count, ISampler sampler)
    {
        if (count <= 0) return [];
        var study = new Study(def.Space, sampler, def.Seed, state.OptimizerTrials());
        var (trials, _) = study.Ask(count);
        var method = MethodCatalog.Find(def.Method) ?? throw new ConfigError("study", def.Name, $"unknown method '{def.Method}'");
        var now = DateTimeOffset.UtcNow;
        var events = new List<IStudyEvent>();
        foreach (var t in trials)
        {
            var seed = TrialSeed(def.Seed, t.Number);
            try
            {
                var manifest = RunManifest.Create(method, def.Pid, def.Family, AsText(t.Params), seed, def.BudgetSec, null, def.CheckpointSec, def.Objective);
                events.Add(new TrialAsked(t.Number, t.Params, manifest.Rid, JsonSerializer.Serialize(manifest, ArtifactJson.Options), now));
            }
            catch (SpecError e)
            {
                var unrunnable = new RunManifest(method.Name, def.Pid, def.Family, new SortedDictionary<string, object>(t.Params.ToDictionary(), StringComparer.Ordinal),
                    seed, def.BudgetSec, null, def.CheckpointSec, def.Objective, RunManifest.CurrentCodeVersion, now);
                events.Add(new TrialAsked(t.Number, t.Params, unrunnable.Rid, JsonSerializer.Serialize(unrunnable, ArtifactJson.Options), now));
                events.Add(new TrialFailed(t.Number, $"{method.Name} refused the proposed parameters: {e.Message}", 0, now));
            }
        }
        return events;
    }

    /// <summary>Each trial's run gets its own seed, so two trials never share a rid even with equal parameters.</summary>
    public static ulong TrialSeed(ulong studySeed, int number) => Rng.ForStream(studySeed, 0x5EED0000UL + (ulong)number).NextULong();

    private static Dictionary<string, string> AsText(IReadOnlyDictionary<string, object> values) =>
        values.ToDictionary(kv => kv.Key, kv => ParamText(kv.Value));

    /// <summary>A proposed value as the method's hyperparameter parsing reads it (doubles round-trip exactly).</summary>
    public static string ParamText(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };
}
