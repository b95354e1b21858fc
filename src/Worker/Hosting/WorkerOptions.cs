using System.Net;

namespace SamplerTune.Worker.Hosting;

/// <summary>
/// The worker executable's command line: <c>samplertune-worker [--seed-file PATH] [--slots N] [--hostname H]
/// [--experiments DIR] [--cluster-name NAME] [--seed-wait SEC]</c>. The experiments folder is --experiments, else
/// $SAMPLERTUNE_EXPERIMENTS, else ./experiments; the seed file defaults to its cluster/seed.json; the hostname to this
/// machine's host name (never loopback unless asked for). --config is a HOCON file layered over the embedded defaults
/// (hocon/akka.conf, cluster.conf, worker.conf), for site or benchmark settings without a rebuild.
/// </summary>
public sealed record WorkerOptions(string SeedFile, int Slots, string Hostname, string Experiments, string? ClusterName, TimeSpan? SeedWait,
    string? ConfigFile)
{
    public const string Usage = "usage: samplertune-worker [--seed-file PATH] [--slots N] [--hostname H] [--experiments DIR] [--cluster-name NAME] [--seed-wait SEC] [--config FILE]";

    /// <summary>Parses the arguments; a bad one throws <see cref="ArgumentException"/> with a one-line message.</summary>
    public static WorkerOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (int i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is not ("--seed-file" or "--slots" or "--hostname" or "--experiments" or "--cluster-name" or "--seed-wait" or "--config"))
                throw new ArgumentException($"unknown argument '{name}'");
            if (i + 1 >= args.Length) throw new ArgumentException($"{name} needs a value");
            values[name] = args[++i];
        }
        var experiments = Path.GetFullPath(values.GetValueOrDefault("--experiments")
            ?? (Environment.GetEnvironmentVariable("SAMPLERTUNE_EXPERIMENTS") is { Length: > 0 } e ? e : "experiments"));
        int slots = 0;
        if (values.TryGetValue("--slots", out var s) && (!int.TryParse(s, out slots) || slots < 1))
            throw new ArgumentException($"--slots {s}: expected a whole number of at least 1");
        TimeSpan? wait = null;
        if (values.TryGetValue("--seed-wait", out var w))
        {
            if (!double.TryParse(w, System.Globalization.CultureInfo.InvariantCulture, out var sec) || sec < 0)
                throw new ArgumentException($"--seed-wait {w}: expected seconds (>= 0)");
            wait = TimeSpan.FromSeconds(sec);
        }
        var configFile = values.TryGetValue("--config", out var c) ? Path.GetFullPath(c) : null;
        if (configFile is not null && !File.Exists(configFile)) throw new ArgumentException($"--config {c}: no such file");
        return new WorkerOptions(
            Path.GetFullPath(values.GetValueOrDefault("--seed-file") ?? Path.Combine(experiments, "cluster", "seed.json")),
            slots,
            values.GetValueOrDefault("--hostname") ?? Dns.GetHostName(),
            experiments,
            values.GetValueOrDefault("--cluster-name"),
            wait,
            configFile);
    }
}
