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

    /// <summary>
    /// NUTS against exact moments. The banana is validated at curvature b = 0.01 with target acceptance
    /// 0.99: at the default b = 0.03 (and at 0.8 acceptance even for b = 0.01) NUTS, ours and rstan 2.21
    /// alike, diverges in the curved tails and undersamples them (x1 sd 2-3% low, x2 mean several MCSE
    /// negative, with hundreds of divergences in rstan too; see docs/reference-validation.md). That the
    /// transition itself is exact at b = 0.03 is shown by <see cref="OneNutsTransitionKeepsExactBananaDrawsExact"/>.
    /// </summary>
    [Theory]
    [InlineData("gaussian_mean", "", 0.8)]
    [InlineData("banana", "0.01", 0.99)]
    public void NutsMatchesTheExactMoments(string family, string curvature, double targetAcceptance)
    {
        var problem = curvature == "" ? Problem(family) : Problem(family, ("b", curvature));
        var summary = ReferenceRunner.Run(problem, Quick with { MinEss = 4000, TargetAcceptance = targetAcceptance });
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

    /// <summary>
    /// Detailed balance checked where mixing cannot hide anything: 20,000 exact draws of the default
    /// banana (b = 0.03), each moved by one NUTS transition with a fixed step and metric, must still be
    /// exact draws. Moments of iid draws have MCSE sd / sqrt(n): E[x1^2] = 100 (sd 100 sqrt 2), E[x2] = 0.
    /// </summary>
    [Fact]
    public void OneNutsTransitionKeepsExactBananaDrawsExact()
    {
        var banana = (BananaPosterior)Problem("banana").Build();
        var kernel = new SamplerTune.Samplers.Mcmc.NutsKernel(banana);
        var rng = new SamplerTune.Samplers.Common.Rng(17);
        double[] inverseMetric = [100, 19];
        int n = 20_000;
        double sumX1Sq = 0, sumX2 = 0, moved = 0;
        var draw = new double[2];
        for (int i = 0; i < n; i++)
        {
            banana.SampleConstrained(rng, draw);
            var (next, _) = kernel.Step(rng, kernel.Init(draw), 0.2, inverseMetric);
            sumX1Sq += next.Position[0] * next.Position[0];
            sumX2 += next.Position[1];
            moved += next.Position[0] != draw[0] ? 1 : 0;
        }
        Assert.True(moved > 0.5 * n, $"NUTS moved only {moved} of {n} draws");
        Assert.InRange(sumX1Sq / n, 100 - 4 * 100 * Math.Sqrt(2.0 / n), 100 + 4 * 100 * Math.Sqrt(2.0 / n));
        double sdX2 = Math.Sqrt(1 + 0.03 * 0.03 * 2e4);
        Assert.InRange(sumX2 / n, -4 * sdX2 / Math.Sqrt(n), 4 * sdX2 / Math.Sqrt(n));
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

    /// <summary>
    /// A reference interrupted at an arbitrary moment (here: mid warm-up and mid sampling) and resumed
    /// gives exactly the draws of an uninterrupted run: rows past the last checkpoint are dropped and
    /// regenerated from the checkpointed RNG state.
    /// </summary>
    [Theory]
    [InlineData("warm-up")]
    [InlineData("round 2")]
    public void ResumedRunIsIdenticalToAnUninterruptedOne(string interruptIn)
    {
        var settings = Quick with { MinEss = 4000, CheckpointSeconds = 0.05 };
        var straight = Problem("probit_cauchy");
        var full = ReferenceRunner.Run(straight, settings);
        Assert.True(full.Converged, full.NotConvergedReason);

        var interrupted = Problem("probit_cauchy");
        using (var cancel = new CancellationTokenSource())
        {
            var stop = new StopWhen(cancel, r => interruptIn == "warm-up" ? r.Phase == "warm-up" : r.Round == 2);
            var partial = ReferenceRunner.Run(interrupted, settings, stop, cancel.Token);
            Assert.False(partial.Converged, "the interruption came too late to test anything");
        }
        var chains = Path.Combine(interrupted.GroundTruthDirectory, "chains");
        Assert.True(File.Exists(ReferenceChain.JsonPath(chains, 0)));
        var resumed = ReferenceRunner.Run(interrupted, settings);
        Assert.True(resumed.Converged, resumed.NotConvergedReason);
        Assert.Equal(full.NGradEvals, resumed.NGradEvals);

        var a = DrawsFile.Read(Path.Combine(straight.GroundTruthDirectory, ReferenceSummary.DrawsFileName));
        var b = DrawsFile.Read(Path.Combine(interrupted.GroundTruthDirectory, ReferenceSummary.DrawsFileName));
        Assert.Equal(a.DrawsPerChain, b.DrawsPerChain);
        for (int c = 0; c < a.Chains; c++) Assert.Equal(a.Draws[c], b.Draws[c]);
    }

    private sealed class StopWhen(CancellationTokenSource cancel, Func<ReferenceProgress, bool> condition) : IProgress<ReferenceProgress>
    {
        public void Report(ReferenceProgress value) { if (condition(value)) cancel.Cancel(); }
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
        var summary = ReferenceRunner.Run(problem, Quick with { MinEss = 4000 });
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
