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
