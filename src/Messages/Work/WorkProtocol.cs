namespace SamplerTune.Messages.Work;

/// <summary>
/// Work pulling between the Dispatcher (coordinator node) and WorkerActors (any node): a worker registers its slots,
/// asks for work when a slot is free, and reports each unit's end. Everything is a message, so remote workers join
/// the same way as in-process ones.
/// </summary>
public interface IWorkMessage;

/// <summary>
/// A worker offers <paramref name="Slots"/> concurrent units of work; the dispatcher death-watches the sender.
/// <paramref name="ExperimentsId"/> is the id stored in the worker's experiments folder (cluster/experiments.id): a
/// worker whose folder is not the coordinator's is refused, so it can never write runs another study will not see.
/// </summary>
public sealed record RegisterWorker(string WorkerId, int Slots, string? ExperimentsId) : IWorkMessage;

public sealed record WorkerRegistered(string WorkerId) : IWorkMessage;

/// <summary>The dispatcher will not give this worker work (wrong experiments folder); the worker leaves and says why.</summary>
public sealed record WorkerRefused(string WorkerId, string Reason) : IWorkMessage;

/// <summary>Every study is finished: the worker leaves the cluster (sent to registered workers, and to any that register later).</summary>
public sealed record StudiesFinished : IWorkMessage
{
    public static readonly StudiesFinished Instance = new();
}

/// <summary>The worker has <paramref name="FreeSlots"/> free slots; the dispatcher sends up to that many orders, now or as work arrives.</summary>
public sealed record RequestWork(int FreeSlots) : IWorkMessage;

/// <summary>What kind of unit a <see cref="WorkOrder"/> is.</summary>
public enum WorkKind { Run, Reference }

/// <summary>
/// One unit of work. A run carries its manifest.json text as payload (the worker builds the run from it; a rerun resumes from
/// the run's checkpoint); a reference names the problem whose reference posterior to compute or resume, with its ReferenceSettings as payload.
/// </summary>
public sealed record WorkOrder(string WorkId, WorkKind Kind, string Pid, string? PayloadJson, int Attempt) : IWorkMessage;

/// <summary>How a unit in flight is doing (sent about once a second), for the live view.</summary>
public sealed record WorkProgress(string WorkId, string Worker, double ElapsedSec, double BudgetSec, double? ProvisionalObjective) : IWorkMessage;

/// <summary>A run ended with a score against version <paramref name="ReferenceVersion"/> of the reference (also in runs/&lt;rid&gt;/metrics.json).</summary>
public sealed record RunFinished(string WorkId, string Rid, double Objective, string RunStatus, string? Reason,
    IReadOnlyDictionary<string, double> Summary, bool Reused, int ReferenceVersion = 0) : IWorkMessage;

/// <summary>A unit of work failed (the method threw, the problem could not be built, the reference failed...).</summary>
public sealed record WorkFailed(string WorkId, string Reason) : IWorkMessage;

/// <summary>A problem's reference posterior is in place.</summary>
public sealed record ReferenceFinished(string WorkId, string Pid, string Summary) : IWorkMessage;

/// <summary>From the dispatcher to the unit's owner: its worker was lost and the unit was queued again.</summary>
public sealed record WorkRequeued(string WorkId, int Attempt, string Reason) : IWorkMessage;

/// <summary>
/// From a unit's owner to the dispatcher, and from the dispatcher to the unit's worker: stop this unit now (the trial
/// was pruned). The worker stops it without reporting a result and frees its slot; the run keeps its checkpoint.
/// </summary>
public sealed record CancelWork(string WorkId, string Reason) : IWorkMessage;
