using System.Diagnostics;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Diagnostics;
using SamplerTune.Samplers.Mcmc;
using SamplerTune.Samplers.Methods;
using SamplerTune.Samplers.Metrics;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Runs;

namespace SamplerTune.Coordinator.Benchmarks;

/// <summary>
/// <c>bench samplers</c> (issue 4): every registered method at its default hyperparameters, and NUTS, on the
/// ill-conditioned Gaussian (d = 100, condition number 100; reference = exact draws) and on logistic_correlated
/// (N = 1000, D = 25; reference = an inline 4-chain NUTS run). Each gets the same gradient-evaluation budget; reported
/// are the smallest bulk ESS over the coordinates per gradient evaluation (tuning and warm-up included), the wall
/// time and the objective reached. Methods keep every draw here (max_draws raised) so thinning by their bounded
/// draw store does not cap the ESS they are measured by.
/// </summary>
public static class SamplerBenchmark
{
    public sealed record Row(string Problem, string Method, long GradEvals, double Seconds, double EssBulkMin, double EssSquareMin, string Status, double Objective)
    {
        public double EssPerGrad => EssBulkMin / GradEvals;

        /// <summary>ESS of the second moments per gradient: the measure Robnik et al. (2023) compare MCLMC and NUTS by.</summary>
        public double EssSquarePerGrad => EssSquareMin / GradEvals;
    }

    /// <summary>
    /// Smallest bulk ESS over the coordinates, and smallest ESS of x_j^2 (posterior's basic ESS on the squares).
    /// NUTS is antithetic for the mean of a Gaussian (bulk ESS above the draw count), so the second moments
    /// are the fairer comparison of how fast a sampler explores.
    /// </summary>
    public static (double Bulk, double Square) EssMinima(ChainDraws draws)
    {
        double bulk = double.PositiveInfinity, square = double.PositiveInfinity;
        for (int j = 0; j < draws.Parameters; j++)
        {
            var x = draws.Parameter(j);
            bulk = Math.Min(bulk, ConvergenceSummary.Summarize(draws.ParameterNames[j], x).EssBulk);
            var squared = x.Select(c => c.Select(v => v * v).ToArray()).ToArray();
            square = Math.Min(square, ConvergenceDiagnostics.EssBasic(squared));
        }
        return (bulk, square);
    }

    public static IEnumerable<(string Name, IPosterior Posterior, Func<ReferenceDistance> Reference)> Problems()
    {
        var gaussian = new IllConditionedGaussian();
        yield return ("ill_conditioned_gaussian(d=100,k=100)", gaussian, () => ReferenceDistance.FromDraws(ExactDraws(gaussian, 4000)));
        var logistic = ProblemSpec.Create("logistic_correlated", new Dictionary<string, string> { ["n"] = "1000", ["d"] = "25" }, null, "bench").Build(null);
        yield return ("logistic_correlated(N=1000,D=25)", logistic, () => ReferenceDistance.FromDraws(NutsDraws(logistic, chains: 4, draws: 1000, seed: 99).Draws));
    }

    public const int KeptDraws = 60_000;

    public static IEnumerable<Row> Run(long gradEvalsEach, string runsRoot)
    {
        foreach (var (name, posterior, reference) in Problems())
        {
            var distance = reference();
            foreach (var method in SamplingMethods.All)
                yield return RunMethod(name, method, posterior, distance, gradEvalsEach, runsRoot);
            yield return RunNuts(name, posterior, distance, gradEvalsEach);
        }
    }

    private static Row RunMethod(string problem, ISamplingMethod method, IPosterior posterior, ReferenceDistance distance, long gradEvals, string runsRoot)
    {
        var hyperparams = method.HyperparameterSpecs.Any(s => s.Name == "max_draws")
            ? new Dictionary<string, string> { ["max_draws"] = KeptDraws.ToString(System.Globalization.CultureInfo.InvariantCulture) }
            : new Dictionary<string, string>();
        var manifest = RunManifest.Create(method, problem, "bench", hyperparams, seed: 1, budgetSec: 3600, budgetGradEvals: gradEvals, checkpointSec: 1e9,
            objective: distance.Settings);
        var dir = RunDirectory.Under(runsRoot, manifest.Rid);
        if (Directory.Exists(dir.Path)) Directory.Delete(dir.Path, recursive: true); // a benchmark always measures afresh
        var m = MethodRunner.Run(method, manifest, posterior.Clone(), distance, dir).Metrics!;
        var (bulk, square) = File.Exists(dir.Samples) ? EssMinima(DrawsFile.Read(dir.Samples)) : (double.NaN, double.NaN);
        return new Row(problem, method.Name, m.GradEvals, m.RuntimeSec, bulk, square, JsonStatus(m.Status), m.Objective);
    }

    /// <summary>One Stan-default NUTS chain: 1000 warm-up iterations, then sampling until the gradient budget is spent.</summary>
    private static Row RunNuts(string problem, IPosterior posterior, ReferenceDistance distance, long gradEvals)
    {
        var clock = Stopwatch.StartNew();
        var chain = NutsChain.Start(posterior.Clone(), seed: 1, chainIndex: 0);
        long grads = 0;
        var kept = new List<double[]>();
        while (!chain.AdaptationFinished || grads < gradEvals || kept.Count < 100)
        {
            chain.Run(1);
            foreach (var d in chain.TakeDraws())
            {
                grads += d.Info.GradientEvaluations;
                if (!d.Warmup) kept.Add(d.Values);
            }
        }
        double elapsed = clock.Elapsed.TotalSeconds;
        int p = posterior.ParameterNames.Count;
        var draws = new ChainDraws(posterior.ParameterNames, [kept.SelectMany(v => v).ToArray()], new Dictionary<string, IReadOnlyList<double[]>>());
        var (bulk, square) = EssMinima(draws);
        var score = distance.Measure(draws);
        return new Row(problem, "nuts", grads, elapsed, bulk, square, "complete", score.Objective);
    }

    private static ChainDraws ExactDraws(IllConditionedGaussian posterior, int count)
    {
        var rng = new Rng(7);
        int d = posterior.Dimension;
        var draws = new double[count * d];
        for (int i = 0; i < count; i++) posterior.SampleConstrained(rng, draws.AsSpan(i * d, d));
        return new ChainDraws(posterior.ParameterNames, [draws], new Dictionary<string, IReadOnlyList<double[]>>());
    }

    /// <summary>A NUTS reference: <paramref name="chains"/> Stan-default chains in parallel, <paramref name="draws"/> draws each after warm-up.</summary>
    public static (ChainDraws Draws, long GradEvals) NutsDraws(IPosterior posterior, int chains, int draws, ulong seed)
    {
        var perChain = new double[chains][];
        var grads = new long[chains];
        Parallel.For(0, chains, c =>
        {
            var chain = NutsChain.Start(posterior.Clone(), seed, c);
            chain.Run(chain.Settings.Warmup + draws);
            var taken = chain.TakeDraws();
            perChain[c] = taken.SelectMany(d => d.Values).ToArray();
            grads[c] = taken.Sum(d => (long)d.Info.GradientEvaluations);
        });
        return (new ChainDraws(posterior.ParameterNames, perChain, new Dictionary<string, IReadOnlyList<double[]>>()), grads.Sum());
    }

    private static string JsonStatus(RunStatus s) => System.Text.Json.JsonSerializer.Serialize(s, ArtifactJson.Options).Trim('"');
}
