using System.Text.Json;
using MathNet.Numerics.Distributions;
using SamplerTune.Samplers.Tests.Support;
using Xunit;

namespace SamplerTune.Samplers.Tests.Problems;

/// <summary>
/// Each family's log density against a direct re-implementation of its model.stan written here with MathNet's
/// distributions: Stan's target in the sampled (constrained) parameters plus the log-Jacobian of Stan's
/// transforms. The families drop constants, so the check is on differences between points: the reference
/// posterior mean and reference draws, all mapped to the unconstrained space.
/// </summary>
public class PosteriorDbDensityTests
{
    public static IEnumerable<object[]> Families => PosteriorDbModels.Families;

    [Theory, MemberData(nameof(Families))]
    public void LogDensityDifferencesMatchAnIndependentImplementation(string name)
    {
        var posterior = PosteriorDbModels.Bundled(name);
        var reference = PosteriorDbReference.Load(name);
        using var data = JsonDocument.Parse(File.ReadAllText(Path.Combine(PosteriorDbReference.Folder(name), "data.json")));
        Func<double[], double> target = IndependentTarget(name, data.RootElement);

        var points = new[] { reference.MeanVector(), reference.Draw(3, 500), reference.Draw(7, 42), reference.Draw(9, 999) };
        double baseLp = posterior.LogDensity(PosteriorDbModels.Unconstrain(name, points[0]));
        double baseTarget = target(points[0]);
        foreach (var point in points.Skip(1))
        {
            double lp = posterior.LogDensity(PosteriorDbModels.Unconstrain(name, point));
            double expected = target(point) - baseTarget;
            Assert.Equal(expected, lp - baseLp, 1e-9 * (1 + Math.Abs(baseTarget)));
        }
    }

    /// <summary>log p(params, data) + log-Jacobian, as a function of the reported parameters (in the reference's order).</summary>
    private static Func<double[], double> IndependentTarget(string name, JsonElement data) => name switch
    {
        "eight_schools_noncentered" => c => EightSchools(data, c),
        "kidiq_kidscore_momiq" => c => Kidiq(data, c),
        "sblrc_blr" => c => Sblr(data, c),
        "mesquite_logmesquite" => c => Mesquite(data, c),
        "arK" => c => ArK(data, c),
        "low_dim_gauss_mix" => c => GaussMix(data, c),
        _ => throw new ArgumentException(name),
    };

    private static double[] Vec(JsonElement data, string field) => data.GetProperty(field).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    // theta_trans ~ N(0,1); y ~ N(theta, sigma); mu ~ N(0,5); tau ~ Cauchy(0,5), tau > 0 (Jacobian: log tau).
    private static double EightSchools(JsonElement data, double[] c)
    {
        var y = Vec(data, "y");
        var sigma = Vec(data, "sigma");
        int j = y.Length;
        double mu = c[j], tau = c[j + 1], lp = 0;
        for (int i = 0; i < j; i++)
        {
            double thetaTrans = (c[i] - mu) / tau;
            lp += Normal.PDFLn(0, 1, thetaTrans) + Normal.PDFLn(c[i], sigma[i], y[i]);
        }
        return lp + Normal.PDFLn(0, 5, mu) + Cauchy.PDFLn(0, 5, tau) + Math.Log(tau);
    }

    // kid_score ~ N(beta1 + beta2 mom_iq, sigma); flat beta; sigma ~ Cauchy(0, 2.5), sigma > 0.
    private static double Kidiq(JsonElement data, double[] c)
    {
        var kid = Vec(data, "kid_score");
        var momIq = Vec(data, "mom_iq");
        double sigma = c[2], lp = Cauchy.PDFLn(0, 2.5, sigma) + Math.Log(sigma);
        for (int i = 0; i < kid.Length; i++) lp += Normal.PDFLn(c[0] + c[1] * momIq[i], sigma, kid[i]);
        return lp;
    }

    // beta ~ N(0, 10); sigma ~ N(0, 10), sigma > 0; y ~ N(X beta, sigma).
    private static double Sblr(JsonElement data, double[] c)
    {
        var y = Vec(data, "y");
        var rows = data.GetProperty("X").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
        int d = c.Length - 1;
        double sigma = c[d], lp = Normal.PDFLn(0, 10, sigma) + Math.Log(sigma);
        for (int k = 0; k < d; k++) lp += Normal.PDFLn(0, 10, c[k]);
        for (int i = 0; i < y.Length; i++) lp += Normal.PDFLn(rows[i].Zip(c).Sum(p => p.First * p.Second), sigma, y[i]);
        return lp;
    }

    // log weight ~ N(beta . [1, log diam1, log diam2, log canopy_height, log total_height, log density, group], sigma); flat priors, sigma > 0.
    private static double Mesquite(JsonElement data, double[] c)
    {
        var weight = Vec(data, "weight");
        var diam1 = Vec(data, "diam1");
        var diam2 = Vec(data, "diam2");
        var canopy = Vec(data, "canopy_height");
        var total = Vec(data, "total_height");
        var density = Vec(data, "density");
        var group = Vec(data, "group");
        double sigma = c[7], lp = Math.Log(sigma);
        for (int i = 0; i < weight.Length; i++)
        {
            double mean = c[0] + c[1] * Math.Log(diam1[i]) + c[2] * Math.Log(diam2[i]) + c[3] * Math.Log(canopy[i])
                          + c[4] * Math.Log(total[i]) + c[5] * Math.Log(density[i]) + c[6] * group[i];
            lp += Normal.PDFLn(mean, sigma, Math.Log(weight[i]));
        }
        return lp;
    }

    // alpha, beta ~ N(0, 10); sigma ~ Cauchy(0, 2.5), sigma > 0; y[t] ~ N(alpha + sum_k beta[k] y[t-k], sigma), t = K+1..T.
    private static double ArK(JsonElement data, double[] c)
    {
        int k = data.GetProperty("K").GetInt32();
        var y = Vec(data, "y");
        double alpha = c[0], sigma = c[k + 1];
        double lp = Normal.PDFLn(0, 10, alpha) + Cauchy.PDFLn(0, 2.5, sigma) + Math.Log(sigma);
        for (int i = 1; i <= k; i++) lp += Normal.PDFLn(0, 10, c[i]);
        for (int t = k; t < y.Length; t++)
        {
            double mu = alpha;
            for (int lag = 1; lag <= k; lag++) mu += c[lag] * y[t - lag];
            lp += Normal.PDFLn(mu, sigma, y[t]);
        }
        return lp;
    }

    // sigma ~ N(0, 2), sigma > 0; mu ~ N(0, 2), ordered; theta ~ Beta(5, 5);
    // y ~ theta N(mu1, sigma1) + (1 - theta) N(mu2, sigma2). Jacobians: log(mu2 - mu1), log sigma_k, log theta(1 - theta).
    private static double GaussMix(JsonElement data, double[] c)
    {
        var y = Vec(data, "y");
        double mu1 = c[0], mu2 = c[1], s1 = c[2], s2 = c[3], theta = c[4];
        double lp = Normal.PDFLn(0, 2, s1) + Normal.PDFLn(0, 2, s2) + Normal.PDFLn(0, 2, mu1) + Normal.PDFLn(0, 2, mu2)
                    + Beta.PDFLn(5, 5, theta)
                    + Math.Log(mu2 - mu1) + Math.Log(s1) + Math.Log(s2) + Math.Log(theta * (1 - theta));
        foreach (double v in y)
            lp += Math.Log(theta * Normal.PDF(mu1, s1, v) + (1 - theta) * Normal.PDF(mu2, s2, v));
        return lp;
    }
}
