using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Methods;
using SamplerTune.Samplers.Metrics;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Reference;
using SamplerTune.Samplers.Runs;

namespace SamplerTune.Coordinator.Cli;

/// <summary>
/// <c>samplertune sample &lt;pid&gt; --method M [--param name=value]...</c>: one run of a method on a problem
/// (issue 4, part 4), under experiments/runs/&lt;rid&gt;/. The same command twice reuses the finished run;
/// after a kill or Ctrl+C the same command resumes from the checkpoint.
/// </summary>
public static class SampleCommand
{
    public const int Interrupted = 130;

    public static Command Build()
    {
        var pid = new Argument<string>("pid") { Description = "problem id (see 'samplertune problems list')" };
        var method = new Option<string>("--method") { Description = "method to run (sgld, vi, mclmc, mala)", Required = true };
        var param = new Option<string[]>("--param") { Description = "hyperparameter name=value, repeatable; the others take their defaults", AllowMultipleArgumentsPerToken = false };
        var budgetSec = new Option<double>("--budget-sec") { Description = "wall-clock budget in seconds, over all resumes", DefaultValueFactory = _ => RunManifest.DefaultBudgetSec };
        var budgetGrad = new Option<long?>("--budget-grad-evals") { Description = "gradient-evaluation budget (reproducible across machines)" };
        var seed = new Option<ulong>("--seed") { Description = "seed of every random choice of the run", DefaultValueFactory = _ => RunManifest.DefaultSeed };
        var checkpointSec = new Option<double>("--checkpoint-sec") { Description = "seconds between checkpoints and provisional metrics", DefaultValueFactory = _ => RunManifest.DefaultCheckpointSec };
        var json = new Option<bool>("--json") { Description = "print metrics.json instead of a table" };
        var cmd = new Command("sample", "run one method on one problem under a budget, scored against the problem's reference")
        {
            pid, method, param, budgetSec, budgetGrad, seed, checkpointSec, json,
        };
        cmd.SetAction(p =>
        {
            var layout = GlobalOptions.Layout(p);
            var problem = new ProblemStore(layout.Problems).Get(p.GetValue(pid)!);
            string name = p.GetValue(method)!;
            var m = SamplingMethods.Find(name) ?? throw new UserInputError($"--method {name}: unknown method (allowed: {SamplingMethods.Names})");
            double budget = p.GetValue(budgetSec), interval = p.GetValue(checkpointSec);
            long? gradEvals = p.GetValue(budgetGrad);
            if (!(budget > 0) || !double.IsFinite(budget)) throw new UserInputError($"--budget-sec {budget}: must be a positive number of seconds");
            if (gradEvals is <= 0) throw new UserInputError($"--budget-grad-evals {gradEvals}: must be positive");
            if (!(interval > 0) || !double.IsFinite(interval)) throw new UserInputError($"--checkpoint-sec {interval}: must be a positive number of seconds");

            var manifest = RunManifest.Create(m, problem.Pid, problem.Spec.Family.Name, KeyValueOptions.Parse("--param", p.GetValue(param) ?? []),
                p.GetValue(seed), budget, gradEvals, interval);
            var dir = RunDirectory.Under(layout.Runs, manifest.Rid);
            RunOutcome outcome;
            if (dir.IsFinished)
            {
                outcome = new RunOutcome(manifest.Rid, ArtifactJson.Read<RunMetrics>(dir.Metrics), Reused: true);
            }
            else
            {
                var groundTruth = problem.GroundTruthDirectory;
                if (!File.Exists(ReferenceSummary.PathIn(groundTruth)) || !File.Exists(Path.Combine(groundTruth, ReferenceSummary.DrawsFileName)))
                    throw new UserInputError($"problem {problem.Pid} has no reference posterior yet: run 'samplertune reference {problem.Pid}' first");
                var distance = ReferenceDistance.Load(groundTruth, manifest.Objective);
                using var cts = new CancellationTokenSource();
                ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
                Console.CancelKeyPress += onCancel;
                var display = new SampleProgressDisplay(Console.Error, !Console.IsErrorRedirected);
                try
                {
                    outcome = MethodRunner.Run(m, manifest, problem.Build(), distance, dir, cts.Token, display);
                }
                finally
                {
                    Console.CancelKeyPress -= onCancel;
                    display.Done();
                }
            }
            if (outcome.Metrics is not { } metrics)
            {
                Console.Error.WriteLine($"interrupted: checkpoint written to {dir.Checkpoint}; run the same command again to resume");
                return Interrupted;
            }
            if (p.GetValue(json)) Console.WriteLine(File.ReadAllText(dir.Metrics));
            else WriteTable(metrics, outcome.Reused, dir, Console.Out);
            return 0;
        });
        return cmd;
    }

    private static void WriteTable(RunMetrics m, bool reused, RunDirectory dir, TextWriter output)
    {
        output.WriteLine($"rid {m.Rid}  ({m.Method} on {m.Pid}{(reused ? ", finished earlier: reused" : "")}{(m.ResumedFrom is { } r ? $", resumed from {r} gradient evaluations" : "")})");
        var rows = new List<(string, string)>
        {
            ("status", JsonSerializer.Serialize(m.Status, ArtifactJson.Options).Trim('"') + (m.Reason is null ? "" : $" ({m.Reason})")),
            ("objective", G(m.Objective)),
            ("mmd", G(m.Mmd)),
            ("mmd_noise_floor", G(m.MmdNoiseFloor)),
            ("mean_error_l2", G(m.MeanErrorL2)),
            ("cov_error_fro", G(m.CovErrorFro)),
            ("runtime_sec", m.RuntimeSec.ToString("0.##", CultureInfo.InvariantCulture)),
            ("grad_evals", m.GradEvals.ToString(CultureInfo.InvariantCulture)),
            ("num_samples", m.NumSamples.ToString(CultureInfo.InvariantCulture)),
            ("reference_version", m.ReferenceVersion.ToString(CultureInfo.InvariantCulture)),
        };
        rows.AddRange(m.Diagnostics.Select(kv => ("  " + kv.Key, G(kv.Value))));
        int width = rows.Max(r => r.Item1.Length);
        foreach (var (k, v) in rows) output.WriteLine($"{k.PadRight(width)}  {v}");
        output.WriteLine($"run folder: {dir.Path}");
    }

    private static string G(double x) => double.IsNaN(x) ? "NA" : x.ToString("G5", CultureInfo.InvariantCulture);
}
