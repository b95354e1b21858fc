using System.Globalization;

namespace SamplerTune.Samplers.Problems;

/// <summary>The validated field values of a spec (defaults filled in), with typed access for builders.</summary>
public sealed class ProblemParameters(string family, IReadOnlyDictionary<string, object> values)
{
    public string Family { get; } = family;
    public IReadOnlyDictionary<string, object> Values { get; } = values;

    public int Int(string name) => Convert.ToInt32(Get(name), CultureInfo.InvariantCulture);
    public double Real(string name) => Convert.ToDouble(Get(name), CultureInfo.InvariantCulture);
    public string Text(string name) => Convert.ToString(Get(name), CultureInfo.InvariantCulture)!;

    private object Get(string name) =>
        Values.TryGetValue(name, out var v) ? v : throw new InvalidOperationException($"family {Family} has no field '{name}' (a bug in the family definition)");
}
