
namespace SamplerTune.Samplers.Problems;

public enum FieldKind { Int, Real, Text }

/// <summary>Whether a family reads a data file: never, optionally (else it generates data from a seed), or always.</summary>
public enum DataRequirement { None, Optional, Required }

/// <summary>
/// One field of a problem spec. A field without a default is required. Numeric fields may carry
/// an inclusive range; text fields a list of allowed values.
/// </summary>
public sealed record FieldSpec(
    string Name,
    FieldKind Kind,
    string Description,
    object? Default = null,
    double Min = double.NegativeInfinity,
    double Max = double.PositiveInfinity,
    IReadOnlyList<string>? Allowed = null)
{
    public string AllowedText => Kind switch
    {
        FieldKind.Text when Allowed is not null => "one of " + string.Join(", ", Allowed),
        FieldKind.Text => "text",
        _ => (Kind == FieldKind.Int ? "an integer" : "a number")
             + (double.IsNegativeInfinity(Min) && double.IsPositiveInfinity(Max) ? ""
                : $" in [{Fmt(Min)}, {Fmt(Max)}]"),
    };

    private static string Fmt(double v) => double.IsInfinity(v) ? (v > 0 ? "inf" : "-inf") : v.ToString("G", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// A posterior family: its spec fields and how to build the posterior from validated
/// parameters and (if the family reads one) the data file's JSON root.
/// </summary>
public sealed record ProblemFamily(
    string Name,
    string Description,
    IReadOnlyList<FieldSpec> Fields,
    DataRequirement Data,
    Func<ProblemParameters, DataFile?, IPosterior> Build);
