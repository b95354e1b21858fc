using System.Reflection;

namespace SamplerTune.Samplers.Problems.PosteriorDb;

/// <summary>
/// The posteriordb data sets bundled in this assembly (github.com/stan-dev/posteriordb, BSD 3-Clause,
/// data/LICENCE.md), and the checks of Stan's data constraints that <see cref="DataFile"/> does not make.
/// </summary>
public static class PosteriorDbData
{
    private const string ResourcePrefix = "SamplerTune.Samplers.PosteriorDb.";

    /// <summary>The bundled data of a posteriordb family, by family name; its source reads "bundled:name".</summary>
    public static DataFile Bundled(string familyName) => DataFile.Parse("bundled:" + familyName, BundledJson(familyName));

    /// <summary>The bundled data file's text, e.g. to hand the same data to Stan.</summary>
    public static string BundledJson(string familyName)
    {
        using var stream = typeof(PosteriorDbData).Assembly.GetManifestResourceStream(ResourcePrefix + familyName + ".json")
            ?? throw new InvalidOperationException($"no bundled posteriordb data for '{familyName}' (a bug in the build)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Names of the bundled data sets (family names).</summary>
    public static IReadOnlyList<string> BundledNames() =>
        typeof(PosteriorDbData).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..^".json".Length])
            .ToArray();

    /// <summary>Stan's <c>&lt;lower=lb, upper=ub&gt;</c> on a data vector (inclusive, as Stan checks data).</summary>
    public static double[] InRange(DataFile data, string name, double[] values, double lower, double upper = double.PositiveInfinity)
    {
        for (int i = 0; i < values.Length; i++)
            if (!(values[i] >= lower && values[i] <= upper))
                throw new SpecError($"{data.Source}: field '{name}' entry {i + 1} is {values[i]}, must be in [{lower}, {upper}]");
        return values;
    }

    /// <summary>Values that the model takes the log of must be strictly positive.</summary>
    public static double[] Positive(DataFile data, string name, double[] values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!(values[i] > 0))
                throw new SpecError($"{data.Source}: field '{name}' entry {i + 1} is {values[i]}, must be > 0");
        return values;
    }

    /// <summary>Stan style names <c>name[1]</c> .. <c>name[n]</c>.</summary>
    internal static IEnumerable<string> Indexed(string name, int n) => Enumerable.Range(1, n).Select(i => $"{name}[{i}]");
}
