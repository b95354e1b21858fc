using PureHDF;

namespace SamplerTune.Samplers.Artifacts;

/// <summary>
/// Draws of several chains in the constrained space: <c>Draws[c][i * P + p]</c> is parameter p of
/// draw i of chain c. Per-draw sampler statistics (tree depth, divergences, step size...) are
/// kept per chain beside them.
/// </summary>
public sealed record ChainDraws(
    IReadOnlyList<string> ParameterNames,
    IReadOnlyList<double[]> Draws,
    IReadOnlyDictionary<string, IReadOnlyList<double[]>> Stats)
{
    public int Chains => Draws.Count;
    public int Parameters => ParameterNames.Count;
    public int DrawsPerChain => Draws.Count == 0 ? 0 : Draws[0].Length / ParameterNames.Count;

    /// <summary>One parameter's draws as [chain][draw], the shape the diagnostics take.</summary>
    public double[][] Parameter(int p)
    {
        var result = new double[Chains][];
        for (int c = 0; c < Chains; c++)
        {
            var chain = new double[DrawsPerChain];
            for (int i = 0; i < chain.Length; i++) chain[i] = Draws[c][i * Parameters + p];
            result[c] = chain;
        }
        return result;
    }
}

/// <summary>
/// The draws artifact (<c>posterior_samples.h5</c>, <c>samples.h5</c>), written with PureHDF:
/// dataset <c>posterior/draws</c> of shape [chain, draw, parameter] with the parameter names in
/// its attribute <c>param_names</c>, and <c>sample_stats/&lt;name&gt;</c> of shape [chain, draw]
/// (ArviZ's group names, so the file reads naturally in Python). Written to a temporary file
/// and renamed, so a reader never sees half a file.
/// </summary>
public static class DrawsFile
{
    public static void Write(string path, ChainDraws draws, IReadOnlyDictionary<string, string>? attributes = null)
    {
        int c = draws.Chains, n = draws.DrawsPerChain, p = draws.Parameters;
        var flat = new double[c * n * p];
        for (int k = 0; k < c; k++) draws.Draws[k].AsSpan(0, n * p).CopyTo(flat.AsSpan(k * n * p));

        var posteriorDataset = new H5Dataset(flat, fileDims: [(ulong)c, (ulong)n, (ulong)p]);
        posteriorDataset.Attributes["param_names"] = draws.ParameterNames.ToArray();
        var stats = new H5Group();
        foreach (var (name, perChain) in draws.Stats)
        {
            var s = new double[c * n];
            for (int k = 0; k < c; k++) perChain[k].AsSpan(0, n).CopyTo(s.AsSpan(k * n));
            stats[name] = new H5Dataset(s, fileDims: [(ulong)c, (ulong)n]);
        }
        var file = new H5File
        {
            ["posterior"] = new H5Group { ["draws"] = posteriorDataset },
            ["sample_stats"] = stats,
        };
        foreach (var (k, v) in attributes ?? new Dictionary<string, string>()) file.Attributes[k] = v;

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var tmp = path + ".tmp";
        file.Write(tmp);
        File.Move(tmp, path, overwrite: true);
    }

    public static ChainDraws Read(string path)
    {
        using var file = H5File.OpenRead(path);
        var dataset = file.Dataset("posterior/draws");
        var dims = dataset.Space.Dimensions;
        int c = (int)dims[0], n = (int)dims[1], p = (int)dims[2];
        var names = dataset.Attribute("param_names").Read<string[]>();
        var flat = dataset.Read<double[]>();
        var draws = Enumerable.Range(0, c).Select(k => flat.AsSpan(k * n * p, n * p).ToArray()).ToList();
        var stats = new Dictionary<string, IReadOnlyList<double[]>>();
        if (file.LinkExists("sample_stats"))
            foreach (var link in file.Group("sample_stats").Children())
            {
                if (link is not IH5Dataset ds) continue;
                var s = ds.Read<double[]>();
                stats[link.Name] = Enumerable.Range(0, c).Select(k => s.AsSpan(k * n, n).ToArray()).ToList();
            }
        return new ChainDraws(names, draws, stats);
    }
}
