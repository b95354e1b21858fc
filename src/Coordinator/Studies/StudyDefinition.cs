using SamplerTune.Coordinator.Optimization;
using SamplerTune.Coordinator.Pruning;
using SamplerTune.Samplers.Metrics;

namespace SamplerTune.Coordinator.Studies;

/// <summary>
/// Everything a StudyActor needs to run one (problem, method) study: its identity, the search space, the optimizer and
/// the run settings every trial's manifest gets.
/// </summary>
public sealed record StudyDefinition(
    string Name,
    string Pid,
    string Family,
    string Method,
    SearchSpace Space,
    string Sampler,
    ulong Seed,
    int TrialBudget,
    int Batch,
    double BudgetSec,
    double CheckpointSec,
    DistanceSettings Objective,
    PrunerSettings? Pruner = null)
{
    public string PersistenceId => PersistenceIdOf(Name);

    public static string PersistenceIdOf(string study) => "study-" + study;

    /// <summary>The study's name from its problem and method: stable, readable, a valid folder name.</summary>
    public static string NameOf(string family, string pid, string method) => $"{family}-{pid}-{method}";
}
