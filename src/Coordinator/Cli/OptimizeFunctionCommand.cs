using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SamplerTune.Coordinator.Benchmarks;
using SamplerTune.Coordinator.Optimization;

namespace SamplerTune.Coordinator.Cli;

/// <summary>
/// <c>samplertune optimize-function</c>: the optimizer alone on a standard test function, ask-and-tell in batches,
/// reporting the best value and the time spent asking and telling (bench/optuna_compare.py runs Optuna beside it).
/// </summary>
public static class OptimizeFunctionCommand
{
    public static Command Build()
    {
        var function = new Option<string>("--function") { Description = $"test function: {string.Join("|", OptimizerTestFunction.All.Select(f => f.Name))}", Required = true };
        var sampler = new Option<string>("--sampler") { Description = "tpe|gp|random", DefaultValueFactory = _ => "tpe" };
        var trials = new Option<int>("--trials") { Description = "number of trials", DefaultValueFactory = _ => 100 };
        var batch = new Option<int>("--batch") { Description = "trials asked at once (pending until the batch is told)", DefaultValueFactory = _ => 1 };
        var seed = new Option<ulong>("--seed") { Description = "study seed", DefaultValueFactory = _ => 1 };
        var multivariate = new Option<bool>("--multivariate") { Description = "tpe: one joint Parzen estimator instead of one per parameter" };
        var json = new Option<bool>("--json") { Description = "print JSON (with the best-so-far trace)" };
        var cmd = new Command("optimize-function", "run the optimizer alone on a standard test function; print the best value and ask+tell time")
            { function, sampler, trials, batch, seed, multivariate, json };
        cmd.SetAction(p =>
        {
            var f = OptimizerTestFunction.All.FirstOrDefault(x => x.Name == p.GetValue(function))
                ?? throw new UserInputError($"--function: unknown '{p.GetValue(function)}'; known: {string.Join(", ", OptimizerTestFunction.All.Select(x => x.Name))}");
            string samplerName = p.GetValue(sampler)!;
            if (!SamplerCatalog.Names.Contains(samplerName)) throw new UserInputError($"--sampler: unknown '{samplerName}'; known: {string.Join(", ", SamplerCatalog.Names)}");
            int n = p.GetValue(trials), k = p.GetValue(batch);
            if (n < 1) throw new UserInputError("--trials must be at least 1");
            if (k < 1) throw new UserInputError("--batch must be at least 1");

            var space = new SearchSpace(Enumerable.Range(0, f.Dimension).Select(i => new FloatParameter($"x{i}", f.Low[i], f.High[i])));
            var study = new Study(space, SamplerCatalog.Create(samplerName, p.GetValue(multivariate)), p.GetValue(seed));
            var x = new double[f.Dimension];
            var trace = new List<double>(n);
            double best = double.PositiveInfinity;
            var askTime = new Stopwatch();
            var tellTime = new Stopwatch();
            while (study.Trials.Count < n)
            {
                askTime.Start();
                var (asked, _) = study.Ask(Math.Min(k, n - study.Trials.Count));
                askTime.Stop();
                var values = new double[asked.Count];
                for (int i = 0; i < asked.Count; i++)
                {
                    for (int d = 0; d < f.Dimension; d++) x[d] = (double)asked[i].Params[$"x{d}"];
                    values[i] = f.Evaluate(x);
                }
                tellTime.Start();
                for (int i = 0; i < asked.Count; i++) study.Tell(asked[i].Number, values[i]);
                tellTime.Stop();
                foreach (var v in values) { best = Math.Min(best, v); trace.Add(best); }
            }
            double perTrialMs = (askTime.Elapsed + tellTime.Elapsed).TotalMilliseconds / n;
            var bestTrial = study.Best!;
            if (p.GetValue(json))
            {
                var o = new JsonObject
                {
                    ["function"] = f.Name, ["sampler"] = samplerName, ["trials"] = n, ["batch"] = k, ["seed"] = p.GetValue(seed),
                    ["best_value"] = best, ["known_minimum"] = f.Minimum,
                    ["best_params"] = new JsonObject(bestTrial.Params.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create((double)kv.Value)))),
                    ["ask_seconds"] = askTime.Elapsed.TotalSeconds, ["tell_seconds"] = tellTime.Elapsed.TotalSeconds,
                    ["ask_tell_ms_per_trial"] = perTrialMs,
                    ["best_trace"] = new JsonArray(trace.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
                };
                Console.WriteLine(o.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
                return 0;
            }
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine($"{f.Name} ({f.Dimension}-d, minimum {f.Minimum.ToString("G6", inv)}), sampler {samplerName}, {n} trials in batches of {k}, seed {p.GetValue(seed)}");
            Console.WriteLine($"best value  {best.ToString("G8", inv)}  (trial {bestTrial.Number}: {string.Join(", ", bestTrial.Params.Select(kv => $"{kv.Key}={((double)kv.Value).ToString("G6", inv)}"))})");
            Console.WriteLine($"ask {askTime.Elapsed.TotalSeconds.ToString("F3", inv)} s, tell {tellTime.Elapsed.TotalSeconds.ToString("F4", inv)} s, {perTrialMs.ToString("F3", inv)} ms per trial");
            return 0;
        });
        return cmd;
    }
}
