using System.Text.Json.Serialization;

namespace SamplerTune.Samplers.Runs;

[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    [JsonStringEnumMemberName("complete")] Complete,
    [JsonStringEnumMemberName("budget_exhausted")] BudgetExhausted,
    [JsonStringEnumMemberName("diverged")] Diverged,
    [JsonStringEnumMemberName("failed")] Failed,
    /// <summary>Only in metrics.partial.json: the run is still going (or was killed).</summary>
    [JsonStringEnumMemberName("running")] Running,
}

/// <summary>
/// metrics.json (and the provisional metrics.partial.json): the fields of issue 4 plus why a run was
/// penalized or failed and, for a resumed run, the gradient evaluations it resumed from.
/// </summary>
public sealed record RunMetrics(
    double Objective,
    double Mmd,
    double MmdNoiseFloor,
    double MeanErrorL2,
    double CovErrorFro,
    double RuntimeSec,
    long GradEvals,
    int NumSamples,
    RunStatus Status,
    IReadOnlyDictionary<string, double> Diagnostics,
    string Method,
    string Pid,
    string Rid,
    IReadOnlyDictionary<string, object> Hyperparams,
    int ReferenceVersion,
    string? Reason,
    long? ResumedFrom,
    bool Provisional);
