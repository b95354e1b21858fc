using Xunit;
using SamplerTune.Coordinator.Optimization;
using SamplerTune.Samplers.Common;

namespace SamplerTune.Coordinator.Tests.Optimization;

public class SamplerTests
{
    public static readonly TheoryData<string> Samplers = new() { "tpe", "gp", "random" };

    private static readonly SearchSpace Mixed = new(
    [
        new FloatParameter("lr", 1e-5, 1e-1, Log: true),
        new FloatParameter("gamma", 0.3, 1.0),
        new IntParameter("steps", 1, 20),
        new IntParameter("width", 1, 1024, Log: true),
        new CategoricalParameter("batch", [16, 32, 64]),
        new CategoricalParameter("family", ["meanfield", "fullrank"]),
        new FixedParameter("b", 1.0),
    ]);

    // A smooth objective over every parameter type, minimized near lr=1e-3, gamma=0.6, steps=7, width=32, batch=32, fullrank.
    private static double Objective(IReadOnlyDictionary<string, object> p) =>
        Math.Pow(Math.Log10((double)p["lr"]) + 3, 2) + Math.Pow((double)p["gamma"] - 0.6, 2) + Math.Pow(((int)p["steps"] - 7) / 5.0, 2)
        + Math.Pow(Math.Log2((int)p["width"]) - 5, 2) / 10 + ((int)p["batch"] == 32 ? 0 : 0.5) + ((string)p["family"] == "fullrank" ? 0 : 0.3);

    private static Study Run(string sampler, ulong seed, int trials, int batch, SearchSpace? space = null, Func<IReadOnlyDictionary<string, object>, double>? f = null)
    {
        var study = new Study(space ?? Mixed, SamplerCatalog.Create(sampler), seed);
        while (study.Trials.Count < trials)
        {
            var (asked, _) = study.Ask(Math.Min(batch, trials - study.Trials.Count));
            foreach (var t in asked) study.Tell(t.Number, (f ?? Objective)(t.Params));
        }
        return study;
    }

    [Theory, MemberData(nameof(Samplers))]
    public void Same_seed_and_history_give_the_same_batch(string sampler)
    {
        var history = Run(sampler, 7, 14, 3).Trials;
        var a = SamplerCatalog.Create(sampler).Ask(Mixed, history, 4, Study.AskRng(7, history.Count));
        var b = SamplerCatalog.Create(sampler).Ask(Mixed, history.ToList(), 4, Study.AskRng(7, history.Count));
        Assert.Equal(4, a.Proposals.Count);
        for (int i = 0; i < 4; i++) Assert.Equal(a.Proposals[i], b.Proposals[i]);
        var other = SamplerCatalog.Create(sampler).Ask(Mixed, history, 4, Study.AskRng(8, history.Count));
        Assert.NotEqual(Mixed.Key(a.Proposals[0]), Mixed.Key(other.Proposals[0]));
    }

    [Theory, MemberData(nameof(Samplers))]
    public void A_replayed_study_proposes_the_trials_the_live_one_did(string sampler)
    {
        var live = Run(sampler, 3, 16, 2);
        var replay = new Study(Mixed, SamplerCatalog.Create(sampler), 3, live.Trials.Take(12));
        var (asked, _) = replay.Ask(2);
        Assert.Equal(live.Trials[12].Params, asked[0].Params);
        Assert.Equal(live.Trials[13].Params, asked[1].Params);
    }

    [Theory, MemberData(nameof(Samplers))]
    public void Every_parameter_type_is_proposed_in_range_with_its_type(string sampler)
    {
        var study = Run(sampler, 11, 24, 4);
        foreach (var t in study.Trials)
        {
            Assert.InRange((double)t.Params["lr"], 1e-5, 1e-1);
            Assert.InRange((double)t.Params["gamma"], 0.3, 1.0);
            Assert.InRange((int)t.Params["steps"], 1, 20);
            Assert.InRange((int)t.Params["width"], 1, 1024);
            Assert.Contains((int)t.Params["batch"], new[] { 16, 32, 64 });
            Assert.Contains((string)t.Params["family"], new[] { "meanfield", "fullrank" });
            Assert.Equal(1.0, t.Params["b"]);
        }
        // Every categorical choice and both ends of the int range are reachable by the start-up design.
        Assert.Equal(3, study.Trials.Select(t => t.Params["batch"]).Distinct().Count());
    }

    [Theory]
    [InlineData("tpe")]
    [InlineData("gp")]
    public void Model_based_samplers_beat_random_search_on_a_mixed_space(string sampler)
    {
        // Fixed seeds; the margin is large (medians over 5 seeds), so this checks the models learn, not luck.
        double Median(string s) => Enumerable.Range(1, 5).Select(seed => Run(s, (ulong)seed, 60, 1).Best!.Objective!.Value).Order().ElementAt(2);
        Assert.True(Median(sampler) < 0.5 * Median("random"), $"{sampler} {Median(sampler)} vs random {Median("random")}");
    }

    [Theory, MemberData(nameof(Samplers))]
    public void Failed_trials_are_left_out_of_the_model(string sampler)
    {
        var history = Run(sampler, 5, 15, 1).Trials.ToList();
        var withFailure = history.Append(new Trial(15, Mixed.Decode([Math.Log(0.05), 0.99, 20, Math.Log(1000), 0, 0]), TrialState.Failed)).ToList();
        var a = SamplerCatalog.Create(sampler).Ask(Mixed, history, 3, Study.AskRng(5, 99));
        var b = SamplerCatalog.Create(sampler).Ask(Mixed, withFailure, 3, Study.AskRng(5, 99));
        Assert.Equal(a.Proposals.Select(Mixed.Key), b.Proposals.Select(Mixed.Key));
    }

    [Theory]
    [InlineData("tpe")]
    [InlineData("gp")]
    public void Pending_trials_change_the_proposals(string sampler)
    {
        // A trial pending at the very point the sampler would propose must steer the next proposal elsewhere.
        var history = Run(sampler, 9, 15, 1).Trials.ToList();
        var a = SamplerCatalog.Create(sampler).Ask(Mixed, history, 1, Study.AskRng(9, 50));
        var withPending = history.Append(Trial.Pending(15, a.Proposals[0])).ToList();
        var b = SamplerCatalog.Create(sampler).Ask(Mixed, withPending, 1, Study.AskRng(9, 50));
        Assert.NotEqual(Mixed.Key(a.Proposals[0]), Mixed.Key(b.Proposals[0]));
    }

    [Theory]
    [InlineData("tpe")]
    [InlineData("gp")]
    public void A_batch_spreads_out_instead_of_repeating_one_point(string sampler)
    {
        var history = Run(sampler, 4, 20, 1).Trials;
        var batch = SamplerCatalog.Create(sampler).Ask(Mixed, history, 8, Study.AskRng(4, history.Count));
        Assert.Equal(8, batch.Proposals.Select(p => (double)p["lr"]).Distinct().Count());
        Assert.Equal(0, batch.DuplicatesReplaced);
    }

    [Fact]
    public void Tpe_constant_liar_puts_pending_trials_in_the_worse_group()
    {
        // With the liar, a pending trial at the incumbent makes l(x) see fewer good points there; without it, the pending trial is ignored.
        var history = Run("tpe", 2, 20, 1).Trials.ToList();
        var best = history.OrderBy(t => t.Objective).First();
        var withPending = history.Append(Trial.Pending(20, best.Params)).ToList();
        var liar = new Tpe(new TpeOptions(ConstantLiar: true));
        var noLiar = new Tpe(new TpeOptions(ConstantLiar: false));
        Assert.Equal(noLiar.Ask(Mixed, history, 2, Study.AskRng(1, 20)).Proposals.Select(Mixed.Key),
            noLiar.Ask(Mixed, withPending, 2, Study.AskRng(1, 20)).Proposals.Select(Mixed.Key));
        Assert.NotEqual(liar.Ask(Mixed, history, 2, Study.AskRng(1, 20)).Proposals.Select(Mixed.Key),
            liar.Ask(Mixed, withPending, 2, Study.AskRng(1, 20)).Proposals.Select(Mixed.Key));
    }

    [Theory, MemberData(nameof(Samplers))]
    public void An_exhausted_discrete_space_is_reported_not_rerun(string sampler)
    {
        var small = new SearchSpace([new IntParameter("n", 0, 2), new CategoricalParameter("c", ["a", "b"]), new FixedParameter("k", "x")]);
        var study = new Study(small, SamplerCatalog.Create(sampler), 1);
        var keys = new HashSet<string>();
        for (int round = 0; round < 3; round++)
        {
            var (asked, result) = study.Ask(4);
            foreach (var t in asked) { Assert.True(keys.Add(small.Key(t.Params))); study.Tell(t.Number, (int)t.Params["n"]); }
            if (round == 1) Assert.True(result.SpaceExhausted);
        }
        Assert.Equal(6, keys.Count);
        var last = study.Ask(1);
        Assert.Empty(last.Trials);
        Assert.True(last.Result.SpaceExhausted);
    }

    [Fact]
    public void A_failed_configuration_may_be_proposed_again_but_told_ones_are_not()
    {
        var one = new SearchSpace([new CategoricalParameter("c", ["a", "b"])]);
        var history = new List<Trial> { new(0, new Dictionary<string, object> { ["c"] = "a" }, TrialState.Complete, 1.0), new(1, new Dictionary<string, object> { ["c"] = "b" }, TrialState.Failed) };
        var result = new RandomSearch().Ask(one, history, 2, Study.AskRng(1, 2));
        Assert.Equal(["b"], result.Proposals.Select(p => (string)p["c"]));
        Assert.True(result.SpaceExhausted);
    }

    [Fact]
    public void Diverged_runs_with_a_penalty_and_pruned_trials_are_ranked_not_dropped()
    {
        var oneD = new SearchSpace([new FloatParameter("x", 0, 1)]);
        var history = Enumerable.Range(0, 30).Select(i => new Trial(i, new Dictionary<string, object> { ["x"] = i / 30.0 },
            i % 3 == 0 ? TrialState.Pruned : TrialState.Complete, i % 3 == 0 ? null : i > 20 ? 1e6 : Math.Abs(i / 30.0 - 0.25))).ToList();
        var proposals = new Tpe().Ask(oneD, history, 5, Study.AskRng(1, 30)).Proposals.Select(p => (double)p["x"]).ToList();
        // The penalized region x > 0.7 is avoided, the good one near 0.25 is favoured.
        Assert.True(proposals.Count(x => x < 0.6) >= 4, string.Join(", ", proposals));
    }

    [Fact]
    public void Telling_twice_or_an_unknown_trial_is_a_bug()
    {
        var study = new Study(Mixed, new RandomSearch(), 1);
        var (asked, _) = study.Ask(1);
        study.Tell(asked[0].Number, 1);
        Assert.Throws<InvalidOperationException>(() => study.Fail(asked[0].Number));
        Assert.Throws<ArgumentException>(() => study.Tell(5, 1));
    }
}
