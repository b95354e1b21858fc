namespace SamplerTune.Samplers.Problems;

/// <summary>Every posterior family SamplerTune knows, by spec name.</summary>
public static partial class ProblemFamilies
{
    /// <summary>All families: the synthetic teacher problems first (the order <c>problems make</c> uses), then posteriordb's.</summary>
    // Lazy: static initializers of partial-class files run in an unspecified order.
    public static IReadOnlyList<ProblemFamily> All => AllFamilies.Value;

    private static readonly Lazy<IReadOnlyList<ProblemFamily>> AllFamilies = new(() => [.. Synthetic, .. PosteriorDb]);

    public static ProblemFamily? Find(string name) => All.FirstOrDefault(f => f.Name == name);

    public static string Names => string.Join(", ", All.Select(f => f.Name));
}
