using System.Globalization;

namespace SamplerTune.Samplers.Methods;

/// <summary>Validated hyperparameter values of one run, every spec filled (given value or default).</summary>
public sealed class Hyperparameters
{
    public IReadOnlyDictionary<string, object> Values { get; }

    private Hyperparameters(SortedDictionary<string, object> values) => Values = values;

    /// <summary>
    /// Validates <paramref name="given"/> (text or numbers) against <paramref name="method"/>'s specs;
    /// unknown names or values outside the domain throw <see cref="Problems.SpecError"/> naming the allowed names or range.
    /// </summary>
    public static Hyperparameters Create(ISamplingMethod method, IReadOnlyDictionary<string, string> given)
    {
        foreach (var name in given.Keys)
            if (method.HyperparameterSpecs.All(s => s.Name != name))
                throw new Problems.SpecError($"--param {name}: not a hyperparameter of {method.Name} (allowed: {string.Join(", ", method.HyperparameterSpecs.Select(s => s.Name))})");
        var values = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var spec in method.HyperparameterSpecs)
            values[spec.Name] = given.TryGetValue(spec.Name, out var text) ? Parse(method, spec, text) : spec.Default;
        return new Hyperparameters(values);
    }

    private static object Parse(ISamplingMethod method, HyperparameterSpec spec, string text)
    {
        string bad = $"--param {spec.Name}={text}: {method.Name}'s {spec.Name} must be {spec.DomainText}";
        switch (spec.Kind)
        {
            case HyperparameterKind.Int:
                if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long i) || i < spec.Min || i > spec.Max) throw new Problems.SpecError(bad);
                return (int)i;
            case HyperparameterKind.Real:
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double r) || !double.IsFinite(r) || r < spec.Min || r > spec.Max) throw new Problems.SpecError(bad);
                return r;
            default:
                if (spec.Choices is null || !spec.Choices.Contains(text)) throw new Problems.SpecError(bad);
                return text;
        }
    }

    public double Real(string name) => Convert.ToDouble(Values[name], CultureInfo.InvariantCulture);
    public int Int(string name) => Convert.ToInt32(Values[name], CultureInfo.InvariantCulture);
    public string Text(string name) => Convert.ToString(Values[name], CultureInfo.InvariantCulture)!;

    /// <summary>A categorical "on"/"off" switch.</summary>
    public bool Flag(string name) => Text(name) == "on";
}
