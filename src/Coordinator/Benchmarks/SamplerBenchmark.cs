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
/// (N = 1000, D = 25; reference = an inline 4-chain NUTS run). Each gets the same wall-clock budget; reported are
/// the smallest bulk ESS over the coordinates per gradient evaluation (tuning and warm-up included) and the
/// objective reached in that time.
/// </summary>
public static class SamplerBenchmark
{
    public sealed record Row(string Problem, string Method, long GradEvals, double Seconds, double EssBulkMin, string Status, double Objective)
    {
        public double EssPerGrad => EssBulkMin / GradEvals;
    }

    public static IEnumerable<(string Name, IPosterior Posterior, Func<ReferenceDistance> Reference)> Problems()
    {
        var gaussian = new IllConditionedGaussian();
        yield return ("ill_conditioned_gaussian(d=100,k=100)", gaussian, () => ReferenceDistance.FromDraws(ExactDraws(gaussian, 4000)));
        var logistic = ProblemSpec.Create("logistic_correlated", new Dictionary<string, string> { ["n"] = "1000", ["d"] = "25" }, null, "bench").Build(null);
        yield return ("logistic_correlated(N=1000,D=25)", logistic, () => ReferenceDistance.FromDraws(NutsDraws(logistic, chains: 4, draws: 1000, seed: 99).Draws));
    }

    public static IEnumerable<Row> Run(double secondsEach, string runsRoot)
    {
        foreach (var (name, posterior, reference) in Problems())
        {
            var distance = reference();
            foreach (var method in SamplingMethods.All)
                yield return RunMethod(name, method, posterior, distance, secondsEach, runsRoot);
            yield return RunNuts(name, posterior, distance, secondsEach);
        }
    }

    private static Row RunMethod(string problem, ISamplingMethod method, IPosterior posterior, ReferenceDistance distance, double seconds, string runsRoot)
    {
        var manifest = RunManifest.Create(method, problem, "bench", new Dictionary<string, string>(), seed: 1, budgetSec: seconds, checkpointSec: 1e9,
            objective: distance.Settings);
        var dir = RunDirectory.Under(runsRoot, manifest.Rid);
        if (Directory.Exists(dir.Path)) Directory.Delete(dir.Path, recursive: true); // a benchmark always measures afresh
        var m = MethodRunner.Run(method, manifest, posterior.Clone(), distance, dir).Metrics!;
        return new Row(problem, method.Name, m.GradEvals, m.RuntimeSec, m.Diagnostics.GetValueOrDefault("ess_bulk_min", double.NaN),
            JsonStatus(m.Status), m.Objective);
    }

    /// <summary>One Stan-default NUTS chain: 1000 warm-up iterations, then sampling until the budget is spent.</summary>
    private static Row RunNuts(string problem, IPosterior posterior, ReferenceDistance distance, double seconds)
    {
        var clock = Stopwatch.StartNew();
        var chain = NutsChain.Start(posterior.Clone(), seed: 1, chainIndex: 0);
        long grads = 0;
        var kept = new List<double[]>();
        while (!chain.AdaptationFinished || (clock.Elapsed.TotalSeconds < seconds || kept.Count < 100))
        {
            chain.Run(10);
            foreach (var d in chain.TakeDraws())
            {
                grads += d.Info.GradientEvaluations;
                if (!d.Warmup) kept.Add(d.Values);
            }
        }
        double elapsed = clock.Elapsed.TotalSeconds;
        int p = posterior.ParameterNames.Count;
        var draws = new ChainDraws(posterior.ParameterNames, [kept.SelectMany(v => v).ToArray()], new Dictionary<string, IReadOnlyList<double[]>>());
        double ess = Enumerable.Range(0, p).Select(j => ConvergenceSummary.Summarize(posterior.ParameterNames[j], draws.Parameter(j)).EssBulk).Min();
        var score = distance.Measure(draws);
        return new Row(problem, "nuts", grads, elapsed, ess, "complete", score.Objective);
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
