using Xunit;
using SamplerTune.Coordinator.Optimization;
using SamplerTune.Samplers.Common;

namespace SamplerTune.Coordinator.Tests.Optimization;

public class TpeInternalsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 1)]
    [InlineData(11, 2)]
    [InlineData(100, 10)]
    [InlineData(249, 25)]
    [InlineData(1000, 25)]
    public void Gamma_is_optunas_default(int n, int expected) => Assert.Equal(expected, Tpe.Gamma(n));

    [Fact]
    public void Weights_are_optunas_default_ramp()
    {
        var w = new double[30];
        ParzenEstimator.DefaultWeights(30, w);
        // numpy.linspace(1/30, 1, 5) then 25 ones
        double[] ramp = [1.0 / 30, 1.0 / 30 + 0.25 * (29.0 / 30), 1.0 / 30 + 0.5 * (29.0 / 30), 1.0 / 30 + 0.75 * (29.0 / 30), 1.0];
        for (int i = 0; i < 5; i++) Assert.Equal(ramp[i], w[i], 12);
        Assert.All(w[5..], v => Assert.Equal(1.0, v));
        var flat = new double[24];
        ParzenEstimator.DefaultWeights(24, flat);
        Assert.All(flat, v => Assert.Equal(1.0, v));
    }

    [Theory]
    [InlineData(-1.0, 2.0)]
    [InlineData(3.0, 9.0)]
    [InlineData(-30.0, -25.0)]
    [InlineData(-0.5, 0.5)]
    public void Truncated_normal_ppf_inverts_the_cdf_and_logpdf_integrates_to_one(double a, double b)
    {
        foreach (double q in new[] { 0.01, 0.3, 0.5, 0.9, 0.999 })
        {
            double x = TruncatedNormal.Ppf(q, a, b);
            Assert.InRange(x, a, b);
            // Phi(x) - Phi(a) = q (Phi(b) - Phi(a)), in log space to survive the far tail.
            double lhs = TruncatedNormal.LogGaussMass(a, x), rhs = Math.Log(q) + TruncatedNormal.LogGaussMass(a, b);
            Assert.Equal(rhs, lhs, 8);
        }
    }

    [Fact]
    public void Log_ndtr_is_accurate_in_both_tails()
    {
        Assert.Equal(Math.Log(0.5), TruncatedNormal.LogNdtr(0), 14);
        Assert.Equal(Math.Log(0.15865525393145705), TruncatedNormal.LogNdtr(-1), 13);
        // References from Python's math.erfc: log Phi(-30) (the asymptotic series), Phi(-20), Phi(7) = 1 - 1.2798e-12.
        Assert.Equal(-454.3212439563431, TruncatedNormal.LogNdtr(-30), 9);
        Assert.Equal(1.0, TruncatedNormal.Ndtr(-20) / 2.7536241186063314e-89, 12);
        Assert.Equal(1.0, TruncatedNormal.LogNdtr(7) / -1.279812543885835e-12, 10);
    }

    [Fact]
    public void Parzen_estimator_samples_follow_its_density()
    {
        var dims = new[] { ParzenEstimator.Dimension.Of(new FloatParameter("x", 0, 10)) };
        var pe = new ParzenEstimator(multivariate: false);
        pe.Fit(dims, [[2.0, 2.5, 8.0]], 3);
        var draws = pe.Sample(new Rng(1), 40_000)[0];
        // P(x < 5) by sampling vs by integrating the density.
        double empirical = draws.Count(d => d < 5) / 40_000.0;
        int m = 5000;
        var grid = Enumerable.Range(0, m).Select(i => (i + 0.5) * 5.0 / m).ToArray();
        double integral = pe.LogPdf([grid]).Sum(Math.Exp) * 5.0 / m;
        double se = Math.Sqrt(integral * (1 - integral) / 40_000);
        Assert.InRange(empirical, integral - 4 * se, integral + 4 * se);
    }

    [Fact]
    public void Categorical_kernel_adds_one_to_the_observed_choice_with_a_prior()
    {
        var dims = new[] { ParzenEstimator.Dimension.Of(new CategoricalParameter("c", ["a", "b", "c"])) };
        var pe = new ParzenEstimator(multivariate: false);
        pe.Fit(dims, [[0.0, 0.0, 1.0]], 3);
        // Optuna: rows of prior_weight/(n+1) = 0.25, +1 at the observation, normalized; equal component weights 1/4.
        double pa = 0.25 * ((1.25 / 1.75) * 2 + 0.25 / 1.75 + 1.0 / 3);
        Assert.Equal(Math.Log(pa), pe.LogPdf([[0.0]])[0], 12);
        Assert.Equal(1.0, pe.LogPdf([[0.0, 1.0, 2.0]]).Sum(Math.Exp), 12);
    }

    [Fact]
    public void A_refitted_estimator_equals_a_fresh_one()
    {
        // TPE refits one estimator per parameter and proposal, reusing its buffers: a longer earlier fit must leave nothing behind.
        var dims = new[]
        {
            ParzenEstimator.Dimension.Of(new FloatParameter("x", 1e-3, 10, Log: true)),
            ParzenEstimator.Dimension.Of(new IntParameter("k", 1, 9)),
            ParzenEstimator.Dimension.Of(new CategoricalParameter("c", ["a", "b", "c"])),
        };
        var rng = new Rng(5);
        double[][] Columns(int n) =>
        [
            Enumerable.Range(0, n).Select(_ => Math.Log(1e-3) + rng.NextDouble() * Math.Log(1e4)).ToArray(),
            Enumerable.Range(0, n).Select(_ => (double)(1 + rng.NextInt(9))).ToArray(),
            Enumerable.Range(0, n).Select(_ => (double)rng.NextInt(3)).ToArray(),
        ];
        foreach (bool multivariate in new[] { false, true })
        {
            var (longer, shorter, points) = (Columns(60), Columns(7), Columns(20));
            var reused = new ParzenEstimator(multivariate);
            reused.Fit(dims, longer, 60);
            reused.Fit(dims, shorter, 7);
            var fresh = new ParzenEstimator(multivariate);
            fresh.Fit(dims, shorter, 7);
            Assert.Equal(fresh.LogPdf(points), reused.LogPdf(points));
            Assert.Equal(fresh.Sample(new Rng(9), 10), reused.Sample(new Rng(9), 10));
        }
    }

    [Fact]
    public void The_whole_mass_shortcut_returns_what_the_formula_rounds_to()
    {
        // Beyond 8.5 standard deviations on both sides, 1 - Phi(a) - Phi(-b) rounds to exactly 1.
        foreach (double a in new[] { -8.5, -9.0, -40.0 })
            foreach (double b in new[] { 8.5, 12.0, 100.0 })
            {
                Assert.Equal(1.0, 1 - TruncatedNormal.Ndtr(a) - TruncatedNormal.Ndtr(-b));
                Assert.Equal(0.0, TruncatedNormal.LogGaussMass(a, b));
            }
        Assert.True(TruncatedNormal.LogGaussMass(-8.0, 8.0) < 0);
    }

    [Fact]
    public void The_split_ranks_like_a_stable_sort_of_the_history()
    {
        var space = new SearchSpace([new FloatParameter("x", 0, 1)]);
        var rng = new Rng(11);
        var states = new[] { TrialState.Complete, TrialState.Complete, TrialState.Complete, TrialState.Pruned, TrialState.Pending, TrialState.Failed };
        var trials = Enumerable.Range(0, 300).Select(i =>
        {
            var state = states[rng.NextInt(states.Length)];
            // Few distinct values, so ties are common and must be broken by trial order.
            double? value = state switch
            {
                TrialState.Complete => rng.NextInt(20) == 0 ? double.NaN : rng.NextInt(30),
                TrialState.Pruned => rng.NextInt(3) == 0 ? null : rng.NextInt(30),
                _ => null,
            };
            return new Trial(i, new Dictionary<string, object> { ["x"] = rng.NextDouble() }, state, value);
        }).ToList();
        var h = EncodedHistory.From(space, trials);
        var split = new ObservationSplit();
        foreach (bool constantLiar in new[] { false, true })
            foreach (int nBelow in new[] { 0, 1, 10, 25 })
            {
                // Optuna's order: (state rank, value), stable; pending rows only with the constant liar.
                var ranked = Enumerable.Range(0, h.Count)
                    .Where(i => constantLiar || h.States[i] != TrialState.Pending)
                    .OrderBy(i => h.States[i] switch { TrialState.Complete => double.NegativeInfinity, TrialState.Pruned => h.Values[i] is null ? 1 : 0, _ => double.PositiveInfinity })
                    .ThenBy(i => h.States[i] == TrialState.Pending || h.Values[i] is not { } v ? (h.States[i] == TrialState.Pruned ? 0 : double.PositiveInfinity) : double.IsNaN(v) ? double.PositiveInfinity : v)
                    .ToList();
                split.Run(h, nBelow, constantLiar);
                Assert.Equal(ranked.Take(nBelow).Order(), split.Below);
                Assert.Equal(ranked.Skip(nBelow).Order(), split.Above);
            }
    }
}
