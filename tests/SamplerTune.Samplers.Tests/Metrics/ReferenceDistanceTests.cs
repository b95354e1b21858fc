using System.Text.Json;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Metrics;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Reference;
using Xunit;

namespace SamplerTune.Samplers.Tests.Metrics;

public class ReferenceDistanceTests
{
    private static JsonElement Case() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "metrics", "distance_reference.json"))).RootElement;

    private static double[] Vector(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
    private static double[] Rows(JsonElement e) => e.EnumerateArray().SelectMany(Vector).ToArray();

    private static (ReferenceDistance Distance, ChainDraws Estimate) FromCase(JsonElement c, DistanceSettings settings)
    {
        var names = c.GetProperty("names").EnumerateArray().Select(n => n.GetString()!).ToArray();
        var s = c.GetProperty("summary");
        var reference = new ChainDraws(names, c.GetProperty("reference_chains").EnumerateArray().Select(Rows).ToList(), new Dictionary<string, IReadOnlyList<double[]>>());
        var distance = new ReferenceDistance(names, Vector(s.GetProperty("mean")), Vector(s.GetProperty("sd")),
            s.GetProperty("cov").EnumerateArray().Select(Vector).ToArray(), reference, referenceVersion: 3, settings);
        return (distance, new ChainDraws(names, [Rows(c.GetProperty("estimate"))], new Dictionary<string, IReadOnlyList<double[]>>()));
    }

    /// <summary>Against tests/data/metrics/distance_reference.json, computed with numpy by generate_distance_reference.py.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void FullObjectiveMatchesNumpy(int weightSet)
    {
        var c = Case();
        var w = c.GetProperty("weights")[weightSet];
        var settings = new DistanceSettings(MeanWeight: w.GetProperty("w_mean").GetDouble(), CovWeight: w.GetProperty("w_cov").GetDouble());
        var (distance, estimate) = FromCase(c, settings);

        Assert.Equal(c.GetProperty("bandwidth").GetDouble(), distance.Bandwidth, 1e-12);
        var m = distance.Measure(estimate);
        Assert.False(m.Penalized);
        Assert.Equal(c.GetProperty("mmd").GetDouble(), m.Mmd, 1e-9);
        Assert.Equal(c.GetProperty("mean_error_l2").GetDouble(), m.MeanErrorL2, 1e-9);
        Assert.Equal(c.GetProperty("cov_error_fro").GetDouble(), m.CovErrorFro, 1e-9);
        Assert.Equal(w.GetProperty("objective").GetDouble(), m.Objective, 1e-9);
        Assert.Equal(250, m.NumSamples);
    }

    [Fact]
    public void NoiseFloorIsTheMmdBetweenTheTwoHalvesOfTheReferenceSubsample()
    {
        var (distance, _) = FromCase(Case(), DistanceSettings.Default);
        var points = distance.ReferencePoints.ToArray();
        int dim = 3, half = points.Length / dim / 2;
        Assert.Equal(300, points.Length / dim); // all 300 reference draws, standardized, in a seeded random order
        double expected = Mmd.UnbiasedSquared(points.AsSpan(0, half * dim), half, points.AsSpan(half * dim, half * dim), half, dim, distance.Bandwidth);
        Assert.Equal(expected, distance.NoiseFloor, 15);
        // The halves are a random split, not the two chains in file order.
        var (again, _) = FromCase(Case(), DistanceSettings.Default with { SubsampleSeed = 99 });
        Assert.NotEqual(distance.NoiseFloor, again.NoiseFloor);
        Assert.Equal(distance.Bandwidth, again.Bandwidth, 12); // all points used either way: same median
    }

    private static ChainDraws ExactDraws(GaussianMeanPosterior p, int chains, int perChain, ulong seed)
    {
        var rng = new Rng(seed);
        int dim = p.ParameterNames.Count;
        var draws = new List<double[]>();
        for (int c = 0; c < chains; c++)
        {
            var chain = new double[perChain * dim];
            for (int i = 0; i < perChain; i++) p.SampleConstrained(rng, chain.AsSpan(i * dim, dim));
            draws.Add(chain);
        }
        return new ChainDraws(p.ParameterNames, draws, new Dictionary<string, IReadOnlyList<double[]>>());
    }

    /// <summary>
    /// Independent exact draws score near zero; draws shifted by a quarter sd do not. Bounds for d = 5, 1000 estimate and
    /// 2000 reference draws: the standardized mean error has ||e||^2 ~ (1/1000 + 1/2000) chi^2_5, whose 99.9% quantile
    /// (20.5) gives 0.175; the relative covariance error has expectation about sqrt((2 * 5 + 20) * 0.0015 / 5) = 0.095,
    /// bounded at three times that; the unbiased MMD^2 is centred at 0 with sd of order 1/n, bounded by 5/1000.
    /// </summary>
    [Fact]
    public void ExactDrawsFromTheReferenceScoreNearZeroAndShiftedDrawsDoNot()
    {
        var p = new GaussianMeanPosterior(5, 100, 1.0, 0.0, 10.0, 1);
        var distance = ReferenceDistance.FromDraws(ExactDraws(p, 2, 1000, 11));
        var estimate = ExactDraws(p, 1, 1000, 12);
        var m = distance.Measure(estimate);
        Assert.False(m.Penalized);
        Assert.InRange(m.Mmd, -5.0 / 1000, 5.0 / 1000);
        Assert.InRange(Math.Abs(distance.NoiseFloor), 0, 5.0 / 1000);
        Assert.InRange(m.MeanErrorL2, 0, 0.175);
        Assert.InRange(m.CovErrorFro, 0, 0.28);
        Assert.InRange(m.Objective, -0.005, 0.5 * 0.175 + 0.5 * 0.28 + 0.005);

        double sd = Math.Sqrt(p.ExactCovariance[0, 0]);
        var shifted = estimate with { Draws = [estimate.Draws[0].Select(v => v + 0.25 * sd).ToArray()] };
        var s = distance.Measure(shifted);
        Assert.True(s.Mmd > 3 * 5.0 / 1000, $"shifted MMD^2 {s.Mmd} should stand far above the noise");
        Assert.InRange(s.MeanErrorL2, 0.25 * Math.Sqrt(5) - 0.175, 0.25 * Math.Sqrt(5) + 0.175);
        Assert.True(s.Objective > m.Objective + 0.2, $"shifted objective {s.Objective} vs {m.Objective}");
    }

    [Fact]
    public void SubsamplesBothSidesAboveMaxPoints()
    {
        var p = new GaussianMeanPosterior(3, 100, 1.0, 0.0, 10.0, 2);
        var settings = new DistanceSettings(MaxPoints: 400);
        var distance = ReferenceDistance.FromDraws(ExactDraws(p, 2, 1500, 1), settings: settings);
        Assert.Equal(400 * 3, distance.ReferencePoints.Length);
        var estimate = ExactDraws(p, 1, 3000, 2);
        var m = distance.Measure(estimate);
        Assert.Equal(3000, m.NumSamples);
        Assert.InRange(m.Mmd, -5.0 / 400, 5.0 / 400);
        Assert.Equal(m.Mmd, distance.Measure(estimate).Mmd); // the estimate's subsample is seeded too
    }

    [Fact]
    public void DivergedTooFewOrNonFiniteDrawsGetThePenalty()
    {
        var p = new GaussianMeanPosterior(3, 100, 1.0, 0.0, 10.0, 2);
        var distance = ReferenceDistance.FromDraws(ExactDraws(p, 1, 500, 1), settings: new DistanceSettings(Penalty: 7));
        var good = ExactDraws(p, 1, 500, 2);

        var diverged = distance.Measure(good, "non-finite energy");
        Assert.True(diverged.Penalized);
        Assert.Equal(7, diverged.Objective);
        Assert.Contains("non-finite energy", diverged.PenaltyReason);
        Assert.True(double.IsFinite(diverged.Mmd), "the figures that can be computed are still reported");

        var one = distance.Measure(ExactDraws(p, 1, 1, 3));
        Assert.True(one.Penalized);
        Assert.Equal(7, one.Objective);
        Assert.True(double.IsNaN(one.Mmd));

        var none = distance.Measure(new ChainDraws(p.ParameterNames, [], new Dictionary<string, IReadOnlyList<double[]>>()));
        Assert.Equal(7, none.Objective);
        Assert.Equal(0, none.NumSamples);

        var withInfinity = good with { Draws = [good.Draws[0].Select((v, i) => i == 10 ? double.PositiveInfinity : v).ToArray()] };
        var inf = distance.Measure(withInfinity);
        Assert.True(inf.Penalized);
        Assert.Equal(7, inf.Objective);
        Assert.Contains("non-finite", inf.PenaltyReason);
    }

    [Fact]
    public void LoadsSummaryAndDrawsFromGroundTruth()
    {
        var p = new GaussianMeanPosterior(2, 50, 1.0, 0.0, 10.0, 3);
        var draws = ExactDraws(p, 2, 300, 5);
        var fromDraws = ReferenceDistance.FromDraws(draws, referenceVersion: 4);
        var dir = Path.Combine(Path.GetTempPath(), "samplertune-tests", Guid.NewGuid().ToString("N")[..12], "ground_truth");
        DrawsFile.Write(Path.Combine(dir, ReferenceSummary.DrawsFileName), draws);
        var rows = DrawRows.Pool(draws, out int n);
        var mean = DrawRows.Mean(rows, n, 2);
        var cov = DrawRows.Covariance(rows, n, 2, mean);
        var sd = cov.Select((r, j) => Math.Sqrt(r[j])).ToArray();
        ArtifactJson.Write(ReferenceSummary.PathIn(dir), new ReferenceSummary("pid", "gaussian_mean", "exact", p.ParameterNames, mean, sd, cov,
            [600, 600], [600, 600], [1, 1], 1, 600, 600, 0, 0, 0, true, null, [], 4, 2, 300, 400, 5, DateTimeOffset.UnixEpoch));

        var loaded = ReferenceDistance.Load(dir);
        Assert.Equal(4, loaded.ReferenceVersion);
        Assert.Equal(fromDraws.Bandwidth, loaded.Bandwidth, 12);
        Assert.Equal(fromDraws.NoiseFloor, loaded.NoiseFloor, 12);
        var estimate = ExactDraws(p, 1, 200, 6);
        Assert.Equal(fromDraws.Measure(estimate).Objective, loaded.Measure(estimate).Objective, 12);
    }
}
