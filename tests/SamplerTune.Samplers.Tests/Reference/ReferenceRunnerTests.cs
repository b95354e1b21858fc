using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Diagnostics;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Reference;
using SamplerTune.Samplers.Tests.Support;
using Xunit;

namespace SamplerTune.Samplers.Tests.Reference;

/// <summary>
/// Validation of the reference stage (issue 3): NUTS against exact answers and posteriordb's
/// references. Tolerances are the issue's: means within 3 Monte Carlo standard errors, sds within 5%.
/// </summary>
public class ReferenceRunnerTests
{
    private static StoredProblem Problem(string family, params (string Key, string Value)[] fields)
    {
        var root = Path.Combine(Path.GetTempPath(), "samplertune-tests", Guid.NewGuid().ToString("N")[..12]);
        var spec = ProblemSpec.Create(family, fields.ToDictionary(f => f.Key, f => f.Value), null, "test");
        return new ProblemStore(root).Add(spec, null).Problem;
    }

    private static readonly ReferenceSettings Quick = new(MinEss: 2000, MaxSeconds: 120, CheckpointSeconds: 5, ForceNuts: true);

    [Theory]
    [InlineData("gaussian_mean")]
    [InlineData("banana")]
    public void NutsMatchesTheExactMoments(string family)
    {
        var problem = Problem(family);
        var summary = ReferenceRunner.Run(problem, Quick);
        Assert.Equal("nuts", summary.Source);
        Assert.True(summary.Converged, summary.NotConvergedReason);
        var exact = (IExactMoments)problem.Build();
        var draws = DrawsFile.Read(Path.Combine(problem.GroundTruthDirectory, ReferenceSummary.DrawsFileName));
        for (int j = 0; j < summary.ParamNames.Count; j++)
        {
            double mcse = ConvergenceDiagnostics.McseMean(draws.Parameter(j));
            double sd = Math.Sqrt(exact.ExactCovariance[j, j]);
            Assert.True(Math.Abs(summary.Mean[j] - exact.ExactMean[j]) <= 3 * mcse,
                $"{summary.ParamNames[j]}: mean {summary.Mean[j]} vs exact {exact.ExactMean[j]} (MCSE {mcse})");
            Assert.True(Math.Abs(summary.Sd[j] / sd - 1) <= 0.05, $"{summary.ParamNames[j]}: sd {summary.Sd[j]} vs exact {sd}");
        }
    }

    [Fact]
    public void ExactFamiliesGetExactDrawsUnlessNutsIsForced()
    {
        var problem = Problem("banana");
        var summary = ReferenceRunner.Run(problem, new ReferenceSettings(MinEss: 1000));
        Assert.Equal("exact", summary.Source);
        Assert.True(summary.Converged);
        Assert.Equal(0, summary.NGradEvals);
        Assert.Equal(1, summary.Version);
        // Same settings again: nothing to do, same version; a higher target extends it.
        Assert.Equal(1, ReferenceRunner.Run(problem, new ReferenceSettings(MinEss: 1000)).Version);
        Assert.Equal(2, ReferenceRunner.Run(problem, new ReferenceSettings(MinEss: 3000)).Version);
    }

    [Fact]
    public void NutsOnTheFunnelReportsDivergences()
    {
        var problem = Problem("funnel");
        var summary = ReferenceRunner.Run(problem, Quick with { MinEss = 400, MaxDrawsPerChain = 2000 });
        Assert.True(summary.Divergences > 0, "Neal's funnel must produce divergent transitions");
        Assert.Contains(summary.Warnings, w => w.Contains("divergent"));
        var stats = DrawsFile.Read(Path.Combine(problem.GroundTruthDirectory, ReferenceSummary.DrawsFileName)).Stats;
        Assert.Equal(summary.Divergences, (long)stats["divergent__"].Sum(c => c.Sum()));
    }

    [Fact]
    public void NutsOnAWellSeparatedMixtureIsFlaggedByRhat()
    {
        var problem = Problem("gaussian_mixture", ("separation", "12"));
        var summary = ReferenceRunner.Run(problem, Quick with { MinEss = 400, MaxDrawsPerChain = 1500 });
        Assert.False(summary.Converged);
        Assert.True(summary.MaxRhat > 1.1, $"max R-hat {summary.MaxRhat}");
        Assert.Contains("R-hat", summary.NotConvergedReason);
    }

    /// <summary>A reference killed at any point and resumed gives exactly the draws of an uninterrupted run.</summary>
    [Fact]
    public void ResumedRunIsIdenticalToAnUninterruptedOne()
    {
        var settings = Quick with { MinEss = 1500, CheckpointSeconds = 0.01 };
        var straight = Problem("probit_cauchy");
        ReferenceRunner.Run(straight, settings);

        var interrupted = Problem("probit_cauchy");
        using (var cancel = new CancellationTokenSource())
        {
            var progress = new CancelAfterReports(cancel, 2);
            var partial = ReferenceRunner.Run(interrupted, settings, progress, cancel.Token);
            Assert.False(partial.Converged);
        }
        Assert.True(File.Exists(ReferenceChain.JsonPath(Path.Combine(interrupted.GroundTruthDirectory, "chains"), 0)));
        var resumed = ReferenceRunner.Run(interrupted, settings);
        Assert.True(resumed.Converged, resumed.NotConvergedReason);

        var a = DrawsFile.Read(Path.Combine(straight.GroundTruthDirectory, ReferenceSummary.DrawsFileName));
        var b = DrawsFile.Read(Path.Combine(interrupted.GroundTruthDirectory, ReferenceSummary.DrawsFileName));
        Assert.Equal(a.DrawsPerChain, b.DrawsPerChain);
        for (int c = 0; c < a.Chains; c++) Assert.Equal(a.Draws[c], b.Draws[c]);
    }

    private sealed class CancelAfterReports(CancellationTokenSource cancel, int reports) : IProgress<ReferenceProgress>
    {
        private int _seen;
        public void Report(ReferenceProgress value) { if (++_seen >= reports) cancel.Cancel(); }
    }

    public static TheoryData<string> PosteriorDbFamilies() => new(
        ["eight_schools_noncentered", "kidiq_kidscore_momiq", "sblrc_blr", "mesquite_logmesquite", "arK", "low_dim_gauss_mix"]);

    /// <summary>
    /// Each posteriordb posterior against its reference draws (10 chains x 1000, rstan): per parameter,
    /// mean within 3 combined MCSE (ours and the reference's, added in quadrature), sd within 5%.
    /// </summary>
    [Theory]
    [MemberData(nameof(PosteriorDbFamilies))]
    public void NutsMatchesPosteriorDbReferenceDraws(string family)
    {
        var problem = Problem(family);
        var summary = ReferenceRunner.Run(problem, Quick with { MinEss = 2000 });
        Assert.True(summary.Converged, summary.NotConvergedReason);
        var ours = DrawsFile.Read(Path.Combine(problem.GroundTruthDirectory, ReferenceSummary.DrawsFileName));
        var reference = PosteriorDbReference.Load(family);
        Assert.Equal(reference.Names, summary.ParamNames);
        for (int j = 0; j < summary.ParamNames.Count; j++)
        {
            var refDraws = reference.Draws[reference.Names[j]];
            double refMean = ConvergenceDiagnostics.Mean(refDraws), refSd = ConvergenceDiagnostics.Sd(refDraws);
            double mcse = Math.Sqrt(Math.Pow(ConvergenceDiagnostics.McseMean(ours.Parameter(j)), 2) + Math.Pow(ConvergenceDiagnostics.McseMean(refDraws), 2));
            Assert.True(Math.Abs(summary.Mean[j] - refMean) <= 3 * mcse,
                $"{family} {summary.ParamNames[j]}: mean {summary.Mean[j]} vs reference {refMean} (combined MCSE {mcse})");
            Assert.True(Math.Abs(summary.Sd[j] / refSd - 1) <= 0.05, $"{family} {summary.ParamNames[j]}: sd {summary.Sd[j]} vs reference {refSd}");
        }
    }
}
