using System.Text.Json;
using System.Text.Json.Nodes;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Methods;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Samplers.Tests.Support;

/// <summary>
/// TEST DOUBLE, not a method under study: random-walk Metropolis (one log-density evaluation per step, counted as
/// one gradient evaluation) implementing the method contract, so the harness can be tested before the real methods
/// land. Extra switches make it misbehave on purpose: <c>diverge_at</c> flags a divergence, <c>fail_at</c> throws,
/// <c>max_evals</c> finishes the run by itself (0 = never).
/// </summary>
public sealed class RandomWalkTestMethod : ISamplingMethod
{
    public string Name => "test_random_walk";
    public string Description => "test double: random-walk Metropolis";

    public IReadOnlyList<HyperparameterSpec> HyperparameterSpecs { get; } =
    [
        new("step_size", HyperparameterKind.Real, 0.5, "proposal sd", 1e-6, 100),
        new("capacity", HyperparameterKind.Int, 1000, "stored draws", 2, 1_000_000),
        new("diverge_at", HyperparameterKind.Int, 0, "flag a divergence after this many evaluations (0 = never)", 0, int.MaxValue),
        new("fail_at", HyperparameterKind.Int, 0, "throw after this many evaluations (0 = never)", 0, int.MaxValue),
        new("max_evals", HyperparameterKind.Int, 0, "finish after this many evaluations (0 = never)", 0, int.MaxValue),
    ];

    public IMethodRun Start(IPosterior posterior, Hyperparameters h, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new double[posterior.Dimension];
        for (int j = 0; j < x.Length; j++) x[j] = 2 * (2 * rng.NextDouble() - 1); // Stan's uniform(-2, 2) start
        return new Run(posterior, h, rng, x, posterior.LogDensity(x), 1, 0, new DrawStore(posterior.ParameterNames.Count, h.Int("capacity")));
    }

    public IMethodRun Resume(IPosterior posterior, Hyperparameters h, JsonNode c)
    {
        var s = c["store"]!;
        var store = DrawStore.Restore(posterior.ParameterNames.Count, h.Int("capacity"), Read<double[]>(s["draws"]), s["count"]!.GetValue<int>(),
            s["offered"]!.GetValue<long>(), s["thin"]!.GetValue<int>());
        return new Run(posterior, h, Rng.FromState(Read<ulong[]>(c["rng"])), Read<double[]>(c["x"]), c["lp"]!.GetValue<double>(),
            c["evals"]!.GetValue<long>(), c["accepted"]!.GetValue<long>(), store);
    }

    private static T Read<T>(JsonNode? node) => node.Deserialize<T>(ArtifactJson.Options)!;

    private sealed class Run(IPosterior posterior, Hyperparameters h, Rng rng, double[] x, double lp, long evals, long accepted, DrawStore store) : IMethodRun
    {
        private readonly double[] _proposal = new double[x.Length];
        private readonly double[] _constrained = new double[posterior.ParameterNames.Count];
        private readonly double _step = h.Real("step_size");
        private readonly int _divergeAt = h.Int("diverge_at"), _failAt = h.Int("fail_at"), _maxEvals = h.Int("max_evals");

        public long GradientEvaluations => evals;
        public bool Finished => DivergenceReason is not null || (_maxEvals > 0 && evals >= _maxEvals);
        public string? DivergenceReason { get; private set; }

        public void Advance(long gradientEvaluations)
        {
            for (long k = 0; k < Math.Max(1, gradientEvaluations) && !Finished; k++)
            {
                if (_failAt > 0 && evals >= _failAt) throw new InvalidOperationException($"test double failing at {evals} evaluations");
                if (_divergeAt > 0 && evals >= _divergeAt) { DivergenceReason = $"test double diverging at {evals} evaluations"; return; }
                for (int j = 0; j < x.Length; j++) _proposal[j] = x[j] + _step * rng.NextNormal();
                double lpNew = posterior.LogDensity(_proposal);
                evals++;
                if (Math.Log(rng.NextOpenDouble()) < lpNew - lp)
                {
                    _proposal.CopyTo(x, 0);
                    lp = lpNew;
                    accepted++;
                }
                posterior.Constrain(x, _constrained);
                store.Add(_constrained);
            }
        }

        public ChainDraws Draws() => store.ToChainDraws(posterior.ParameterNames, burnInFraction: 0.1);

        public IReadOnlyDictionary<string, double> Diagnostics() => new Dictionary<string, double> { ["acceptance_rate"] = (double)accepted / Math.Max(1, evals - 1) };

        public JsonNode Checkpoint()
        {
            var (draws, count, offered, thin) = store.Save();
            return new JsonObject
            {
                ["rng"] = JsonSerializer.SerializeToNode(rng.SaveState(), ArtifactJson.Options),
                ["x"] = JsonSerializer.SerializeToNode(x, ArtifactJson.Options),
                ["lp"] = lp,
                ["evals"] = evals,
                ["accepted"] = accepted,
                ["store"] = new JsonObject
                {
                    ["draws"] = JsonSerializer.SerializeToNode(draws, ArtifactJson.Options),
                    ["count"] = count, ["offered"] = offered, ["thin"] = thin,
                },
            };
        }
    }
}
