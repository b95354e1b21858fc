namespace SamplerTune.Messages.Studies;

/// <summary>One trial as a snapshot stores it (the fold of its events).</summary>
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
    DateTimeOffset? FinishedUtc);

/// <summary>A StudyActor's whole state at a sequence number, so recovery replays only the events after it.</summary>
public sealed record StudySnapshot(StudyCreated Created, IReadOnlyList<TrialSnapshot> Trials) : IStudyEvent;
