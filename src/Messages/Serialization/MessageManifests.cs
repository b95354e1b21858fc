using SamplerTune.Messages.Coordination;
using SamplerTune.Messages.Studies;
using SamplerTune.Messages.Work;

namespace SamplerTune.Messages.Serialization;

/// <summary>
/// The short, stable manifest of every message and event (what the journal stores beside the payload instead of a
/// .NET type name). Renaming or moving a type never changes these; changing a persisted record's shape means a new
/// manifest with a new version suffix, with the old one kept readable.
/// </summary>
public static class MessageManifests
{
    private static readonly (string Manifest, Type Type)[] Table =
    [
        ("study-created.v1", typeof(StudyCreated)),
        ("trial-asked.v1", typeof(TrialAsked)),
        ("trial-completed.v2", typeof(TrialCompleted)),
        ("trial-failed.v1", typeof(TrialFailed)),
        ("trial-requeued.v1", typeof(TrialRequeued)),
        ("trial-pruned.v1", typeof(TrialPruned)),
        ("trial-rescored.v2", typeof(TrialRescored)),
        ("study-snapshot.v2", typeof(StudySnapshot)),
        ("trial-budget-changed.v1", typeof(TrialBudgetChanged)),
        ("register-worker", typeof(RegisterWorker)),
        ("worker-registered", typeof(WorkerRegistered)),
        ("worker-refused", typeof(WorkerRefused)),
        ("studies-finished", typeof(StudiesFinished)),
        ("request-work", typeof(RequestWork)),
        ("work-order", typeof(WorkOrder)),
        ("work-progress", typeof(WorkProgress)),
        ("run-finished", typeof(RunFinished)),
        ("work-failed", typeof(WorkFailed)),
        ("reference-finished", typeof(ReferenceFinished)),
        ("work-requeued", typeof(WorkRequeued)),
        ("cancel-work", typeof(CancelWork)),
        ("study-status", typeof(StudyStatus)),
        ("get-status", typeof(GetStatus)),
        ("coordinator-status", typeof(CoordinatorStatus)),
        ("study-recovery-failed", typeof(StudyRecoveryFailed)),
        ("inspect-request", typeof(InspectRequest)),
        ("inspect-reply", typeof(InspectReply)),
    ];

    /// <summary>
    /// Older manifests still read: each v1 shape is the v2 record without its trailing optional members, which read as
    /// their documented defaults (reference version 0 = not recorded, not stale).
    /// </summary>
    private static readonly (string Manifest, Type Type)[] ReadOnly =
    [
        ("trial-completed.v1", typeof(TrialCompleted)),
        ("trial-rescored.v1", typeof(TrialRescored)),
        ("study-snapshot.v1", typeof(StudySnapshot)),
    ];

    private static readonly Dictionary<Type, string> ByType = Table.ToDictionary(e => e.Type, e => e.Manifest);
    private static readonly Dictionary<string, Type> ByManifest = Table.Concat(ReadOnly).ToDictionary(e => e.Manifest, e => e.Type);

    public static IReadOnlyCollection<string> All => ByManifest.Keys;

    public static string Of(Type type) => ByType.TryGetValue(type, out var m) ? m
        : throw new ArgumentException($"{type.FullName} has no manifest in {nameof(MessageManifests)}; add one");

    public static Type? TypeOf(string manifest) => ByManifest.GetValueOrDefault(manifest);
}
