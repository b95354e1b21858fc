namespace SamplerTune.Samplers.Common;

/// <summary>The on-disk layout under the experiments folder (see ARCHITECTURE.md, "On-disk layout").</summary>
public sealed record ExperimentsLayout(string Root)
{
    public string Problems => Path.Combine(Root, "problems");
    public string Runs => Path.Combine(Root, "runs");
    public string Studies => Path.Combine(Root, "studies");
    public string Cluster => Path.Combine(Root, "cluster");
    public string Logs => Path.Combine(Root, "logs");
    public string Journal => Path.Combine(Root, "journal.db");
    public string Snapshots => Path.Combine(Root, "snapshots.db");
}
