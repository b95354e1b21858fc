using System.CommandLine;
using SamplerTune.Coordinator.Benchmarks;

namespace SamplerTune.Coordinator.Cli;

/// <summary><c>samplertune bench ...</c>: throughput benchmarks, reported as numbers and ratios (never asserted in tests).</summary>
public static class BenchCommand
{
    public static Command Build()
    {
        var cmd = new Command("bench", "benchmarks: numbers and ratios against the named peers");
        cmd.Subcommands.Add(Gradient());
        cmd.Subcommands.Add(Samplers());
        return cmd;
    }

    private static Command Samplers()
    {
        var seconds = new Option<double>("--seconds") { Description = "wall-clock budget per method and problem", DefaultValueFactory = _ => 10.0 };
        var cmd = new Command("samplers", "ESS per gradient evaluation and objective reached, per method and NUTS, on an ill-conditioned Gaussian and logistic_correlated") { seconds };
        cmd.SetAction(p =>
        {
            var runs = Path.Combine(Path.GetTempPath(), "samplertune-bench-runs");
            var rows = new List<SamplerBenchmark.Row>();
            Console.WriteLine($"{"problem",-40} {"method",-7} {"grad evals",12} {"sec",6} {"ESS min",9} {"ESS/grad",10} {"objective",10}  status");
            foreach (var r in SamplerBenchmark.Run(p.GetValue(seconds), runs))
            {
                rows.Add(r);
                Console.WriteLine($"{r.Problem,-40} {r.Method,-7} {r.GradEvals,12:N0} {r.Seconds,6:0.0} {r.EssBulkMin,9:0.0} {r.EssPerGrad,10:0.00e+0} {r.Objective,10:G4}  {r.Status}");
            }
            var gaussian = rows.Where(r => r.Problem.StartsWith("ill_conditioned")).ToList();
            if (gaussian.FirstOrDefault(r => r.Method == "mclmc") is { } mclmc && gaussian.FirstOrDefault(r => r.Method == "nuts") is { } nuts)
                Console.WriteLine($"\nill-conditioned Gaussian: MCLMC/NUTS ESS per gradient evaluation = {mclmc.EssPerGrad / nuts.EssPerGrad:0.00} (target >= 2)");
            else Console.WriteLine("\nill-conditioned Gaussian: no mclmc method registered, no MCLMC/NUTS ratio");
            return 0;
        });
        return cmd;
    }

    private static Command Gradient()
    {
        var seconds = new Option<double>("--seconds") { Description = "measuring time per family", DefaultValueFactory = _ => 1.0 };
        var cmd = new Command("gradient", "log-density+gradient evaluations per second for each family; logistic_correlated vs two bare mat-vecs") { seconds };
        cmd.SetAction(p =>
        {
            double s = p.GetValue(seconds);
            Console.WriteLine($"{"family",-42} {"dim",6} {"evals/s",14} {"bytes/eval",11}");
            foreach (var row in GradientBenchmark.Families(s))
                Console.WriteLine($"{row.Name,-42} {row.Dimension,6} {row.EvalsPerSecond,14:N0} {row.BytesPerEval,11:0.#}");
            var (logistic, pairs) = GradientBenchmark.LogisticVersusMatVec(s * 2);
            Console.WriteLine();
            Console.WriteLine($"logistic_correlated N=1000 D=25: {logistic.EvalsPerSecond:N0} evals/s; two bare 1000x26 mat-vecs: {pairs:N0} pairs/s");
            Console.WriteLine($"ratio to the mat-vec bound: {logistic.EvalsPerSecond / pairs:0.00} (target >= 0.5)");
            return 0;
        });
        return cmd;
    }
}
