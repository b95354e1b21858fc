using System.Globalization;

namespace SamplerTune.Coordinator.Optimization;

/// <summary>
/// One dimension of a search space. Samplers work on an internal real coordinate (Optuna's "internal repr"):
/// the log of the value for log-scaled numbers, the value for linear numbers, the index for categoricals.
/// </summary>
public abstract record Parameter(string Name)
{
    /// <summary>Fixed values take no part in the search; they are copied into every proposal.</summary>
    public virtual bool IsTunable => true;

    /// <summary>The internal coordinate of an external value (double, int or string as in <see cref="Trial.Params"/>).</summary>
    public abstract double ToInternal(object value);

    /// <summary>The external value of an internal coordinate, rounded and clipped into the declared range.</summary>
    public abstract object FromInternal(double x);

    /// <summary>A uniform draw in the internal coordinate, as Optuna's RandomSampler does (log-uniform for log scales).</summary>
    public abstract double SampleInternal(Samplers.Common.Rng rng);

    /// <summary>Number of distinct values, or null when continuous.</summary>
    public abstract long? Cardinality { get; }

    public abstract string Describe();

    protected static double AsDouble(string name, object v) => v switch
    {
        double d => d,
        int i => i,
        long l => l,
        float f => f,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw new ArgumentException($"parameter {name}: value '{v}' is not a number"),
    };

    internal static string Format(object v) => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "";
}

/// <summary>A real number in [Low, High]; log-uniform when <see cref="Log"/>. <see cref="Relative"/> marks a value
/// that multiplies a tuned value (e.g. MCLMC's step size relative to its adapted one) rather than replacing it.</summary>
public sealed record FloatParameter(string Name, double Low, double High, bool Log = false, bool Relative = false) : Parameter(Name)
{
    public double InternalLow => Log ? Math.Log(Low) : Low;
    public double InternalHigh => Log ? Math.Log(High) : High;
    public override double ToInternal(object value) { double v = AsDouble(Name, value); return Log ? Math.Log(v) : v; }
    public override object FromInternal(double x) => Math.Clamp(Log ? Math.Exp(x) : x, Low, High);
    public override double SampleInternal(Samplers.Common.Rng rng) => InternalLow + rng.NextDouble() * (InternalHigh - InternalLow);
    public override long? Cardinality => Low == High ? 1 : null;
    public override string Describe() => $"float [{Format(Low)}, {Format(High)}]{(Log ? " log" : "")}{(Relative ? " relative" : "")}";
}

/// <summary>An integer in [Low, High] (step 1); log-uniform when <see cref="Log"/>.</summary>
public sealed record IntParameter(string Name, int Low, int High, bool Log = false) : Parameter(Name)
{
    public override double ToInternal(object value) { double v = AsDouble(Name, value); return Log ? Math.Log(v) : v; }
    public override object FromInternal(double x) => (int)Math.Clamp(Math.Round(Log ? Math.Exp(x) : x, MidpointRounding.ToEven), Low, High);

    // Optuna's RandomSampler widens an integer range by half a step on each side so both ends are as likely as the middle.
    public override double SampleInternal(Samplers.Common.Rng rng)
    {
        double lo = Log ? Math.Log(Low - 0.5) : Low - 0.5, hi = Log ? Math.Log(High + 0.5) : High + 0.5;
        return ToInternal(FromInternal(lo + rng.NextDouble() * (hi - lo)));
    }

    public override long? Cardinality => (long)High - Low + 1;
    public override string Describe() => $"int [{Low}, {High}]{(Log ? " log" : "")}";
}

/// <summary>One of a list of choices (ints, doubles or strings), unordered.</summary>
public sealed record CategoricalParameter(string Name, IReadOnlyList<object> Choices) : Parameter(Name)
{
    public override double ToInternal(object value)
    {
        string s = Format(value);
        for (int i = 0; i < Choices.Count; i++) if (Format(Choices[i]) == s) return i;
        throw new ArgumentException($"parameter {Name}: '{s}' is not one of {{{string.Join(", ", Choices.Select(Format))}}}");
    }

    public override object FromInternal(double x) => Choices[(int)Math.Clamp(Math.Round(x), 0, Choices.Count - 1)];
    public override double SampleInternal(Samplers.Common.Rng rng) => rng.NextInt(Choices.Count);
    public override long? Cardinality => Choices.Count;
    public override string Describe() => $"one of {{{string.Join(", ", Choices.Select(Format))}}}";
    public bool Equals(CategoricalParameter? other) => other is not null && Name == other.Name && Choices.Select(Format).SequenceEqual(other.Choices.Select(Format));
    public override int GetHashCode() => HashCode.Combine(Name, Choices.Count);
}

/// <summary>A pinned value: not searched, copied into every proposal.</summary>
public sealed record FixedParameter(string Name, object Value) : Parameter(Name)
{
    public override bool IsTunable => false;
    public override double ToInternal(object value) => 0;
    public override object FromInternal(double x) => Value;
    public override double SampleInternal(Samplers.Common.Rng rng) => 0;
    public override long? Cardinality => 1;
    public override string Describe() => $"fixed {Format(Value)}";
}
