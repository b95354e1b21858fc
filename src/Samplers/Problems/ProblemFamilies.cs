namespace SamplerTune.Samplers.Problems;

/// <summary>Every posterior family SamplerTune knows, by spec name.</summary>
public static partial class ProblemFamilies
{
    /// <summary>All families: the synthetic teacher problems first (the order <c>problems make</c> uses), then posteriordb's.</summary>
    public static IReadOnlyList<ProblemFamily> All { get; } = [.. Synthetic, .. PosteriorDb];

    public static ProblemFamily? Find(string name) => All.FirstOrDefault(f => f.Name == name);

    public static string Names => string.Join(", ", All.Select(f => f.Name));
}
