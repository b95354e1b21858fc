using System.CommandLine;
using System.Globalization;
using Akka.Configuration;
using SamplerTune.Coordinator.Configuration;
using SamplerTune.Samplers.Mcmc;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Reference;

namespace SamplerTune.Coordinator.Cli;

/// <summary><c>samplertune reference &lt;pid|all&gt;</c>: long-run NUTS (or exact) references in ground_truth/.</summary>
public static class ReferenceCommand
{
    private const string SettingsPath = "samplertune.reference";

    public static Command Build()
    {
        var pid = new Argument<string>("pid") { Description = "problem id, or 'all' for every stored problem" };
        var chains = new Option<int?>("--chains") { Description = "number of chains (default from config: 4)" };
        var minEss = new Option<int?>("--min-ess") { Description = "bulk and tail ESS target per parameter (default 4000)" };
        var maxSec = new Option<double?>("--max-sec") { Description = "wall-clock limit per problem in seconds (default from config)" };
        var checkpointSec = new Option<double?>("--checkpoint-sec") { Description = "checkpoint interval per chain in seconds (default 60)" };
        var nuts = new Option<bool>("--nuts") { Description = "use NUTS even where the family has an exact sampler (to check NUTS against it); refused where an exact reference is stored, unless --force" };
        var force = new Option<bool>("--force") { Description = "with --nuts: replace a stored exact reference by the NUTS one" };
        var config = new Option<string?>("--config") { Description = "HOCON file overriding samplertune.reference settings" };
        var cmd = new Command("reference", "compute reference posteriors: exact draws where possible, else multi-chain NUTS extended until R-hat < 1.01 and ESS targets hold; resumable")
            { pid, chains, minEss, maxSec, checkpointSec, nuts, force, config };
        cmd.SetAction(p =>
        {
            var defaults = HoconFiles.Embedded("samplertune.conf");
            var c = HoconFiles.WithUserFile(p.GetValue(config), defaults).GetConfig(SettingsPath);
            if (p.GetValue(config) is { } file && ConfigKeys.ObjectAt(HoconFiles.Parse(File.ReadAllText(file)), SettingsPath) is { } user)
                ConfigKeys.RefuseUnknown(user, ConfigKeys.ObjectAt(defaults, SettingsPath)!, SettingsPath, file);
            var settings = Settings(c, p.GetValue(config) ?? "hocon/samplertune.conf", p.GetValue(chains), p.GetValue(minEss), p.GetValue(maxSec), p.GetValue(checkpointSec), p.GetValue(nuts));
            var store = new ProblemStore(GlobalOptions.Layout(p).Problems);
            var id = p.GetValue(pid)!;
            var folders = id == "all" ? store.Scan() : [new ProblemStore.Folder(id, store.Get(id), null)];
            if (folders.Count == 0) throw new UserInputError($"no problems under {store.Root}; create some with 'samplertune problems make --k 7'");
            var problems = folders.Where(f => f.Problem is not null).Select(f => f.Problem!).ToList();
            if (settings.ForceNuts && !p.GetValue(force)) RefuseReplacingExact(problems);
            // A problem that cannot be read is skipped with an error line; the others still get their references.
            int failures = 0;
            foreach (var broken in folders.Where(f => f.Problem is null))
            {
                Console.Error.WriteLine($"{broken.Pid}: skipped, cannot be read: {broken.Error}");
                failures++;
            }
            using var interrupt = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; interrupt.Cancel(); };
            foreach (var problem in problems)
            {
                if (interrupt.IsCancellationRequested) break;
                failures += RunOne(problem, settings, interrupt.Token) ? 0 : 1;
            }
            return failures == 0 ? 0 : 1;
        });
        return cmd;
    }

    private static ReferenceSettings Settings(Config c, string source, int? chains, int? minEss, double? maxSec, double? checkpointSec, bool nuts)
    {
        var s = new ReferenceSettings(
            Chains: chains ?? c.GetInt("chains"),
            MinEss: minEss ?? c.GetInt("min-ess"),
            MaxSeconds: maxSec ?? c.GetDouble("max-sec"),
            CheckpointSeconds: checkpointSec ?? c.GetDouble("checkpoint-sec"),
            Warmup: c.GetInt("warmup"),
            InitialDraws: c.GetInt("initial-draws"),
            MaxDrawsPerChain: c.GetInt("max-draws-per-chain"),
            RhatThreshold: c.GetDouble("rhat-threshold"),
            TargetAcceptance: c.GetDouble("adapt-delta"),
            ForceNuts: nuts,
            Seed: (ulong)c.GetLong("seed"));
        if (chains is < 1) throw new UserInputError($"--chains must be at least 1, got {chains}");
        if (minEss is < 1) throw new UserInputError($"--min-ess must be at least 1, got {minEss}");
        if (maxSec is { } m && !(m > 0 && double.IsFinite(m))) throw new UserInputError($"--max-sec must be a positive number of seconds, got {m}");
        if (checkpointSec is { } k && !(k > 0 && double.IsFinite(k))) throw new UserInputError($"--checkpoint-sec must be a positive number of seconds, got {k}");
        // The command-line values are fine, so a setting out of range comes from the --config file.
        if (s.Problem() is { } problem) throw new UserInputError($"{source}: {SettingsPath}.{problem.Key} {problem.Allowed}");
        return s;
    }

    /// <summary>An exact reference is better than any NUTS one: --nuts replaces it only with --force (nothing is run otherwise).</summary>
    private static void RefuseReplacingExact(IReadOnlyList<StoredProblem> problems)
    {
        static bool HasExact(StoredProblem pr)
        {
            try { return ReferenceSummary.TryRead(pr.GroundTruthDirectory)?.Source == "exact"; }
            catch (Exception e) when (ProblemStore.IsUnreadable(e)) { return false; } // reported when its reference is computed
        }
        var exact = problems.Where(HasExact).Select(pr => pr.Pid).ToList();
        if (exact.Count > 0)
            throw new UserInputError($"--nuts: {string.Join(", ", exact)} {(exact.Count == 1 ? "has" : "have")} an exact reference (ground_truth/summary.json) that NUTS would replace; add --force to replace it");
    }

    private static bool RunOne(StoredProblem problem, ReferenceSettings settings, CancellationToken cancel)
    {
        var display = new ConsoleProgress();
        var progress = new SynchronousProgress<ReferenceProgress>(r =>
        {
            if (r.Phase == "resumed")
            {
                Console.WriteLine($"{r.Pid} {problem.Spec.Family.Name}: resuming from checkpoints, draws per chain {string.Join(", ", r.ChainDraws)}");
                return;
            }
            display.Update(
            $"{r.Pid} {problem.Spec.Family.Name}: round {r.Round} {r.Phase}, draws/chain {r.ChainDraws.Min()}/{r.TargetDraws}" +
            (double.IsNaN(r.MinEss) ? "" : $", min ESS {r.MinEss:0}, max R-hat {r.MaxRhat:0.000}") +
            $", elapsed {ConsoleProgress.Duration(r.Elapsed)}, ETA {ConsoleProgress.Duration(r.Eta)}");
        });
        try
        {
            var s = ReferenceRunner.Run(problem, settings, progress, cancel);
            display.Done();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{s.Pid} {s.Family}: {s.Source} v{s.Version}, {s.Chains}x{s.DrawsPerChain} draws, max R-hat {s.MaxRhat:0.0000}, min ESS bulk {s.MinEssBulk:0} tail {s.MinEssTail:0}, divergences {s.Divergences}, {s.RuntimeSec:0.0} s, converged {(s.Converged ? "yes" : "no: " + s.NotConvergedReason)}"));
            foreach (var w in s.Warnings) Console.WriteLine($"  warning: {w}");
            return true;
        }
        catch (NutsFailureException e)
        {
            display.Done();
            Console.Error.WriteLine($"{problem.Pid} {problem.Spec.Family.Name}: reference failed: {e.Reason}");
            return false;
        }
        catch (Exception e) when (ProblemStore.IsUnreadable(e))
        {
            display.Done();
            Console.Error.WriteLine($"{problem.Pid} {problem.Spec.Family.Name}: skipped, a stored file cannot be read: {e.Message.ReplaceLineEndings(" ")}");
            return false;
        }
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
