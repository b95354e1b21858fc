namespace SamplerTune.Coordinator.Optimization;

/// <summary>
/// The declared search space of a study: an ordered list of parameters (order fixes the sampling order, hence
/// determinism). Validated on construction: inverted or empty ranges, log ranges reaching 0 or below, empty or
/// repeated choices and repeated names are refused with a <see cref="ConfigError"/> naming <paramref name="source"/>.
/// </summary>
public sealed class SearchSpace
{
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The parameters the samplers search (fixed ones excluded), in declaration order.</summary>
    public IReadOnlyList<Parameter> Tunable { get; }

    public SearchSpace(IEnumerable<Parameter> parameters, string source = "search space")
    {
        Parameters = parameters.ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in Parameters)
        {
            if (!seen.Add(p.Name)) throw new ConfigError(source, p.Name, "declared twice");
            Validate(p, source);
        }
        Tunable = Parameters.Where(p => p.IsTunable).ToArray();
    }

    public Parameter this[string name] => Parameters.FirstOrDefault(p => p.Name == name)
        ?? throw new KeyNotFoundException($"no parameter '{name}' in the search space");

    /// <summary>Number of distinct tunable configurations, or null if any tunable parameter is continuous (or the count overflows).</summary>
    public long? Cardinality
    {
        get
        {
            long total = 1;
            foreach (var p in Tunable)
            {
                if (p.Cardinality is not { } c) return null;
                try { total = checked(total * c); } catch (OverflowException) { return null; }
            }
            return total;
        }
    }

    /// <summary>A full proposal (fixed values included) from internal coordinates of the tunable parameters.</summary>
    public Dictionary<string, object> Decode(ReadOnlySpan<double> tunableInternal)
    {
        var d = new Dictionary<string, object>(Parameters.Count, StringComparer.Ordinal);
        int j = 0;
        foreach (var p in Parameters) d[p.Name] = p.IsTunable ? p.FromInternal(tunableInternal[j++]) : p.FromInternal(0);
        return d;
    }

    /// <summary>Internal coordinates of a trial's tunable parameters; false when a value is missing or outside the space (e.g. a trial of an older space).</summary>
    public bool TryEncode(IReadOnlyDictionary<string, object> values, Span<double> into)
    {
        for (int j = 0; j < Tunable.Count; j++)
        {
            var p = Tunable[j];
            if (!values.TryGetValue(p.Name, out var v)) return false;
            try { into[j] = p.ToInternal(v); }
            catch (ArgumentException) { return false; }
            if (!double.IsFinite(into[j])) return false;
        }
        return true;
    }

    /// <summary>A canonical key of a configuration's tunable values, for duplicate detection.</summary>
    public string Key(IReadOnlyDictionary<string, object> values) =>
        string.Join("\u001f", Tunable.Select(p => values.TryGetValue(p.Name, out var v) ? Parameter.Format(v) : "?"));

    private static void Validate(Parameter p, string source)
    {
        switch (p)
        {
            case FloatParameter f:
                if (!double.IsFinite(f.Low) || !double.IsFinite(f.High)) throw new ConfigError(source, f.Name, $"bounds must be finite numbers, got [{f.Low}, {f.High}]");
                if (f.Low >= f.High) throw new ConfigError(source, f.Name, $"{(f.Low > f.High ? "inverted" : "empty")} range [{Parameter.Format(f.Low)}, {Parameter.Format(f.High)}]: need low < high (pin a single value with type = fixed)");
                if (f.Log && f.Low <= 0) throw new ConfigError(source, f.Name, $"log range [{Parameter.Format(f.Low)}, {Parameter.Format(f.High)}] must be strictly positive (low > 0)");
                break;
            case IntParameter i:
                if (i.Low >= i.High) throw new ConfigError(source, i.Name, $"{(i.Low > i.High ? "inverted" : "empty")} range [{i.Low}, {i.High}]: need low < high (pin a single value with type = fixed)");
                if (i.Log && i.Low < 1) throw new ConfigError(source, i.Name, $"log range [{i.Low}, {i.High}] must start at 1 or above");
                break;
            case CategoricalParameter c:
                if (c.Choices.Count == 0) throw new ConfigError(source, c.Name, "categorical with no choices");
                var dup = c.Choices.Select(Parameter.Format).GroupBy(s => s).FirstOrDefault(g => g.Count() > 1);
                if (dup is not null) throw new ConfigError(source, c.Name, $"choice '{dup.Key}' listed twice");
                break;
        }
    }
}
