using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SamplerTune.Samplers.Diagnostics;
using SamplerTune.Samplers.Mcmc;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Problems.PosteriorDb;

namespace SamplerTune.Coordinator.Benchmarks;

/// <summary>
/// NUTS throughput against rstan on the same models and data: both run the same chains, warm-up
/// and draws, chains one after another on one core, compile time excluded; ESS is computed for
/// both with our R-posterior-exact diagnostics, over the parameters both report.
/// </summary>
public static class NutsBenchmark
{
    public sealed record Case(string Name, string Family, IReadOnlyDictionary<string, string> Fields, string StanFile);

    public sealed record Result(string Name, double Seconds, long GradEvals, double MinEssBulk)
    {
        public double GradsPerSecond => GradEvals / Seconds;
        public double EssPerSecond => MinEssBulk / Seconds;
        public double EssPerGrad => MinEssBulk / GradEvals;
    }

    public static IReadOnlyList<Case> Cases { get; } =
    [
        new("eight_schools_noncentered", "eight_schools_noncentered", new Dictionary<string, string>(), "eight_schools_noncentered.stan"),
        new("kidiq_kidscore_momiq", "kidiq_kidscore_momiq", new Dictionary<string, string>(), "kidiq_kidscore_momiq.stan"),
        new("logistic_correlated_1000x25", "logistic_correlated", new Dictionary<string, string> { ["n"] = "1000", ["d"] = "25" }, "logistic_correlated.stan"),
    ];

    public static Result RunOurs(Case c, int chains, int warmup, int draws, ulong seed)
    {
        var posterior = ProblemSpec.Create(c.Family, c.Fields, null, "bench").Build(null);
        var perParameter = posterior.ParameterNames.Select(_ => new double[chains][]).ToArray();
        long grads = 0;
        // Our counterpart of excluding Stan's compile time: let the JIT reach optimized code first.
        NutsChain.Start(posterior.Clone(), seed + 1000, 0, new NutsSettings(Warmup: 300)).Run(600);
        var clock = Stopwatch.StartNew();
        for (int k = 0; k < chains; k++)
        {
            var chain = NutsChain.Start(posterior.Clone(), seed, k, new NutsSettings(Warmup: warmup, SaveWarmup: true));
            chain.Run(warmup + draws);
            var kept = chain.TakeDraws();
            grads += kept.Sum(d => (long)d.Info.GradientEvaluations);
            var sampling = kept.Where(d => !d.Warmup).ToList();
            for (int j = 0; j < perParameter.Length; j++) perParameter[j][k] = sampling.Select(d => d.Values[j]).ToArray();
        }
        double seconds = clock.Elapsed.TotalSeconds;
        double minEss = perParameter.Min(ConvergenceDiagnostics.EssBulk);
        return new Result(c.Name, seconds, grads, minEss);
    }

    /// <summary>rstan on the same case; null (with the reason) when Rscript or rstan is not installed.</summary>
    public static (Result? Result, string? Skipped) RunRstan(Case c, string stanDirectory, string rScript, int chains, int warmup, int draws, ulong seed)
    {
        if (!File.Exists("/usr/bin/Rscript")) return (null, "Rscript not installed (Debian r-cran-rstan)");
        var probe = Run("/usr/bin/Rscript", ["-e", "suppressMessages(library(rstan))"]);
        if (probe.ExitCode != 0) return (null, "R package rstan not installed (Debian r-cran-rstan)");

        var work = Directory.CreateTempSubdirectory("samplertune-bench-nuts-").FullName;
        var dataPath = Path.Combine(work, "data.json");
        File.WriteAllText(dataPath, StanData(c));
        var prefix = Path.Combine(work, "out");
        var r = Run("/usr/bin/Rscript", [rScript, Path.Combine(stanDirectory, c.StanFile), dataPath, $"{chains}", $"{warmup}", $"{draws}", $"{seed % 100000}", prefix]);
        if (r.ExitCode != 0) return (null, $"rstan failed: {r.Stderr.Trim().Split('\n').LastOrDefault()}");
        var timing = JsonNode.Parse(File.ReadAllText(prefix + "_timing.json"))!;
        var table = DrawsTable.ReadFiles([prefix + "_draws.csv"]);
        var ours = ProblemSpec.Create(c.Family, c.Fields, null, "bench").Build(null).ParameterNames;
        var names = table.Variables.ToList();
        double minEss = ours.Min(name => names.IndexOf(name) is var i and >= 0
            ? ConvergenceDiagnostics.EssBulk(table.Chains[i])
            : throw new InvalidDataException($"rstan output lacks {name}"));
        return (new Result(c.Name, timing["seconds"]!.GetValue<double>(), (long)timing["grad_evals"]!.GetValue<double>(), minEss), null);
    }

    /// <summary>The case's data as Stan reads it: the bundled posteriordb file, or our generated regression data.</summary>
    private static string StanData(Case c)
    {
        if (c.Family != "logistic_correlated") return PosteriorDbData.BundledJson(c.Family);
        var p = (LogisticCorrelatedPosterior)ProblemSpec.Create(c.Family, c.Fields, null, "bench").Build(null);
        var d = p.Data;
        var rows = new JsonArray(Enumerable.Range(0, d.N).Select(i => (JsonNode)new JsonArray(d.X.AsSpan(i * d.D, d.D).ToArray().Select(v => (JsonNode)v).ToArray())).ToArray());
        var json = new JsonObject
        {
            ["N"] = d.N, ["D"] = d.D, ["X"] = rows,
            ["y"] = new JsonArray(d.Y.Select(v => (JsonNode)(int)v).ToArray()),
            ["prior_scale"] = double.Parse(c.Fields.GetValueOrDefault("prior_scale", "2.5"), CultureInfo.InvariantCulture),
        };
        return json.ToJsonString();
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, o.Result, e.Result);
    }
}
