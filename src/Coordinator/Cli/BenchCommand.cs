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
        cmd.Subcommands.Add(Nuts());
        cmd.Subcommands.Add(Samplers());
        cmd.Subcommands.Add(Dispatch());
        cmd.Subcommands.Add(Scale());
        return cmd;
    }

    private static Command Dispatch()
    {
        var trials = new Option<int>("--trials") { Description = "trials in all, spread over the studies; snakemake runs as many no-op jobs", DefaultValueFactory = _ => 4000 };
        var studies = new Option<int>("--studies") { Description = "studies of the null method, run side by side", DefaultValueFactory = _ => 16 };
        var batch = new Option<int>("--batch") { Description = "trials each study keeps in flight", DefaultValueFactory = _ => 16 };
        var workers = new Option<int>("--workers") { Description = "in-process workers", DefaultValueFactory = _ => Environment.ProcessorCount };
        var slots = new Option<int>("--slots") { Description = "slots (concurrent runs) per worker", DefaultValueFactory = _ => 32 };
        var recovery = new Option<int>("--recovery-trials") { Description = "journaled trials of the recovery measurement", DefaultValueFactory = _ => 10_000 };
        var cmd = new Command("dispatch", "trials per second through the whole actor path with a null method, against snakemake when installed; study recovery time")
            { trials, studies, batch, workers, slots, recovery };
        cmd.SetAction(p =>
        {
            var root = Path.Combine(Path.GetTempPath(), "samplertune-bench-dispatch", Guid.NewGuid().ToString("N")[..8]);
            int n = Positive(p.GetValue(studies), "--studies");
            var shape = new DispatchBenchmark.Shape(n, Math.Max(1, Positive(p.GetValue(trials), "--trials") / n), Positive(p.GetValue(batch), "--batch"),
                Positive(p.GetValue(workers), "--workers"), Positive(p.GetValue(slots), "--slots"));
            Console.WriteLine($"load average (1 min) {LoadAverage()}; {shape.Trials} trials: {shape.Studies} studies x {shape.TrialsPerStudy}, batch {shape.Batch} " +
                              $"({shape.InFlight} in flight), {shape.Workers} workers x {shape.SlotsPerWorker} slots, optimizer '{DispatchBenchmark.Sampler}'");
            var ours = DispatchBenchmark.Run(Path.Combine(root, "actors"), shape);
            Console.WriteLine($"actor path: {ours.Total.Trials} trials in {ours.Total.Seconds:0.00} s = {ours.Total.PerSecond:0.0} trials/s " +
                              $"(start-up to the first trial told {ours.StartupSeconds:0.00} s, of which node self-join {ours.NodeUpSeconds:0.00} s; after it {ours.Steady.PerSecond:0.0} trials/s)");
            if (SnakemakeBaseline.Executable() is { } snakemake)
            {
                // As many jobs at once as the actor path has slots: with --cores = workers snakemake runs 2-3x slower.
                int cores = shape.Workers * shape.SlotsPerWorker;
                var theirs = SnakemakeBaseline.Run(snakemake, Path.Combine(root, "snakemake"), shape.Trials, shape.InFlight, cores);
                Console.WriteLine($"snakemake pattern: {theirs.Trials} no-op jobs in {theirs.Seconds:0.00} s = {theirs.PerSecond:0.0} jobs/s " +
                                  $"(one call per {shape.InFlight} targets, --cores {cores})");
                Console.WriteLine($"ratio: {ours.Total.PerSecond / theirs.PerSecond:0.0}x with the actor node's start-up, " +
                                  $"{ours.Steady.PerSecond / theirs.PerSecond:0.0}x after it (target >= 100x)");
            }
            else Console.WriteLine("snakemake pattern: skipped (snakemake is not installed; apt-get install snakemake)");
            int r = p.GetValue(recovery);
            var t = DispatchBenchmark.Recovery(Path.Combine(root, "recovery"), r);
            Console.WriteLine($"recovery of a study with {r} journaled trials (snapshot every 200 events): {t.TotalSeconds:0.00} s (target < 2 s)");
            Console.WriteLine($"load average (1 min) at the end {LoadAverage()}");
            return 0;
        });
        return cmd;

        static int Positive(int value, string option) => value > 0 ? value : throw new UserInputError($"{option} must be positive, got {value}");
    }

    /// <summary>The 1-minute load average from /proc/loadavg, or "unknown" where there is none: benchmark numbers are read beside it.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static Command Scale()
    {
        var workers = new Option<string>("--workers") { Description = "worker process counts, comma-separated", DefaultValueFactory = _ => "1,4,16,64" };
        // 10 s: at 64 workers the coordinator tells 6.4 trials/s, far below its ~100/s, and a trial's own ~1-2 s of
        // scoring and bookkeeping (on a loaded 2-core machine) stays small beside it, so the rows measure scaling, not dispatch.
        var sleep = new Option<double>("--sleep") { Description = "seconds each trial sleeps", DefaultValueFactory = _ => 10.0 };
        var waves = new Option<int>("--waves") { Description = "trials per worker (trials = waves x workers, batch = workers)", DefaultValueFactory = _ => 4 };
        var cmd = new Command("scale", "trials per second of a sleep-method study through N samplertune-worker processes on 127.0.0.1; efficiency against linear scaling") { workers, sleep, waves };
        cmd.SetAction(p =>
        {
            var counts = p.GetValue(workers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(w => int.TryParse(w, out int n) && n > 0 ? n : throw new UserInputError($"--workers: '{w}' is not a positive integer")).ToList();
            var root = Path.Combine(Path.GetTempPath(), "samplertune-bench-scale", Guid.NewGuid().ToString("N")[..8]);
            var rows = new List<ScaleBenchmark.Row>();
            foreach (int n in counts)
            {
                Console.WriteLine($"{n} workers:");
                try { rows.Add(ScaleBenchmark.Run(Path.Combine(root, $"w{n}"), n, p.GetValue(sleep), Math.Max(2, p.GetValue(waves)), Console.Out)); }
                catch (Exception e) { Console.WriteLine($"  {n} workers failed: {e.GetBaseException().Message}"); }
                Console.Out.Flush();
            }
            var single = rows.FirstOrDefault(r => r.Workers == 1);
            Console.WriteLine("\nsteady state = from all workers registered to the last trial told; warm = the trials told after the first N (each worker's first");
            Console.WriteLine("trial carries its process's one-time costs); end to end = from the first worker start (join included)");
            Console.WriteLine($"{"workers",7} {"trials",7} {"seconds",8} {"trials/s",9} {"ideal",9} {"efficiency",10} {"warm t/s",9} {"warm eff.",9} {"join s",7} {"e2e s",7} {"e2e trials/s",12} {"worker RSS MB",13} {"load",6}");
            foreach (var r in rows)
            {
                double? ideal = single?.PerSecond * r.Workers, warmIdeal = single?.WarmPerSecond * r.Workers;
                Console.WriteLine($"{r.Workers,7} {r.Trials,7} {r.Seconds,8:0.00} {r.PerSecond,9:0.00} {(ideal is { } i ? i.ToString("0.00") : "-"),9} " +
                                  $"{(ideal is { } j ? (r.PerSecond / j).ToString("P1") : "-"),10} {r.WarmPerSecond,9:0.00} {(warmIdeal is { } w ? (r.WarmPerSecond / w).ToString("P1") : "-"),9} " +
                                  $"{r.JoinSeconds,7:0.0} {r.EndToEndSeconds,7:0.0} {r.EndToEndPerSecond,12:0.00} {r.WorkerRssMb,13} {r.LoadAverage,6}");
            }
            if (single is null) Console.WriteLine("no 1-worker row: efficiency needs --workers to include 1");
            Console.WriteLine($"target: steady-state efficiency >= 90% at 64 workers (sleep {p.GetValue(sleep):0.##} s per trial); load = 1-minute load average at the end of each row");
            return 0;
        });
        return cmd;
    }

    private static Command Samplers()
    {
        var gradEvals = new Option<long>("--grad-evals") { Description = "gradient-evaluation budget per method and problem (tuning and warm-up included)", DefaultValueFactory = _ => 100_000 };
        var cmd = new Command("samplers", "ESS per gradient evaluation and objective reached, per method and NUTS, on an ill-conditioned Gaussian and logistic_correlated") { gradEvals };
        cmd.SetAction(p =>
        {
            var runs = Path.Combine(Path.GetTempPath(), "samplertune-bench-runs");
            var rows = new List<SamplerBenchmark.Row>();
            Console.WriteLine($"{"problem",-40} {"method",-7} {"grad evals",12} {"sec",6} {"ESS min",9} {"ESS/grad",10} {"ESS(x^2)/grad",13} {"objective",10}  status");
            foreach (var r in SamplerBenchmark.Run(p.GetValue(gradEvals), runs))
            {
                rows.Add(r);
                Console.WriteLine($"{r.Problem,-40} {r.Method,-7} {r.GradEvals,12:N0} {r.Seconds,6:0.0} {r.EssBulkMin,9:0.0} {r.EssPerGrad,10:0.00e+0} {r.EssSquarePerGrad,13:0.00e+0} {r.Objective,10:G4}  {r.Status}");
                Console.Out.Flush();
            }
            var gaussian = rows.Where(r => r.Problem.StartsWith("ill_conditioned")).ToList();
            if (gaussian.FirstOrDefault(r => r.Method == "mclmc") is { } mclmc && gaussian.FirstOrDefault(r => r.Method == "nuts") is { } nuts)
                Console.WriteLine($"\nill-conditioned Gaussian: MCLMC/NUTS ESS per gradient evaluation = {mclmc.EssPerGrad / nuts.EssPerGrad:0.00} (bulk), {mclmc.EssSquarePerGrad / nuts.EssSquarePerGrad:0.00} (second moments); target >= 2");
            else Console.WriteLine("\nill-conditioned Gaussian: no mclmc method registered, no MCLMC/NUTS ratio");
            return 0;
        });
        return cmd;
    }

    private static Command Nuts()
    {
        var problem = new Option<string?>("--problem") { Description = $"one case ({string.Join(", ", NutsBenchmark.Cases.Select(c => c.Name))}); default all" };
        var chains = new Option<int>("--chains") { Description = "chains per side", DefaultValueFactory = _ => 4 };
        var warmup = new Option<int>("--warmup") { Description = "warm-up iterations per chain", DefaultValueFactory = _ => 1000 };
        var draws = new Option<int>("--draws") { Description = "post-warm-up draws per chain", DefaultValueFactory = _ => 1000 };
        var cmd = new Command("nuts", "NUTS gradient evaluations/s, min bulk-ESS per second and per gradient, side by side with rstan when installed") { problem, chains, warmup, draws };
        cmd.SetAction(p =>
        {
            var cases = NutsBenchmark.Cases.Where(c => p.GetValue(problem) is not { } name || c.Name == name).ToList();
            if (cases.Count == 0) throw new UserInputError($"--problem: unknown case (allowed: {string.Join(", ", NutsBenchmark.Cases.Select(c => c.Name))})");
            var root = RepositoryRoot();
            Console.WriteLine($"{"case",-28} {"side",-12} {"grads/s",12} {"ESS/s",10} {"ESS/grad",10} {"seconds",8}");
            foreach (var c in cases)
            {
                var ours = NutsBenchmark.RunOurs(c, p.GetValue(chains), p.GetValue(warmup), p.GetValue(draws), 1);
                Print(ours, "samplertune");
                var (stan, skipped) = root is null
                    ? (null, "bench/ folder not found (run from the repository)")
                    : NutsBenchmark.RunRstan(c, Path.Combine(root, "bench", "stan"), Path.Combine(root, "bench", "rstan_nuts.R"), p.GetValue(chains), p.GetValue(warmup), p.GetValue(draws), 1);
                if (stan is null) { Console.WriteLine($"{"",-28} {"rstan",-12} skipped: {skipped}"); continue; }
                Print(stan, "rstan 2.21");
                Console.WriteLine($"{"",-28} {"ratio",-12} {ours.GradsPerSecond / stan.GradsPerSecond,12:0.00} {ours.EssPerSecond / stan.EssPerSecond,10:0.00} {ours.EssPerGrad / stan.EssPerGrad,10:0.00}   (ESS/s target >= 3, ESS/grad within 15% of 1)");
            }
            return 0;
        });
        return cmd;

        static void Print(NutsBenchmark.Result r, string side) =>
            Console.WriteLine($"{r.Name,-28} {side,-12} {r.GradsPerSecond,12:N0} {r.EssPerSecond,10:N0} {r.EssPerGrad,10:0.0000} {r.Seconds,8:0.00}");
    }

    /// <summary>The source checkout holding bench/, found from the working directory or the executable's folder.</summary>
    private static string? RepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "SamplerTune.slnx"))) return dir.FullName;
        return null;
    }

    private static Command Gradient()
    {
        var seconds = new Option<double>("--seconds") { Description = "measuring time per family", DefaultValueFactory = _ => 1.0 };
        var cmd = new Command("gradient", "log-density+gradient evaluations per second for each family; logistic_correlated vs two bare mat-vecs") { seconds };
        cmd.SetAction(p =>
        {
            double s = p.GetValue(seconds);
            if (!(s > 0)) throw new UserInputError($"--seconds must be positive, got {s}");
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
