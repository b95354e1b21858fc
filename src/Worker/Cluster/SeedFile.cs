using System.Text.Json;
using System.Text.Json.Serialization;

namespace SamplerTune.Worker.Cluster;

/// <summary>
/// <c>experiments/cluster/seed.json</c>: where the coordinator node listens, written by <c>samplertune coordinator</c>
/// at start-up and its heartbeat refreshed every few seconds; workers join the address in it. A seed whose heartbeat
/// is older than the stale limit belongs to a coordinator that is gone. <paramref name="Finished"/> tells late workers
/// that there is nothing left to do.
/// </summary>
public sealed record SeedFile(
    string Address,
    string ClusterName,
    string Host,
    int Port,
    int ProcessId,
    string? SchedulerJobId,
    DateTimeOffset StartedUtc,
    DateTimeOffset HeartbeatUtc,
    bool Finished)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public TimeSpan Age(DateTimeOffset now) => now - HeartbeatUtc;

    /// <summary>Writes the file atomically (temporary file, then rename), so a worker never reads half of it.</summary>
    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var tmp = path + $".{Environment.ProcessId}.tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(this, Options));
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>The seed at <paramref name="path"/>, or null when it is missing or unreadable (a write in progress on a file system without atomic rename).</summary>
    public static SeedFile? TryRead(string path)
    {
        try { return File.Exists(path) ? JsonSerializer.Deserialize<SeedFile>(File.ReadAllText(path), Options) : null; }
        catch (Exception e) when (e is IOException or JsonException) { return null; }
    }

    /// <summary>The scheduler's job id of this process, if it runs in a SLURM or PBS job.</summary>
    public static string? CurrentJobId() =>
        Environment.GetEnvironmentVariable("SLURM_JOB_ID") is { Length: > 0 } s ? "slurm:" + s
        : Environment.GetEnvironmentVariable("PBS_JOBID") is { Length: > 0 } p ? "pbs:" + p : null;

    /// <summary>
    /// Waits up to <paramref name="wait"/> for a seed that is finished or whose heartbeat is fresher than
    /// <paramref name="staleAfter"/>; otherwise returns why not (missing, unreadable or stale), for a clear refusal.
    /// </summary>
    public static (SeedFile? Seed, string? Problem) WaitForFresh(string path, TimeSpan wait, TimeSpan staleAfter, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow + wait;
        string problem;
        while (true)
        {
            var seed = TryRead(path);
            var now = DateTimeOffset.UtcNow;
            if (seed is not null && (seed.Finished || seed.Age(now) <= staleAfter)) return (seed, null);
            problem = seed is null
                ? File.Exists(path) ? $"seed file {path} is not readable" : $"seed file {path} does not exist"
                : $"seed file {path} is stale: its last heartbeat is {seed.Age(now).TotalSeconds:0} s old (coordinator pid {seed.ProcessId} on {seed.Host}, "
                  + $"stale after {staleAfter.TotalSeconds:0} s)";
            if (DateTime.UtcNow >= deadline || cancel.IsCancellationRequested) break;
            cancel.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(500));
        }
        return (null, $"{problem}; waited {wait.TotalSeconds:0} s. Start 'samplertune coordinator' on the same experiments folder first, or pass --seed-file");
    }
}
