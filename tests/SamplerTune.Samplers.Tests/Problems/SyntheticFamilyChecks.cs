using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;
using Xunit;

namespace SamplerTune.Samplers.Tests.Problems;

/// <summary>Checks shared by the synthetic family tests: exact-sampler moments, allocation, data files.</summary>
public static class SyntheticFamilyChecks
{
    /// <summary>
    /// Draws <paramref name="n"/> independent samples and compares the sample mean and covariance with the
    /// exact ones. Each entry's tolerance is <paramref name="zLimit"/> Monte Carlo standard errors estimated
    /// from the same draws: sd_j / sqrt(n) for a mean, sd((x_j - m_j)(x_k - m_k)) / sqrt(n) for a covariance.
    /// Needs finite fourth moments.
    /// </summary>
    public static void MomentsMatch(Action<Rng, double[]> draw, double[] exactMean, double[,] exactCov, int n = 40_000, ulong seed = 17, double zLimit = 5)
    {
        int d = exactMean.Length;
        var rng = new Rng(seed);
        var draws = new double[n][];
        for (int i = 0; i < n; i++) { draws[i] = new double[d]; draw(rng, draws[i]); }

        var mean = new double[d];
        foreach (var x in draws) for (int j = 0; j < d; j++) mean[j] += x[j] / n;
        for (int j = 0; j < d; j++)
            for (int k = j; k < d; k++)
            {
                double sum = 0, sumSq = 0;
                foreach (var x in draws)
                {
                    double p = (x[j] - mean[j]) * (x[k] - mean[k]);
                    sum += p; sumSq += p * p;
                }
                double cov = sum / n, se = Math.Sqrt(Math.Max(sumSq / n - cov * cov, 0) / n);
                Assert.True(Math.Abs(cov - exactCov[j, k]) <= zLimit * se + 1e-12,
                    $"cov[{j},{k}] sample {cov} vs exact {exactCov[j, k]} (MCSE {se})");
                if (j == k)
                {
                    double seMean = Math.Sqrt(cov / n);
                    Assert.True(Math.Abs(mean[j] - exactMean[j]) <= zLimit * seMean + 1e-12,
                        $"mean[{j}] sample {mean[j]} vs exact {exactMean[j]} (MCSE {seMean})");
                }
            }
    }

    public static void ExactSamplerMatchesExactMoments<T>(T p, int n = 40_000, ulong seed = 17)
        where T : IPosterior, IExactSampler, IExactMoments =>
        MomentsMatch((rng, x) => p.SampleConstrained(rng, x), p.ExactMean, p.ExactCovariance, n, seed);

    /// <summary>After warm-up, evaluating the density and gradient allocates nothing on this thread.</summary>
    public static void EvaluatesWithoutAllocating(IPosterior p)
    {
        var x = new double[p.Dimension];
        var g = new double[p.Dimension];
        var rng = new Rng(5);
        for (int j = 0; j < x.Length; j++) x[j] = 0.3 * rng.NextNormal();
        p.LogDensityAndGradient(x, g);
        p.LogDensity(x);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 20; k++) { p.LogDensityAndGradient(x, g); p.LogDensity(x); }
        if (p is IDataPosterior dp)
        {
            int[] indices = [0, dp.DataCount - 1];
            before = GC.GetAllocatedBytesForCurrentThread();   // the index array above is the test's, not the posterior's
            for (int k = 0; k < 20; k++) { dp.LogPriorAndGradient(x, g); dp.LogLikelihoodAndGradient(x, indices, g); }
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>A clone evaluates to the same density and gradient as the original.</summary>
    public static void CloneAgrees(IPosterior p)
    {
        var c = p.Clone();
        var rng = new Rng(23);
        var x = new double[p.Dimension];
        for (int j = 0; j < x.Length; j++) x[j] = 0.5 * rng.NextNormal();
        var g1 = new double[p.Dimension];
        var g2 = new double[p.Dimension];
        Assert.Equal(p.LogDensityAndGradient(x, g1), c.LogDensityAndGradient(x, g2));
        Assert.Equal(g1, g2);
    }

    public static string DataPath(string name) => Path.Combine(AppContext.BaseDirectory, "data", "regression", name);

    public static DataFile LoadData(string name) => DataFile.Load(DataPath(name));

    /// <summary>The loader fails with a SpecError whose message names the file and the field.</summary>
    public static void FailsNamingFileAndField(Action load, string fileName, string field)
    {
        var e = Assert.Throws<SpecError>(load);
        Assert.Contains(fileName, e.Message);
        Assert.Contains($"'{field}'", e.Message);
    }

    public static double Normal(double x, double sd) => -0.5 * x * x / (sd * sd) - Math.Log(sd) - 0.5 * Math.Log(2 * Math.PI);
}
