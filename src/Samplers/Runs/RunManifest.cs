using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Methods;
using SamplerTune.Samplers.Metrics;

namespace SamplerTune.Samplers.Runs;

/// <summary>
/// Everything that defines one run of a method on a problem (manifest.json). Its rid is the content hash
/// of the manifest without the fields that do not change the result (<see cref="CheckpointSec"/>,
/// <see cref="CreatedUtc"/>), so the same work always gets the same run folder and is done once.
/// </summary>
public sealed record RunManifest(
    string Method,
    string Pid,
    string Family,
    IReadOnlyDictionary<string, object> Hyperparams,
    ulong Seed,
    double BudgetSec,
    long? BudgetGradEvals,
    double CheckpointSec,
    DistanceSettings Objective,
    string CodeVersion,
    DateTimeOffset? CreatedUtc = null)
{
    /// <summary>
    /// Bump when a change to the methods or the harness changes results, so old runs are not reused.
    /// (Not the assembly version: that would change on every build and make every finished run unreachable.)
    /// </summary>
    public const string CurrentCodeVersion = "methods-1";

    public const double DefaultBudgetSec = 6000;
    public const double DefaultCheckpointSec = 60;
    public const ulong DefaultSeed = 1;

    /// <summary>
    /// Validates the hyperparameters (unknown names or values outside the domain throw <see cref="Problems.SpecError"/>),
    /// fills their defaults and checks the budgets (<see cref="ArgumentException"/> when not positive).
    /// </summary>
    public static RunManifest Create(ISamplingMethod method, string pid, string family, IReadOnlyDictionary<string, string> hyperparams,
        ulong seed = DefaultSeed, double budgetSec = DefaultBudgetSec, long? budgetGradEvals = null,
        double checkpointSec = DefaultCheckpointSec, DistanceSettings? objective = null)
    {
        if (!(budgetSec > 0) || !double.IsFinite(budgetSec)) throw new ArgumentException($"budget_sec must be a positive number of seconds, got {budgetSec}");
        if (budgetGradEvals is <= 0) throw new ArgumentException($"budget_grad_evals must be positive, got {budgetGradEvals}");
        if (!(checkpointSec > 0) || !double.IsFinite(checkpointSec)) throw new ArgumentException($"the checkpoint interval must be a positive number of seconds, got {checkpointSec}");
        var values = Hyperparameters.Create(method, hyperparams).Values;
        return new RunManifest(method.Name, pid, family, new SortedDictionary<string, object>(values.ToDictionary(), StringComparer.Ordinal),
            seed, budgetSec, budgetGradEvals, checkpointSec, (objective ?? DistanceSettings.Default).Validated(), CurrentCodeVersion, DateTimeOffset.UtcNow);
    }

    [JsonIgnore]
    public string Rid
    {
        get
        {
            var node = JsonSerializer.SerializeToNode(this, ArtifactJson.Options)!.AsObject();
            node.Remove("checkpoint_sec");
            node.Remove("created_utc");
            return ContentHash.Of(node);
        }
    }

    /// <summary>The hyperparameters validated again against <paramref name="method"/> (also after reading manifest.json back).</summary>
    public Hyperparameters HyperparametersFor(ISamplingMethod method) =>
        Hyperparameters.Create(method, Hyperparams.ToDictionary(kv => kv.Key, kv => Text(kv.Value)));

    private static string Text(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
        JsonElement e => e.GetRawText(),
        JsonNode n => n.ToJsonString(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };
}
