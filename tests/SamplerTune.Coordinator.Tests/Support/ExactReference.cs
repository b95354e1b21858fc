using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Metrics;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Reference;

namespace SamplerTune.Coordinator.Tests.Support;

/// <summary>
/// Writes ground_truth/{posterior_samples.h5, summary.json} for a problem whose family samples exactly
/// (IExactSampler), standing in for 'samplertune reference' in CLI tests: 4 chains of independent draws,
/// moments from the draws.
/// </summary>
public static class ExactReference
{
    public static void Write(StoredProblem problem, int drawsPerChain = 500, ulong seed = 17)
    {
        var posterior = problem.Build();
        var exact = (IExactSampler)posterior;
        int dim = posterior.ParameterNames.Count;
        var rng = new Rng(seed);
        var chains = new List<double[]>();
        for (int c = 0; c < 4; c++)
        {
            var chain = new double[drawsPerChain * dim];
            for (int i = 0; i < drawsPerChain; i++) exact.SampleConstrained(rng, chain.AsSpan(i * dim, dim));
            chains.Add(chain);
        }
        var draws = new ChainDraws(posterior.ParameterNames, chains, new Dictionary<string, IReadOnlyList<double[]>>());
        var rows = DrawRows.Pool(draws, out int n);
        var mean = DrawRows.Mean(rows, n, dim);
        var cov = DrawRows.Covariance(rows, n, dim, mean);
        var sd = cov.Select((r, j) => Math.Sqrt(r[j])).ToArray();
        var ones = Enumerable.Repeat(1.0, dim).ToArray();
        var ess = Enumerable.Repeat((double)n, dim).ToArray();
        var dir = problem.GroundTruthDirectory;
        DrawsFile.Write(Path.Combine(dir, ReferenceSummary.DrawsFileName), draws);
        ArtifactJson.Write(ReferenceSummary.PathIn(dir), new ReferenceSummary(problem.Pid, problem.Spec.Family.Name, "exact", posterior.ParameterNames,
            mean, sd, cov, ess, ess, ones, 1, n, n, 0, 0, 0, true, null, [], 1, 4, drawsPerChain, 400, seed, DateTimeOffset.UtcNow));
    }

    /// <summary>Adds a gaussian_mean problem with the given dimension to the experiments folder and gives it an exact reference.</summary>
    public static StoredProblem GaussianMean(string experiments, int d = 3)
    {
        var spec = ProblemSpec.Create("gaussian_mean", new Dictionary<string, string> { ["d"] = d.ToString() }, null, "test");
        var (problem, _) = new ProblemStore(Path.Combine(experiments, "problems")).Add(spec, null);
        Write(problem);
        return problem;
    }
}
