using SamplerTune.Coordinator.Studies;
using SamplerTune.Messages.Studies;

namespace SamplerTune.Coordinator.Tests.Reports;

/// <summary>Studies folded from hand-written events (exactly as the journal replays them), for the pure report and pruning logic.</summary>
public static class StudyStates
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static StudyState Created(string method, string pid = "pid0000001", int budget = 10) =>
        StudyState.Empty.Apply(new StudyCreated($"gaussian_mean-{pid}-{method}", pid, "gaussian_mean", method, "tpe", 1, budget, T0));

    public static StudyState Asked(this StudyState s, double x)
    {
        int n = s.Trials.Count;
        return s.Apply(new TrialAsked(n, new Dictionary<string, object> { ["x"] = x }, $"rid{s.Created!.Method}{n:000}", "{}", T0.AddMinutes(n)));
    }

    public static StudyState Completed(this StudyState s, int n, double objective, string runStatus = "complete") =>
        s.Apply(new TrialCompleted(n, s.Trials[n].Rid, objective, runStatus, new Dictionary<string, double>
        {
            ["mmd"] = objective / 2, ["mean_error_l2"] = objective / 2, ["cov_error_fro"] = objective / 4, ["runtime_sec"] = 1.5 + n, ["grad_evals"] = 1000 * (n + 1),
        }, T0.AddMinutes(n + 1)));

    /// <summary>Trials asked and told in order with these objectives (null = failed).</summary>
    public static StudyState WithObjectives(string method, params double?[] objectives)
    {
        var s = Created(method);
        for (int n = 0; n < objectives.Length; n++)
        {
            s = s.Asked(n / 10.0);
            s = objectives[n] is { } v ? s.Completed(n, v) : s.Apply(new TrialFailed(n, "boom", 0, T0));
        }
        return s;
    }
}
