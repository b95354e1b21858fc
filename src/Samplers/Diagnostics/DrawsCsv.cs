using System.Globalization;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Samplers.Diagnostics;

/// <summary>
/// Reads draws from CSV. Two layouts, told apart by the header:
/// <list type="bullet">
/// <item>CmdStan output (one chain per file): '#' comment lines (configuration, adaptation, timing) anywhere,
/// a header row, one row per draw; columns ending in "__" are sampler diagnostics and skipped. When the
/// configuration says save_warmup = 1, the first ceil(num_warmup / thin) rows are warmup and skipped.</item>
/// <item>A draws table (posterior's as_draws_df, R's write.csv): a ".chain" (or "chain") column saying which
/// chain a row belongs to; ".iteration" and ".draw" columns and R's unnamed row-name column are skipped.</item>
/// </list>
/// Malformed input raises a <see cref="SpecError"/> naming the file, line and column.
/// </summary>
public static class DrawsCsv
{
    private static readonly string[] ChainColumns = [".chain", "chain"];
    private static readonly string[] SkippedColumns = [".iteration", ".draw"];

    public static DrawsTable Read(string path)
    {
        if (!File.Exists(path)) throw new SpecError($"{path}: file not found");
        using var reader = new StreamReader(path);
        return Parse(path, reader);
    }

    public static DrawsTable Parse(string source, TextReader reader)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        string[]? header = null;
        int[] valueColumns = [];
        int chainColumn = -1;
        var rows = new List<(double Chain, double[] Values)>();
        int lineNumber = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            var trimmed = line.Trim();
            if (trimmed.Length == 0) continue;
            if (trimmed[0] == '#')
            {
                if (header is null) ReadConfig(trimmed, config);
                continue;
            }
            var fields = SplitFields(trimmed);
            if (header is null)
            {
                header = fields;
                (valueColumns, chainColumn) = ClassifyColumns(source, lineNumber, header);
                continue;
            }
            if (fields.Length != header.Length)
                throw new SpecError($"{source}:{lineNumber}: expected {header.Length} fields as in the header, found {fields.Length}");
            var values = new double[valueColumns.Length];
            for (int k = 0; k < valueColumns.Length; k++)
                values[k] = ParseNumber(source, lineNumber, header[valueColumns[k]], fields[valueColumns[k]]);
            double chain = chainColumn < 0 ? 0 : ParseChain(source, lineNumber, header[chainColumn], fields[chainColumn]);
            rows.Add((chain, values));
        }
        if (header is null) throw new SpecError($"{source}: no header row (the file is empty or only comments)");
        if (valueColumns.Length == 0) throw new SpecError($"{source}: no variable columns (only sampler diagnostics or meta columns)");

        if (chainColumn < 0) rows = DropWarmup(source, config, rows);
        if (rows.Count == 0) throw new SpecError($"{source}: no draws after the header");
        var variables = valueColumns.Select(k => header[k]).ToArray();
        return new DrawsTable(variables, GroupByChain(source, rows, variables.Length));
    }

    private static (int[] ValueColumns, int ChainColumn) ClassifyColumns(string source, int line, string[] header)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int chainColumn = -1;
        foreach (var name in ChainColumns)
        {
            chainColumn = Array.IndexOf(header, name);
            if (chainColumn >= 0) break;
        }
        var values = new List<int>();
        for (int k = 0; k < header.Length; k++)
        {
            var name = header[k];
            if (name.Length == 0)
            {
                if (k == 0) continue; // R's write.csv row names
                throw new SpecError($"{source}:{line}: column {k + 1} has an empty name");
            }
            if (!seen.Add(name)) throw new SpecError($"{source}:{line}: column '{name}' appears twice");
            if (k == chainColumn || name.EndsWith("__", StringComparison.Ordinal)) continue;
            if (chainColumn >= 0 && SkippedColumns.Contains(name)) continue;
            values.Add(k);
        }
        return (values.ToArray(), chainColumn);
    }

    /// <summary>CmdStan writes its configuration as "#   key = value (Default)" comment lines.</summary>
    private static void ReadConfig(string comment, Dictionary<string, string> config)
    {
        int eq = comment.IndexOf('=');
        if (eq < 0) return;
        var key = comment[1..eq].Trim();
        var value = comment[(eq + 1)..].Trim();
        int paren = value.IndexOf('(');
        if (paren >= 0) value = value[..paren].Trim();
        config.TryAdd(key, value);
    }

    private static List<(double, double[])> DropWarmup(string source, Dictionary<string, string> config, List<(double, double[])> rows)
    {
        if (!config.TryGetValue("save_warmup", out var save) || save is not ("1" or "true")) return rows;
        int warmup = ConfigInt(source, config, "num_warmup", 1000), thin = ConfigInt(source, config, "thin", 1);
        int warmupRows = thin <= 0 ? warmup : (warmup + thin - 1) / thin;
        if (rows.Count < warmupRows)
            throw new SpecError($"{source}: save_warmup is on but the file has {rows.Count} rows, fewer than the {warmupRows} warmup draws");
        return rows.GetRange(warmupRows, rows.Count - warmupRows);
    }

    private static int ConfigInt(string source, Dictionary<string, string> config, string key, int fallback)
    {
        if (!config.TryGetValue(key, out var text)) return fallback;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v : throw new SpecError($"{source}: configuration '{key} = {text}' is not an integer");
    }

    private static double[][][] GroupByChain(string source, List<(double Chain, double[] Values)> rows, int variableCount)
    {
        var order = new List<double>();
        var byChain = new Dictionary<double, List<double[]>>();
        foreach (var (chain, values) in rows)
        {
            if (!byChain.TryGetValue(chain, out var list))
            {
                byChain[chain] = list = [];
                order.Add(chain);
            }
            list.Add(values);
        }
        int draws = byChain[order[0]].Count;
        foreach (var chain in order)
            if (byChain[chain].Count != draws)
                throw new SpecError($"{source}: chain {chain} has {byChain[chain].Count} draws but chain {order[0]} has {draws}; " +
                                    "all chains must have the same number of draws");
        var result = new double[variableCount][][];
        for (int v = 0; v < variableCount; v++)
        {
            result[v] = new double[order.Count][];
            for (int c = 0; c < order.Count; c++)
            {
                var list = byChain[order[c]];
                var chainDraws = new double[draws];
                for (int i = 0; i < draws; i++) chainDraws[i] = list[i][v];
                result[v][c] = chainDraws;
            }
        }
        return result;
    }

    private static string[] SplitFields(string line)
    {
        var fields = line.Split(',');
        for (int k = 0; k < fields.Length; k++)
        {
            var f = fields[k].Trim();
            if (f.Length >= 2 && f[0] == '"' && f[^1] == '"') f = f[1..^1];
            fields[k] = f;
        }
        return fields;
    }

    /// <summary>Numbers in invariant culture; also the spellings R and CmdStan use for special values.</summary>
    private static double ParseNumber(string source, int line, string column, string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return v;
        switch (text.ToLowerInvariant())
        {
            case "nan" or "na" or "-nan": return double.NaN;
            case "inf" or "+inf" or "infinity" or "+infinity": return double.PositiveInfinity;
            case "-inf" or "-infinity": return double.NegativeInfinity;
        }
        throw new SpecError($"{source}:{line}: column '{column}': cannot read '{text}' as a number");
    }

    private static double ParseChain(string source, int line, string column, string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v))
            return v;
        throw new SpecError($"{source}:{line}: column '{column}': chain id '{text}' is not a number");
    }
}
