using System.Text.Json.Nodes;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Samplers.Methods;

/// <summary>
/// <c>vi</c>: ADVI (<see cref="Advi"/>) as a method under study. Its output is <c>num_draws</c>
/// draws from the current q, so a run stopped by the harness at any moment still yields a
/// usable approximation. Its reliability check is the PSIS k-hat of log p - log q over draws
/// from q (<see cref="Psis"/>, Yao et al. 2018).
/// </summary>
public sealed class AdviMethod : ISamplingMethod
{
    /// <summary>Independent random streams of one run, all derived from the run seed.</summary>
    private const ulong OptimizationStream = 0, DrawStream = 1, KhatStream = 2;
    private const int ElboWindow = 10;

    public string Name => "vi";

    public string Description => "ADVI (Kucukelbir et al. 2017): Gaussian q on the unconstrained space fitted by Adam on reparameterization ELBO gradients; outputs draws from q and reports PSIS k-hat";

    public IReadOnlyList<HyperparameterSpec> HyperparameterSpecs { get; } =
    [
        new("lr", HyperparameterKind.Real, 0.01, "Adam learning rate (beta1 0.9, beta2 0.999, eps 1e-8)", 1e-10, 1e10),
        new("mc_samples", HyperparameterKind.Int, 1, "draws from q per ELBO gradient estimate (Stan's grad_samples); each costs one gradient evaluation", 1, 100_000),
        new("family", HyperparameterKind.Categorical, "meanfield", "meanfield: diagonal Gaussian; fullrank: Gaussian with a Cholesky factor (O(d^2) per draw)", Choices: ["meanfield", "fullrank"]),
        new("kl_anneal", HyperparameterKind.Categorical, "off", "ramp of the entropy (KL) weight from 0 to 1 over the first anneal_fraction of iterations: off, sigmoid or cosine", Choices: ["off", "sigmoid", "cosine"]),
        new("anneal_fraction", HyperparameterKind.Real, 0.25, "fraction of `iterations` (not of the budget, which the method does not see) over which kl_anneal ramps; a run stopped during the ramp has an under-dispersed q", 1e-6, 1),
        new("iterations", HyperparameterKind.Int, 10_000, "maximum number of Adam steps; the budget usually stops the run earlier", 1, int.MaxValue),
        new("num_draws", HyperparameterKind.Int, 4000, "draws from q returned as the method's output", 1, 1_000_000),
        new("elbo_draws", HyperparameterKind.Int, 100, "draws of the ELBO estimate recorded every eval_every iterations (Stan's elbo_samples); each counts as one gradient evaluation", 1, 1_000_000),
        new("eval_every", HyperparameterKind.Int, 100, "iterations between ELBO estimates (Stan's eval_elbo)", 1, int.MaxValue),
        new("init_radius", HyperparameterKind.Real, 2.0, "initial mu ~ uniform(-r, r) per coordinate as Stan's random inits (0: start at the origin); scale starts at 1 (omega = 0, L = I)", 0, 1e6),
        new("khat_draws", HyperparameterKind.Int, 1000, "draws from q for the PSIS k-hat diagnostic (not counted as gradient evaluations: diagnostics only)", 100, 10_000_000),
    ];

    public IMethodRun Start(IPosterior posterior, Hyperparameters hyperparameters, ulong seed)
    {
        var settings = Settings.From(hyperparameters);
        var rng = Rng.ForStream(seed, OptimizationStream);
        var kernel = new Advi(posterior, settings.Family, settings.McSamples);
        return new Run(posterior, settings, seed, kernel, kernel.Init(settings.LearningRate, settings.InitRadius, rng), rng);
    }

    public IMethodRun Resume(IPosterior posterior, Hyperparameters hyperparameters, JsonNode checkpoint)
    {
        var settings = Settings.From(hyperparameters);
        var kernel = new Advi(posterior, settings.Family, settings.McSamples);
        if ((string?)checkpoint["method"] != "vi" || (string?)checkpoint["family"] != hyperparameters.Text("family"))
            throw new InvalidDataException($"checkpoint is not a vi/{hyperparameters.Text("family")} checkpoint");
        var parameters = Doubles(checkpoint["parameters"]);
        if (parameters.Length != kernel.ParameterCount)
            throw new InvalidDataException($"vi checkpoint has {parameters.Length} variational parameters, the posterior needs {kernel.ParameterCount}");
        var adam = checkpoint["adam"]!;
        var optimizer = Adam.Restore(settings.LearningRate, Doubles(adam["first_moment"]), Doubles(adam["second_moment"]), (long)adam["steps"]!);
        var state = new AdviState(parameters, Doubles(checkpoint["last_good"]), optimizer, (long)checkpoint["iteration"]!);
        var rng = Rng.FromState(checkpoint["rng"]!.AsArray().Select(n => (ulong)n!).ToArray());
        var elbo = checkpoint["elbo"]!;
        var run = new Run(posterior, settings, (ulong)checkpoint["seed"]!, kernel, state, rng)
        {
            GradientEvaluations = (long)checkpoint["gradient_evaluations"]!,
            DivergenceReason = (string?)checkpoint["divergence_reason"],
        };
        run.RestoreElboTrace((long)elbo["evaluations"]!, (long)elbo["last_iteration"]!, (double?)elbo["best"], Doubles(elbo["window"]));
        return run;
    }

    private static double[] Doubles(JsonNode? node) => node!.AsArray().Select(n => (double)n!).ToArray();

    private static JsonArray JsonDoubles(ReadOnlySpan<double> values)
    {
        var array = new JsonArray();
        foreach (double v in values) array.Add(v);
        return array;
    }

    private sealed record Settings(
        double LearningRate, int McSamples, AdviFamily Family, KlAnneal Anneal, long RampIterations,
        long Iterations, int NumDraws, int ElboDraws, int EvalEvery, double InitRadius, int KhatDraws)
    {
        public static Settings From(Hyperparameters h)
        {
            long iterations = h.Int("iterations");
            return new Settings(
                h.Real("lr"), h.Int("mc_samples"),
                h.Text("family") == "fullrank" ? AdviFamily.FullRank : AdviFamily.MeanField,
                h.Text("kl_anneal") switch { "sigmoid" => KlAnneal.Sigmoid, "cosine" => KlAnneal.Cosine, _ => KlAnneal.Off },
                Math.Max(1, (long)Math.Ceiling(h.Real("anneal_fraction") * iterations)),
                iterations, h.Int("num_draws"), h.Int("elbo_draws"), h.Int("eval_every"), h.Real("init_radius"), h.Int("khat_draws"));
        }
    }

    private sealed class Run(IPosterior posterior, Settings settings, ulong seed, Advi kernel, AdviState state, Rng rng) : IMethodRun
    {
        private readonly Queue<double> _elboWindow = new();
        private long _elboEvaluations, _elboIteration = -1;
        private double _elboBest = double.NegativeInfinity;
        private (long Iteration, string? Reason, double Value)? _khat;

        public long GradientEvaluations { get; set; }
        public string? DivergenceReason { get; set; }
        public bool Finished => DivergenceReason is not null || state.Iteration >= settings.Iterations;

        public void Advance(long gradientEvaluations)
        {
            if (Finished) return;
            long target = GradientEvaluations + Math.Min(Math.Max(1, gradientEvaluations), long.MaxValue - GradientEvaluations);
            do
            {
                if (state.Iteration % settings.EvalEvery == 0 && _elboIteration != state.Iteration && !RecordElbo()) return;
                var info = kernel.Step(state, Advi.EntropyWeight(settings.Anneal, state.Iteration, settings.RampIterations), rng);
                GradientEvaluations += info.GradientEvaluations;
                if (info.Diverged) { DivergenceReason = info.DivergenceReason; return; }
            } while (!Finished && GradientEvaluations < target);
            // The last trace value should describe the q the run ends with.
            if (state.Iteration >= settings.Iterations && _elboIteration != state.Iteration) RecordElbo();
        }

        /// <summary>Adds an ELBO estimate at the current q to the trace; a non-finite one ends the run at the last good q.</summary>
        private bool RecordElbo()
        {
            double elbo = kernel.EstimateElbo(state.Parameters, settings.ElboDraws, rng);
            GradientEvaluations += settings.ElboDraws;
            if (!double.IsFinite(elbo))
            {
                state.RevertToLastGood();
                DivergenceReason = $"non-finite ELBO estimate ({settings.ElboDraws} draws) at iteration {state.Iteration}";
                return false;
            }
            _elboEvaluations++;
            _elboIteration = state.Iteration;
            _elboBest = Math.Max(_elboBest, elbo);
            _elboWindow.Enqueue(elbo);
            if (_elboWindow.Count > ElboWindow) _elboWindow.Dequeue();
            return true;
        }

        public void RestoreElboTrace(long evaluations, long lastIteration, double? best, double[] window)
        {
            _elboEvaluations = evaluations;
            _elboIteration = lastIteration;
            _elboBest = best ?? double.NegativeInfinity;
            foreach (double v in window) _elboWindow.Enqueue(v);
        }

        /// <summary><c>num_draws</c> draws from the current q, from a fresh stream of the run seed: the same state gives the same draws.</summary>
        public ChainDraws Draws()
        {
            var drawRng = Rng.ForStream(seed, DrawStream);
            int p = posterior.ParameterNames.Count;
            var eta = new double[kernel.Dimension];
            var z = new double[kernel.Dimension];
            var draws = new double[(long)settings.NumDraws * p];
            for (int i = 0; i < settings.NumDraws; i++)
            {
                kernel.Draw(state.Parameters, drawRng, eta, z);
                posterior.Constrain(z, draws.AsSpan(i * p, p));
            }
            return new ChainDraws(posterior.ParameterNames, [draws], new Dictionary<string, IReadOnlyList<double[]>>());
        }

        public IReadOnlyDictionary<string, double> Diagnostics()
        {
            double last = _elboWindow.Count > 0 ? _elboWindow.Last() : double.NaN;
            double first = _elboWindow.Count > 1 ? _elboWindow.Peek() : double.NaN;
            return new Dictionary<string, double>
            {
                ["iterations"] = state.Iteration,
                ["elbo_last"] = last,
                ["elbo_best"] = _elboEvaluations > 0 ? _elboBest : double.NaN,
                ["elbo_trace_len"] = _elboEvaluations,
                // Relative change across the last (up to) ten trace values: Stan's convergence measure, over a window.
                ["elbo_rel_change"] = Math.Abs(last - first) / Math.Abs(last),
                ["entropy_weight"] = Advi.EntropyWeight(settings.Anneal, state.Iteration, settings.RampIterations),
                ["khat"] = ParetoKhat(),
                ["khat_draws"] = settings.KhatDraws,
                ["diverged"] = DivergenceReason is null ? 0 : 1,
            };
        }

        /// <summary>PSIS k-hat of log p(z) - log q(z) at khat_draws fresh draws from q, cached per state.</summary>
        private double ParetoKhat()
        {
            if (_khat is { } cached && cached.Iteration == state.Iteration && cached.Reason == DivergenceReason) return cached.Value;
            var khatRng = Rng.ForStream(seed, KhatStream);
            var eta = new double[kernel.Dimension];
            var z = new double[kernel.Dimension];
            var logRatios = new double[settings.KhatDraws];
            for (int s = 0; s < logRatios.Length; s++)
            {
                kernel.Draw(state.Parameters, khatRng, eta, z);
                logRatios[s] = posterior.LogDensity(z) - kernel.LogQ(state.Parameters, eta);
            }
            double khat = Psis.ParetoK(logRatios);
            _khat = (state.Iteration, DivergenceReason, khat);
            return khat;
        }

        public JsonNode Checkpoint() => new JsonObject
        {
            ["method"] = "vi",
            ["family"] = settings.Family == AdviFamily.FullRank ? "fullrank" : "meanfield",
            ["seed"] = seed,
            ["iteration"] = state.Iteration,
            ["gradient_evaluations"] = GradientEvaluations,
            ["divergence_reason"] = DivergenceReason,
            ["parameters"] = JsonDoubles(state.Parameters),
            ["last_good"] = JsonDoubles(state.LastGood),
            ["adam"] = new JsonObject
            {
                ["steps"] = state.Optimizer.Steps,
                ["first_moment"] = JsonDoubles(state.Optimizer.FirstMoment),
                ["second_moment"] = JsonDoubles(state.Optimizer.SecondMoment),
            },
            ["rng"] = new JsonArray(rng.SaveState().Select(w => (JsonNode)w).ToArray()),
            ["elbo"] = new JsonObject
            {
                ["evaluations"] = _elboEvaluations,
                ["last_iteration"] = _elboIteration,
                ["best"] = _elboEvaluations > 0 ? _elboBest : null,
                ["window"] = JsonDoubles(_elboWindow.ToArray()),
            },
        };
    }
}
