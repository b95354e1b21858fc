using System.CommandLine;
using Akka.Actor;
using SamplerTune.Coordinator.Configuration;
using SamplerTune.Coordinator.Hosting;
using SamplerTune.Coordinator.Studies;
using SamplerTune.Messages.Coordination;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Coordinator.Cli;

/// <summary>
/// <c>samplertune run --local</c>: the whole job in one process (coordinator singleton, reference stage, one persistent
/// study per (problem, method), in-process workers) with a live view. Stopping it at any moment and running the same
/// command again continues the studies from the journal and the run checkpoints.
/// </summary>
public static class RunCommand
{
    public const int Interrupted = 130;

    public static Command Build()
    {
        var local = new Option<bool>("--local") { Description = "run coordinator and workers in this process (cluster mode comes with 'coordinator' and 'samplertune-worker')" };
        var workers = new Option<int?>("--workers") { Description = "in-process workers (default: one per core)" };
        var config = new Option<string?>("--config") { Description = "study file (e.g. experiments/study.conf); default: the embedded quick-start study" };
        var trials = new Option<int?>("--trials") { Description = "trials per study" };
        var batch = new Option<int?>("--batch") { Description = "trials in flight per study" };
        var budget = new Option<double?>("--budget-sec") { Description = "wall-clock budget of each run, in seconds" };
        var methods = new Option<string?>("--methods") { Description = "comma-separated methods, e.g. sgld,vi" };
        var problems = new Option<string?>("--problems") { Description = "comma-separated problems: stored pids or family names (at their defaults)" };
        var cmd = new Command("run", "tune the methods on the problems: references first, then one persistent study per (problem, method)")
            { local, workers, config, trials, batch, budget, methods, problems };
        cmd.SetAction(p =>
        {
            if (!p.GetValue(local)) throw new UserInputError("only --local is available in this version (cluster mode: see 'samplertune coordinator' in a later release)");
            var layout = GlobalOptions.Layout(p);
            var study = StudyConfig.Load(p.GetValue(config));
            study = study with
            {
                Trials = p.GetValue(trials) ?? study.Trials,
                Batch = p.GetValue(batch) ?? study.Batch,
                BudgetSec = p.GetValue(budget) ?? study.BudgetSec,
                Methods = p.GetValue(methods) is { } m ? Split(m) : study.Methods,
                Problems = p.GetValue(problems) is { } pr ? Problems(pr, layout.Problems) : study.Problems,
            };
            study = study with { Source = study.Source + " + command line" };
            study.Validated();
            return Run(layout, study, p.GetValue(workers));
        });
        return cmd;
    }

    private static int Run(Samplers.Common.ExperimentsLayout layout, StudyConfig study, int? workers)
    {
        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; interrupt.Cancel(); };
        Console.CancelKeyPress += onCancel;
        LocalCluster? cluster = null;
        try
        {
            cluster = LocalCluster.Start(layout, config =>
            {
                var c = config.GetConfig("samplertune.coordinator");
                return JobPlanner.Plan(study, layout, c.GetInt("snapshot-every"), c.GetTimeSpan("csv-interval"));
            }, workers);
            Console.WriteLine($"samplertune run --local: study {study.Source}; experiments {layout.Root}");
            var interval = cluster.System.Settings.Config.GetTimeSpan("samplertune.coordinator.status-interval");
            var view = new LiveView(Console.Out, !Console.IsOutputRedirected, TimeSpan.FromSeconds(10));
            CoordinatorStatus? status = null;
            while (!interrupt.IsCancellationRequested)
            {
                try { status = cluster.Coordinator.Ask<CoordinatorStatus>(GetStatus.Instance, TimeSpan.FromSeconds(5)).Result; }
                catch (AggregateException) { /* the singleton is still starting */ }
                if (status is not null)
                {
                    view.Update(status);
                    if (status.AllFinished || status.Stage.StartsWith("failed")) break;
                }
                interrupt.Token.WaitHandle.WaitOne(interval);
            }
            if (status is not null) view.Update(status, force: true);
            if (interrupt.IsCancellationRequested)
            {
                Console.Error.WriteLine("interrupted: runs in flight write their checkpoints; run the same command again to continue");
                return Interrupted;
            }
            if (status!.Stage.StartsWith("failed"))
            {
                Console.Error.WriteLine("error: " + status.Stage["failed: ".Length..]);
                return 1;
            }
            Console.WriteLine($"all studies finished; trials.csv per study under {layout.Studies}");
            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            cluster?.Dispose();
        }
    }

    private static List<string> Split(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static List<StudyConfig.ProblemEntry> Problems(string list, string problemsRoot)
    {
        var store = new ProblemStore(problemsRoot);
        return Split(list).Select(item =>
            Directory.Exists(Path.Combine(problemsRoot, item)) ? new StudyConfig.ProblemEntry(store.Get(item).Pid, null, new Dictionary<string, string>())
            : ProblemFamilies.Find(item) is not null ? new StudyConfig.ProblemEntry(null, item, new Dictionary<string, string>())
            : throw new UserInputError($"--problems {item}: neither a stored pid nor a family (families: {ProblemFamilies.Names})")).ToList();
    }
}
