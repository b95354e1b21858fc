namespace SamplerTune.Messages.Studies;

/// <summary>
/// Persisted events of a StudyActor (persistence id <c>study-&lt;name&gt;</c>). The optimizer's state is the replay of
/// these. Each type has a versioned manifest in <see cref="Serialization.MessageManifests"/>; a change to a record's
/// shape gets a new manifest (…v2) and a reader for the old one, never a silent reinterpretation.
/// </summary>
public interface IStudyEvent;

/// <summary>The study's identity and settings, persisted once as its first event.</summary>
public sealed record StudyCreated(string Study, string Pid, string Family, string Method, string Sampler, ulong Seed, int TrialBudget, DateTimeOffset CreatedUtc) : IStudyEvent;

/// <summary>
/// Trial <paramref name="Number"/> was proposed with <paramref name="Params"/> (values are int, double or string) and
/// will be measured by the run <paramref name="Rid"/> whose manifest.json is <paramref name="ManifestJson"/>.
/// </summary>
public sealed record TrialAsked(int Number, IReadOnlyDictionary<string, object> Params, string Rid, string ManifestJson, DateTimeOffset AskedUtc) : IStudyEvent;

/// <summary>
/// The run of a trial finished (complete, budget exhausted or diverged with its penalty) and was scored against version
/// <paramref name="ReferenceVersion"/> of its problem's reference (0: not recorded, as in events written before v2).
/// </summary>
public sealed record TrialCompleted(int Number, string Rid, double Objective, string RunStatus, IReadOnlyDictionary<string, double> Summary,
    DateTimeOffset CompletedUtc, int ReferenceVersion = 0) : IStudyEvent;

/// <summary>The trial's run failed for good (method exception, or retries exhausted); the models ignore it.</summary>
public sealed record TrialFailed(int Number, string Reason, int Attempt, DateTimeOffset FailedUtc) : IStudyEvent;

/// <summary>The trial's run was handed out again (its worker died), as attempt <paramref name="Attempt"/>.</summary>
public sealed record TrialRequeued(int Number, int Attempt, string Reason) : IStudyEvent;

/// <summary>The trial was stopped early; <paramref name="LastValue"/> is its last provisional objective, if any.</summary>
public sealed record TrialPruned(int Number, double? LastValue) : IStudyEvent;

/// <summary>
/// A completed trial was checked against version <paramref name="ReferenceVersion"/> of its reference: re-scored to
/// <paramref name="Objective"/> from its stored draws, or, when <paramref name="Stale"/>, left at its old objective
/// because its draws were not kept (<paramref name="Reason"/> says why).
/// </summary>
public sealed record TrialRescored(int Number, int ReferenceVersion, double Objective, bool Stale = false, string? Reason = null) : IStudyEvent;

/// <summary>
/// The study was started again with another trial budget (e.g. <c>run --trials</c> raised): from here on the budget is
/// <paramref name="TrialBudget"/> (<see cref="StudyCreated.TrialBudget"/> keeps the first one in the journal).
/// </summary>
public sealed record TrialBudgetChanged(int TrialBudget, DateTimeOffset ChangedUtc) : IStudyEvent;
