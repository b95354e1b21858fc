using System.Globalization;

namespace SamplerTune.Samplers.Methods;

public enum HyperparameterKind { Real, Int, Categorical }

/// <summary>One hyperparameter of a method: its default and allowed domain (inclusive range, or choices).</summary>
public sealed record HyperparameterSpec(
    string Name,
    HyperparameterKind Kind,
    object Default,
    string Description,
    double Min = double.NegativeInfinity,
    double Max = double.PositiveInfinity,
    IReadOnlyList<string>? Choices = null)
{
    public string DomainText => Kind switch
    {
        HyperparameterKind.Categorical => "one of " + string.Join(", ", Choices ?? []),
        _ => (Kind == HyperparameterKind.Int ? "an integer" : "a number") + $" in [{Fmt(Min)}, {Fmt(Max)}]",
    };

    private static string Fmt(double v) => double.IsInfinity(v) ? (v > 0 ? "inf" : "-inf") : v.ToString("G", CultureInfo.InvariantCulture);
}
