using System.IO.Compression;
using System.Text.Json;

namespace SamplerTune.Samplers.Tests.Support;

/// <summary>
/// A posteriordb reference posterior copied under tests/data/posteriordb/&lt;family&gt;/ (BSD 3-Clause, LICENCE.md there):
/// the draws of reference_draws.json.zip (a JSON list of chains, each mapping a constrained parameter name to
/// its draws) as per-parameter arrays [chain][draw] in the file's parameter order, and the per-parameter means
/// of summary.json.
/// </summary>
internal sealed class PosteriorDbReference
{
    /// <summary>Parameter names in the order the reference draws list them.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Draws by parameter name, indexed [chain][draw].</summary>
    public IReadOnlyDictionary<string, double[][]> Draws { get; }

    /// <summary>Posterior means by parameter name, as summary.json gives them.</summary>
    public IReadOnlyDictionary<string, double> SummaryMeans { get; }

    public int Chains => Draws[Names[0]].Length;
    public int DrawsPerChain => Draws[Names[0]][0].Length;

    private PosteriorDbReference(IReadOnlyList<string> names, IReadOnlyDictionary<string, double[][]> draws, IReadOnlyDictionary<string, double> means) =>
        (Names, Draws, SummaryMeans) = (names, draws, means);

    /// <summary>The folder holding a family's copied posteriordb files (data.json, model.stan, ...).</summary>
    public static string Folder(string family) => Path.Combine(AppContext.BaseDirectory, "data", "posteriordb", family);

    public static PosteriorDbReference Load(string family)
    {
        string folder = Folder(family);
        using var zip = ZipFile.OpenRead(Path.Combine(folder, "reference_draws.json.zip"));
        var entry = zip.Entries.Single(e => e.Name.EndsWith(".json", StringComparison.Ordinal));
        using var stream = entry.Open();
        using var doc = JsonDocument.Parse(stream);

        var chains = doc.RootElement.EnumerateArray().ToArray();
        var names = chains[0].EnumerateObject().Select(p => p.Name).ToArray();
        var draws = new Dictionary<string, double[][]>();
        foreach (string name in names)
        {
            draws[name] = chains.Select(chain =>
                chain.TryGetProperty(name, out var values)
                    ? values.EnumerateArray().Select(v => v.GetDouble()).ToArray()
                    : throw new InvalidDataException($"{family}: a chain lacks parameter {name}")).ToArray();
        }

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")));
        var means = summary.RootElement.GetProperty("summary").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetProperty("mean").GetDouble());
        return new PosteriorDbReference(names, draws, means);
    }

    /// <summary>One draw of every parameter, in <see cref="Names"/> order.</summary>
    public double[] Draw(int chain, int draw) => Names.Select(n => Draws[n][chain][draw]).ToArray();

    /// <summary>The summary means in <see cref="Names"/> order.</summary>
    public double[] MeanVector() => Names.Select(n => SummaryMeans[n]).ToArray();
}
