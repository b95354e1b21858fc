namespace SamplerTune.Samplers.Problems;

public static partial class ProblemFamilies
{
    /// <summary>The generated teacher problems and the user-data regression families.</summary>
    public static IReadOnlyList<ProblemFamily> Synthetic { get; } =
    [
        GaussianMeanPosterior.Family,
    ];
}
