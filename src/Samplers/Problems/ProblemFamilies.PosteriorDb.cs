namespace SamplerTune.Samplers.Problems;

public static partial class ProblemFamilies
{
    /// <summary>The posteriordb posteriors, implemented exactly as their model.stan.</summary>
    public static IReadOnlyList<ProblemFamily> PosteriorDb { get; } =
    [
    ];
}
