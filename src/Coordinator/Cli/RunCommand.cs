using System.CommandLine;
using Akka.Actor;
using SamplerTune.Coordinator.Configuration;
using SamplerTune.Coordinator.Hosting;
using SamplerTune.Coordinator.Studies;
using SamplerTune.Messages.Coordination;

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
        var study = new StudyOptions();
        var cmd = new Command("run", "tune the methods on the problems: references first, then one persistent study per (problem, method)")
            { local, workers };
        study.AddTo(cmd);
        cmd.SetAction(p =>
        {
            if (!p.GetValue(local)) throw new UserInputError("run needs --local; for cluster mode start 'samplertune coordinator' and 'samplertune-worker' processes (see the README, 'Three ways to run')");
            var layout = GlobalOptions.Layout(p);
            if (p.GetValue(workers) is < 1 and var w) throw new UserInputError($"--workers must be at least 1, got {w}");
            return Run(layout, study.Read(p, layout), p.GetValue(workers));
        });
        return cmd;
    }

    private static int Run(Samplers.Common.ExperimentsLayout layout, StudyConfig study, int? workers)
    {
        using var experimentsLock = ExperimentsLock.Acquire(layout);
        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; interrupt.Cancel(); };
        Console.CancelKeyPress += onCancel;
        // SIGTERM (kill, timeout, a scheduler) stops like Ctrl-C: runs checkpoint, the process exits.
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; interrupt.Cancel(); });
        LocalCluster? cluster = null;
        // Akka's log goes to a file while the live view owns the console; its errors are shown when the view ends.
        var logFile = Path.Combine(layout.Logs, $"run-local-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log");
        try
        {
            cluster = LocalCluster.Start(layout, config =>
            {
                var c = config.GetConfig("samplertune.coordinator");
                return JobPlanner.Plan(study, layout, c.GetInt("snapshot-every"), c.GetTimeSpan("csv-interval"));
            }, workers, FileLogger.Routing(logFile));
            Console.WriteLine($"samplertune run --local: study {study.Source}; experiments {layout.Root}; log {logFile}");
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
            var errors = FileLogger.Errors(logFile);
            foreach (var line in errors.Take(20)) Console.Error.WriteLine(line);
            if (errors.Count > 0) Console.Error.WriteLine($"{errors.Count} error(s) were logged; the full log is {logFile}");
        }
    }
}
