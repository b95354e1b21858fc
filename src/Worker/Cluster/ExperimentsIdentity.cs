using SamplerTune.Samplers.Common;

namespace SamplerTune.Worker.Cluster;

/// <summary>
/// A random id stored once in <c>experiments/cluster/experiments.id</c>. A worker sends the id of the folder it will
/// write runs into; the coordinator refuses a worker whose id differs from its own (a different study directory, or a
/// shared file system mounted somewhere else than expected), whatever path either side uses for the folder.
/// </summary>
public static class ExperimentsIdentity
{
    public const string FileName = "experiments.id";

    public static string PathIn(ExperimentsLayout layout) => Path.Combine(layout.Cluster, FileName);

    /// <summary>The folder's id, or null when it has none (no coordinator ever ran on it).</summary>
    public static string? Read(ExperimentsLayout layout)
    {
        var path = PathIn(layout);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    /// <summary>The folder's id, created on first use (written to a temporary file and renamed, so readers never see half an id).</summary>
    public static string Ensure(ExperimentsLayout layout)
    {
        if (Read(layout) is { Length: > 0 } id) return id;
        Directory.CreateDirectory(layout.Cluster);
        var tmp = PathIn(layout) + $".{Environment.ProcessId}.tmp";
        File.WriteAllText(tmp, Guid.NewGuid().ToString("N"));
        try { File.Move(tmp, PathIn(layout), overwrite: false); }
        catch (IOException) { File.Delete(tmp); } // another process created it first: theirs wins
        return Read(layout)!;
    }
}
