using SamplerTune.Samplers.Problems.PosteriorDb;

namespace SamplerTune.Samplers.Problems;

public static partial class ProblemFamilies
{
    /// <summary>The posteriordb posteriors, implemented exactly as their model.stan; each bundles its posteriordb data.</summary>
    // Expression-bodied over a holder type, so All's initializer (in another part of this partial class, whose
    // static initializers run in an unspecified file order) never reads it before it is set.
    public static IReadOnlyList<ProblemFamily> PosteriorDb => PosteriorDbFamilies.List;

    private static class PosteriorDbFamilies
    {
        public static readonly IReadOnlyList<ProblemFamily> List =
        [
            EightSchoolsNoncentered.Family,
            KidiqKidscoreMomiq.Family,
            SblrcBlr.Family,
            MesquiteLogmesquite.Family,
            ArK.Family,
            LowDimGaussMix.Family,
        ];
    }
}
