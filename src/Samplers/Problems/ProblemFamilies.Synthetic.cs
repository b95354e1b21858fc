namespace SamplerTune.Samplers.Problems;

public static partial class ProblemFamilies
{
    /// <summary>The generated teacher problems and the user-data regression families.</summary>
    // Held in a nested class so that the list exists whenever it is first read, whatever the order in which
    // the compiler runs the static initializers of this partial class's files (ProblemFamilies.All reads it).
    public static IReadOnlyList<ProblemFamily> Synthetic => SyntheticFamilies.List;

    private static class SyntheticFamilies
    {
        public static readonly IReadOnlyList<ProblemFamily> List =
        [
            GaussianMeanPosterior.Family,
            LogisticCorrelatedPosterior.Family,
            GaussianMixturePosterior.Family,
            FunnelPosterior.Family,
            BananaPosterior.Family,
            HierarchicalPosterior.Family,
            ProbitCauchyPosterior.Family,
            LogisticRegressionPosterior.Family,
            LinearRegressionPosterior.Family,
        ];
    }
}
