using System.Diagnostics;
using System.Globalization;
using System.Text;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Coordinator.Benchmarks;

/// <summary>
/// Log-density + gradient evaluations per second for every family at its defaults, and for
/// logistic_correlated (N=1000, D=25) the ratio to the bound of two bare matrix-vector products
/// of the same size (X beta and X^T r), which is what one evaluation must at least cost.
/// </summary>
public static class GradientBenchmark
{
    public sealed record Row(string Name, int Dimension, double EvalsPerSecond, double BytesPerEval);

    public static IEnumerable<Row> Families(double secondsEach)
    {
        foreach (var family in ProblemFamilies.All)
        {
            var data = family.Data == DataRequirement.Required ? GeneratedRegressionData(family.Name, 1000, 25) : null;
            var spec = ProblemSpec.Create(family.Name, new Dictionary<string, string>(), data is null ? null : data.Source, "bench");
            var posterior = family.Build(spec.Parameters, data);
            yield return Measure(family.Name + (data is null ? "" : " (N=1000, D=25)"), posterior, secondsEach);
        }
    }

    public static (Row Logistic, double MatVecPairsPerSecond) LogisticVersusMatVec(double seconds)
    {
        var spec = ProblemSpec.Create("logistic_correlated", new Dictionary<string, string> { ["n"] = "1000", ["d"] = "25" }, null, "bench");
        var row = Measure("logistic_correlated (N=1000, D=25)", spec.Build(null), seconds);

        const int n = 1000, d = 26; // 25 features + intercept column, the same work as the model's X [1 | features]
        var rng = new Rng(1);
        var x = new double[n * d];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextNormal();
        var beta = new double[d];
        var eta = new double[n];
        var back = new double[d];
        rng.FillNormal(beta);
        double pairs = Rate(() =>
        {
            DenseMath.MatVec(x, n, d, beta, eta);
            DenseMath.MatTVec(x, n, d, eta, back);
            beta[0] += 1e-300 * back[0]; // keep the result alive
        }, seconds);
        return (row, pairs);
    }

    public static Row Measure(string name, IPosterior posterior, double seconds)
    {
        var rng = new Rng(3);
        var point = new double[posterior.Dimension];
        for (int j = 0; j < point.Length; j++) point[j] = 0.1 * rng.NextNormal();
        var grad = new double[posterior.Dimension];
        double sink = 0;
        Action eval = () => sink += posterior.LogDensityAndGradient(point, grad);
        eval();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) eval();
        double bytesPerEval = (GC.GetAllocatedBytesForCurrentThread() - before) / 100.0;
        double rate = Rate(eval, seconds);
        GC.KeepAlive(sink);
        return new Row(name, posterior.Dimension, rate, bytesPerEval);
    }

    private static double Rate(Action work, double seconds)
    {
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < Math.Min(0.2, seconds / 5)) work();
        long count = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            for (int i = 0; i < 16; i++) work();
            count += 16;
        }
        return count / sw.Elapsed.TotalSeconds;
    }

    /// <summary>A regression data file (JSON, as users give it) generated in memory, for families that need one.</summary>
    public static DataFile GeneratedRegressionData(string family, int n, int d)
    {
        var rng = new Rng(2);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{{\"N\": {n}, \"D\": {d}, \"X\": [");
        var beta = new double[d];
        rng.FillNormal(beta);
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            sb.Append(i == 0 ? "[" : ",[");
            double eta = 0.3;
            for (int j = 0; j < d; j++)
            {
                double v = rng.NextNormal();
                eta += 0.3 * beta[j] * v;
                sb.Append(j == 0 ? "" : ",").Append(v.ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append(']');
            y[i] = family == "logistic_regression" ? (rng.NextDouble() < 1 / (1 + Math.Exp(-eta)) ? 1 : 0) : eta + rng.NextNormal();
        }
        sb.Append("], \"y\": [").Append(string.Join(",", y.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append("]}");
        return DataFile.Parse($"generated:{family}", sb.ToString());
    }
}
