using System.Text.Json;

namespace SamplerTune.Samplers.Problems;

/// <summary>
/// A JSON data file (posteriordb / Stan style: names mapping to numbers, arrays, matrices).
/// Every accessor checks shape and type and throws a <see cref="SpecError"/> naming the file and field.
/// </summary>
public sealed class DataFile
{
    private readonly JsonElement _root;

    /// <summary>Where the data came from, used in error messages (a path or "bundled:name").</summary>
    public string Source { get; }

    private DataFile(string source, JsonElement root) { Source = source; _root = root; }

    public static DataFile Load(string path)
    {
        if (!File.Exists(path)) throw new SpecError($"{path}: data file not found");
        return Parse(path, File.ReadAllText(path));
    }

    public static DataFile Parse(string source, string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new SpecError($"{source}: data file must be a JSON object mapping names to values");
            return new DataFile(source, doc.RootElement.Clone());
        }
        catch (JsonException e)
        {
            throw new SpecError($"{source}: not valid JSON ({e.Message})");
        }
    }

    public bool Has(string name) => _root.TryGetProperty(name, out _);

    private JsonElement Field(string name) =>
        _root.TryGetProperty(name, out var e) ? e : throw new SpecError($"{Source}: field '{name}' is missing");

    public int Int(string name, int min = 0)
    {
        var e = Field(name);
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out int v))
            throw new SpecError($"{Source}: field '{name}' must be an integer");
        if (v < min) throw new SpecError($"{Source}: field '{name}' must be >= {min}, got {v}");
        return v;
    }

    /// <summary>A vector of exactly <paramref name="length"/> finite numbers (a scalar is accepted when length is 1, as Stan's JSON does).</summary>
    public double[] Vector(string name, int length)
    {
        var e = Field(name);
        if (length == 1 && e.ValueKind == JsonValueKind.Number) return [Number(name, e)];
        if (e.ValueKind != JsonValueKind.Array)
            throw new SpecError($"{Source}: field '{name}' must be an array of {length} numbers");
        if (e.GetArrayLength() != length)
            throw new SpecError($"{Source}: field '{name}' must have {length} entries, has {e.GetArrayLength()}");
        var v = new double[length];
        int i = 0;
        foreach (var item in e.EnumerateArray()) v[i++] = Number(name, item);
        return v;
    }

    /// <summary>A rows x cols matrix given as an array of rows, returned row-major.</summary>
    public double[] Matrix(string name, int rows, int cols)
    {
        var e = Field(name);
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != rows)
            throw new SpecError($"{Source}: field '{name}' must be an array of {rows} rows of {cols} numbers");
        var m = new double[rows * cols];
        int r = 0;
        foreach (var row in e.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != cols)
                throw new SpecError($"{Source}: field '{name}' row {r + 1} must have {cols} numbers");
            int c = 0;
            foreach (var item in row.EnumerateArray()) m[r * cols + c++] = Number(name, item);
            r++;
        }
        return m;
    }

    private double Number(string name, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double v) || !double.IsFinite(v))
            throw new SpecError($"{Source}: field '{name}' must hold finite numbers");
        return v;
    }
}
