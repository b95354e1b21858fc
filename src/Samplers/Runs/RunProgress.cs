namespace SamplerTune.Samplers.Runs;

/// <summary>Where a run stands, reported after every slice (cheap) for progress displays.</summary>
public sealed record RunProgress(
    double ElapsedSec,
    double BudgetSec,
    long GradEvals,
    long? BudgetGradEvals,
    double? ProvisionalObjective,
    bool CheckpointWritten);

/// <summary>
/// What <see cref="MethodRunner.Run"/> ended with: the final metrics (also in metrics.json), or null when the run
/// was interrupted by cancellation (its checkpoint is on disk and the next Run resumes it).
/// </summary>
public sealed record RunOutcome(string Rid, RunMetrics? Metrics, bool Reused)
{
    public bool Interrupted => Metrics is null;
}
