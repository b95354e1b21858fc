namespace SamplerTune.Messages.Coordination;

/// <summary>Messages between the coordinator, its studies and whoever watches them (the console view, inspect).</summary>
public interface ICoordinationMessage;

/// <summary>A study's progress, published by its StudyActor after every change.</summary>
public sealed record StudyStatus(string Study, string Pid, string Method, int Done, int Failed, int Pending, int TrialBudget,
    double? BestObjective, int? BestTrial, bool Finished) : ICoordinationMessage;

/// <summary>Asks the coordinator for <see cref="CoordinatorStatus"/>.</summary>
public sealed record GetStatus : ICoordinationMessage
{
    public static readonly GetStatus Instance = new();
}

/// <summary>The stage of the whole job, every study's status and the units in flight.</summary>
public sealed record CoordinatorStatus(string Stage, IReadOnlyList<StudyStatus> Studies, IReadOnlyList<Work.WorkProgress> InFlight,
    int ReferencesPending, int Workers, bool AllFinished) : ICoordinationMessage;

/// <summary>A study could not be recovered; the job stops rather than run on a wrong state.</summary>
public sealed record StudyRecoveryFailed(string Study, string PersistenceId, long SequenceNr, string Reason) : ICoordinationMessage;
