using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Reference;

namespace SamplerTune.Coordinator.Tests.Support;

/// <summary>Gives CLI tests a problem with a reference, made by the real reference stage (exact draws, ESS target 400).</summary>
public static class ExactReference
{
    public static ReferenceSummary Write(StoredProblem problem) => ReferenceRunner.Run(problem, new ReferenceSettings(MinEss: 400));

    /// <summary>Adds a gaussian_mean problem with the given dimension to the experiments folder and gives it an exact reference.</summary>
    public static StoredProblem GaussianMean(string experiments, int d = 3)
    {
        var spec = ProblemSpec.Create("gaussian_mean", new Dictionary<string, string> { ["d"] = d.ToString() }, null, "test");
        var (problem, _) = new ProblemStore(Path.Combine(experiments, "problems")).Add(spec, null);
        Write(problem);
        return problem;
    }
}
