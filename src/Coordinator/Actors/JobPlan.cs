using SamplerTune.Coordinator.Studies;
using SamplerTune.Samplers.Reference;

namespace SamplerTune.Coordinator.Actors;

/// <summary>
/// What the coordinator runs: the problems (and whether each already has its reference) and the studies on them. With
/// <see cref="ProvisionalReference"/>, a problem's studies start as soon as its running reference has published a round.
/// </summary>
public sealed record JobPlan(
    IReadOnlyList<(string Pid, bool HasReference)> Problems,
    IReadOnlyList<StudyDefinition> Studies,
    ReferenceSettings Reference,
    int MaxConcurrentRuns,
    int RetryLimit,
    string ExperimentsRoot,
    int SnapshotEvery,
    TimeSpan CsvInterval,
    bool ProvisionalReference = false,
    double ReferencePollSec = 30);
