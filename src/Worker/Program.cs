using System.Runtime.InteropServices;
using SamplerTune.Worker.Hosting;

namespace SamplerTune.Worker;

/// <summary>
/// samplertune-worker: a cluster worker node (see <see cref="WorkerProcess"/>). Exit codes: 0 finished or stopped by
/// SIGTERM/SIGINT, 2 bad arguments or --config file, 3 refused (other cluster or experiments folder), 4 no fresh seed file in time.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["--help"] or ["-h"])
        {
            Console.WriteLine(WorkerOptions.Usage);
            return 0;
        }
        WorkerOptions options;
        try { options = WorkerOptions.Parse(args); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"samplertune-worker: {e.Message}\n{WorkerOptions.Usage}");
            return 2;
        }
        var process = new WorkerProcess(options, Console.Out);
        // SIGTERM (scancel, SLURM's --signal, PBS's timeout) and Ctrl-C: checkpoint the runs and leave, then exit 0.
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; process.RequestStop(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; process.RequestStop(); });
        return process.Run();
    }
}
