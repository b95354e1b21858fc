using SamplerTune.Messages.Work;
using SamplerTune.Samplers.Runs;

namespace SamplerTune.Worker.Runs;

/// <summary>The message that reports a finished run, made from its metrics (fresh, reused, or read back after a restart).</summary>
public static class RunReports
{
    public static RunFinished Finished(RunMetrics m, bool reused) => new(m.Rid, m.Rid, m.Objective, StatusText(m.Status), m.Reason, Summary(m), reused, m.ReferenceVersion);

    public static string StatusText(RunStatus s) => s switch
    {
        RunStatus.Complete => "complete",
        RunStatus.BudgetExhausted => "budget_exhausted",
        RunStatus.Diverged => "diverged",
        RunStatus.Failed => "failed",
        _ => "running",
    };

    private static Dictionary<string, double> Summary(RunMetrics m)
    {
        var s = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["mmd"] = m.Mmd,
            ["mean_error_l2"] = m.MeanErrorL2,
            ["cov_error_fro"] = m.CovErrorFro,
            ["runtime_sec"] = m.RuntimeSec,
            ["grad_evals"] = m.GradEvals,
            ["num_samples"] = m.NumSamples,
        };
        foreach (var k in new[] { "ess_bulk_min", "rhat_max" })
            if (m.Diagnostics.TryGetValue(k, out var v)) s[k] = v;
        return s;
    }
}
