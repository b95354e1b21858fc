namespace SamplerTune.Messages.Studies;

/// <summary>
/// One trial as a snapshot stores it (the fold of its events). <see cref="ReferenceVersion"/> is the reference version
/// its objective was last checked against (0: unknown); <see cref="Stale"/> marks an objective kept from an older
/// reference because the run's draws were not stored, and <see cref="ScoredReferenceVersion"/> is then the version the
/// kept objective was computed against.
/// </summary>
public sealed record TrialSnapshot(
    int Number,
    IReadOnlyDictionary<string, object> Params,
    string Rid,
    string ManifestJson,
    string State,
    double? Objective,
    string? RunStatus,
    string? Reason,
    int Attempt,
    IReadOnlyDictionary<string, double>? Summary,
    DateTimeOffset AskedUtc,
    DateTimeOffset? FinishedUtc,
    int ReferenceVersion = 0,
    bool Stale = false,
    int ScoredReferenceVersion = 0);

/// <summary>A StudyActor's whole state at a sequence number, so recovery replays only the events after it.</summary>
public sealed record StudySnapshot(StudyCreated Created, IReadOnlyList<TrialSnapshot> Trials) : IStudyEvent;
