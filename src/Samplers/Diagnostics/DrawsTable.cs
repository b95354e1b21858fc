using SamplerTune.Samplers.Problems;

namespace SamplerTune.Samplers.Diagnostics;

/// <summary>
/// Draws of named variables from one or more chains: <see cref="Chains"/>[variable][chain][draw].
/// Sampler diagnostic columns (names ending in "__") are not included.
/// </summary>
public sealed record DrawsTable(IReadOnlyList<string> Variables, double[][][] Chains)
{
    public int ChainCount => Chains.Length == 0 ? 0 : Chains[0].Length;

    /// <summary>Reads CmdStan output CSVs (one chain each) and draws CSVs with a .chain column, in any mix,
    /// and joins their chains; every file must hold the same variables and every chain the same number of draws, and no
    /// file may be given twice (paths compared after normalizing).</summary>
    public static DrawsTable ReadFiles(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0) throw new SpecError("no draws files given");
        // The same file twice would count its chains twice and make R-hat and ESS look better than they are.
        var twice = paths.GroupBy(p => Path.GetFullPath(p)).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new SpecError($"{twice.Key}: given twice ({string.Join(", ", twice)}); each draws file is read once, as its own chains");
        var parts = new List<(string Path, DrawsTable Table)>();
        foreach (var path in paths) parts.Add((path, DrawsCsv.Read(path)));
        return Join(parts);
    }

    internal static DrawsTable Join(IReadOnlyList<(string Path, DrawsTable Table)> parts)
    {
        var (firstPath, first) = parts[0];
        int draws = first.Chains[0][0].Length;
        var chains = new List<double[]>[first.Variables.Count];
        for (int v = 0; v < chains.Length; v++) chains[v] = [];
        foreach (var (path, table) in parts)
        {
            if (!table.Variables.SequenceEqual(first.Variables))
                throw new SpecError($"{path}: variables differ from {firstPath} " +
                                    $"({Describe(table.Variables, first.Variables)})");
            for (int v = 0; v < table.Variables.Count; v++)
                foreach (var chain in table.Chains[v])
                {
                    if (chain.Length != draws)
                        throw new SpecError($"{path}: a chain has {chain.Length} draws but {firstPath} has {draws}; " +
                                            "all chains must have the same number of draws");
                    chains[v].Add(chain);
                }
        }
        return new DrawsTable(first.Variables, chains.Select(c => c.ToArray()).ToArray());
    }

    private static string Describe(IReadOnlyList<string> got, IReadOnlyList<string> expected)
    {
        var missing = expected.Except(got).Take(3).ToList();
        var extra = got.Except(expected).Take(3).ToList();
        if (missing.Count > 0) return $"missing '{string.Join("', '", missing)}'";
        if (extra.Count > 0) return $"unexpected '{string.Join("', '", extra)}'";
        return "same names in a different order";
    }
}
