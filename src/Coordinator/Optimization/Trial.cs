namespace SamplerTune.Coordinator.Optimization;

/// <summary>Where a trial stands. Pending = asked and not yet told (running or queued).</summary>
public enum TrialState { Pending, Complete, Pruned, Failed }

/// <summary>
/// One trial of a study, as replayed from its events. <see cref="Params"/> maps every parameter of the search space
/// (fixed ones included) to a double, an int or a string. <see cref="Objective"/> is minimized; a diverged run is
/// Complete with its penalty objective, an infrastructure failure is Failed (and ignored by the models); a Pruned
/// trial may carry its last reported value.
/// </summary>
public sealed record Trial(int Number, IReadOnlyDictionary<string, object> Params, TrialState State, double? Objective = null)
{
    public static Trial Pending(int number, IReadOnlyDictionary<string, object> parameters) => new(number, parameters, TrialState.Pending);

    public Trial Completed(double objective) => this with { State = TrialState.Complete, Objective = objective };
    public Trial AsFailed() => this with { State = TrialState.Failed, Objective = null };
    public Trial AsPruned(double? lastValue = null) => this with { State = TrialState.Pruned, Objective = lastValue };

    /// <summary>A usable observation: completed with a value, NaN read as +inf (worst).</summary>
    internal double? ObservedValue => State == TrialState.Complete && Objective is { } v ? (double.IsNaN(v) ? double.PositiveInfinity : v) : null;
}
