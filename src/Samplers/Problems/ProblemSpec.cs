using System.Globalization;
using System.Text.Json.Nodes;
using SamplerTune.Samplers.Common;

namespace SamplerTune.Samplers.Problems;

/// <summary>
/// A validated problem spec: a family, every field's value (defaults filled in), and for data
/// families the SHA-256 of the data file. Its pid is the content hash of this normalized form,
/// so the same spec (and the same data) always gets the same pid.
/// </summary>
public sealed class ProblemSpec
{
    /// <summary>Name of the data file inside the problem folder, when the family reads one.</summary>
    public const string DataFileName = "data.json";

    public ProblemFamily Family { get; }
    public ProblemParameters Parameters { get; }
    public string? DataSha256 { get; }
    public string Pid { get; }

    private ProblemSpec(ProblemFamily family, ProblemParameters parameters, string? dataSha256)
    {
        Family = family; Parameters = parameters; DataSha256 = dataSha256;
        Pid = ContentHash.Of(ToJson());
    }

    /// <summary>
    /// Validates raw field values (as text, from YAML or --set) against the family. <paramref name="source"/>
    /// names where they came from (a spec.yaml path, or "--set") for error messages.
    /// </summary>
    public static ProblemSpec Create(string? familyName, IReadOnlyDictionary<string, string> raw, string? dataSha256, string source)
    {
        if (string.IsNullOrWhiteSpace(familyName))
            throw new SpecError($"{source}: field 'family' is missing (allowed: {ProblemFamilies.Names})");
        var family = ProblemFamilies.Find(familyName)
            ?? throw new SpecError($"{source}: field 'family': unknown family '{familyName}' (allowed: {ProblemFamilies.Names})");

        foreach (var key in raw.Keys)
            if (family.Fields.All(f => f.Name != key))
                throw new SpecError($"{source}: field '{key}' is not a field of family {family.Name} (allowed: {FieldNames(family)})");

        var values = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var field in family.Fields)
        {
            if (raw.TryGetValue(field.Name, out var text)) values[field.Name] = Parse(field, text, source);
            else if (field.Default is not null) values[field.Name] = field.Default;
            else throw new SpecError($"{source}: field '{field.Name}' is missing ({field.Description}; {field.AllowedText})");
        }

        if (family.Data == DataRequirement.Required && dataSha256 is null)
            throw new SpecError($"{source}: family {family.Name} needs a data file (field 'data'; give one with --data FILE)");
        if (family.Data == DataRequirement.None && dataSha256 is not null)
            throw new SpecError($"{source}: field 'data': family {family.Name} generates its own data and takes no data file");
        return new ProblemSpec(family, new ProblemParameters(family.Name, values), dataSha256);
    }

    private static string FieldNames(ProblemFamily family) =>
        family.Fields.Count == 0 ? "none" : string.Join(", ", family.Fields.Select(f => f.Name));

    private static object Parse(FieldSpec field, string text, string source)
    {
        string bad = $"{source}: field '{field.Name}' must be {field.AllowedText}, got '{text}'";
        switch (field.Kind)
        {
            case FieldKind.Int:
                if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long i) || i < field.Min || i > field.Max)
                    throw new SpecError(bad);
                return (int)i;
            case FieldKind.Real:
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double r) || !double.IsFinite(r) || r < field.Min || r > field.Max)
                    throw new SpecError(bad);
                return r == 0 ? 0.0 : r; // -0 and 0 are one value, so one pid
            default:
                if (field.Allowed is not null && !field.Allowed.Contains(text)) throw new SpecError(bad);
                return text;
        }
    }

    /// <summary>The normalized JSON the pid is hashed from.</summary>
    public JsonObject ToJson()
    {
        var fields = new JsonObject();
        foreach (var (k, v) in Parameters.Values) fields[k] = JsonValue.Create(v);
        var json = new JsonObject { ["family"] = Family.Name, ["fields"] = fields };
        if (DataSha256 is not null) json["data_sha256"] = DataSha256;
        return json;
    }

    /// <summary>Builds the posterior; <paramref name="dataPath"/> is the problem's data file when the spec has one.</summary>
    public IPosterior Build(string? dataPath) =>
        Family.Build(Parameters, DataSha256 is null ? null : DataFile.Load(dataPath ?? throw new SpecError($"family {Family.Name}: data file path missing")));
}
