using System.Text.Json.Nodes;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Methods;
using SamplerTune.Samplers.Problems;
using Xunit;
using Xunit.Abstractions;

namespace SamplerTune.Samplers.Tests.Methods;

public class AdviTests(ITestOutputHelper output)
{
    private static readonly AdviMethod Method = new();

    private static GaussianMeanPosterior GaussianMean() => new(d: 4, n: 50, noiseSd: 2.0, priorMean: 1.0, priorSd: 3.0, dataSeed: 5);

    private static Hyperparameters Params(params (string Name, string Value)[] given) =>
        Hyperparameters.Create(Method, given.ToDictionary(g => g.Name, g => g.Value));

    private static IMethodRun RunToEnd(IPosterior posterior, Hyperparameters h, ulong seed)
    {
        var run = Method.Start(posterior, h, seed);
        while (!run.Finished) run.Advance(1000);
        return run;
    }

    /// <summary>Per-coordinate mean and covariance of one chain of draws.</summary>
    private static (double[] Mean, double[,] Cov, int N) Moments(IMethodRun run)
    {
        var draws = run.Draws();
        int p = draws.Parameters, n = draws.DrawsPerChain;
        var x = draws.Draws[0];
        var mean = new double[p];
        for (int i = 0; i < n; i++) for (int j = 0; j < p; j++) mean[j] += x[i * p + j] / n;
        var cov = new double[p, p];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < p; a++)
                for (int b = 0; b < p; b++) cov[a, b] += (x[i * p + a] - mean[a]) * (x[i * p + b] - mean[b]) / (n - 1);
        return (mean, cov, n);
    }

    // Tolerances. The draws add Monte Carlo error: 4 standard errors, sd / sqrt(n) for a mean,
    // sqrt(2 / n) relative for a variance, (1 - rho^2) / sqrt(n) for a correlation. And Adam at a
    // constant learning rate leaves q jittering around the optimum: near it the normalized step is
    // lr (signal / sigma_n + unit noise), an Ornstein-Uhlenbeck process whose pull per step is
    // lr * curvature / sigma_n, so its stationary variance is lr * sigma_n / (2 curvature). For mu_j
    // of a Gaussian with sd s and M gradient draws: curvature 1 / s^2, sigma_n = 1 / (s sqrt M), so
    // var(mu_j) / s^2 = lr / (2 s sqrt M). For omega_j (log sd): curvature 2, sigma_n = sqrt(2 / M),
    // var(omega_j) = lr sqrt(2 / M) / 4, and a variance ratio moves by 2 d omega. Over 30 seeds the
    // largest deviations were 2.8 of these sds (0.08 posterior sd, 6% of the variance), so 4 sds.
    private const double Lr = 0.001;
    private const int McSamples = 10;

    private static double MeanJitterInSds(double s) => Math.Sqrt(Lr / (2 * s * Math.Sqrt(McSamples)));
    private static double VarianceRatioJitter => 2 * Math.Sqrt(Lr * Math.Sqrt(2.0 / McSamples) / 4);

    private static (string, string)[] Converging(string family, int iterations = 8000) =>
        [("family", family), ("lr", "0.001"), ("mc_samples", "10"), ("iterations", iterations.ToString()), ("num_draws", "20000")];

    [Theory]
    [InlineData("meanfield")]
    [InlineData("fullrank")]
    public void RecoversTheExactGaussianMeanPosterior(string family)
    {
        var posterior = GaussianMean();
        var run = RunToEnd(posterior, Params(Converging(family)), 11);
        Assert.Null(run.DivergenceReason);
        var (mean, cov, n) = Moments(run);
        for (int j = 0; j < posterior.Dimension; j++)
        {
            double sd = Math.Sqrt(posterior.ExactCovariance[j, j]);
            output.WriteLine($"{family} mu[{j}]: mean {mean[j]} vs {posterior.ExactMean[j]}, variance ratio {cov[j, j] / (sd * sd)}");
            double meanTolerance = 4 / Math.Sqrt(n) + 4 * MeanJitterInSds(sd);
            double varianceTolerance = 4 * Math.Sqrt(2.0 / n) + 4 * VarianceRatioJitter;
            Assert.InRange((mean[j] - posterior.ExactMean[j]) / sd, -meanTolerance, meanTolerance);
            Assert.InRange(cov[j, j] / (sd * sd), 1 - varianceTolerance, 1 + varianceTolerance);
            for (int k = 0; k < j; k++)
                Assert.InRange(cov[j, k] / Math.Sqrt(cov[j, j] * cov[k, k]), -varianceTolerance, varianceTolerance);
        }
    }

    [Fact]
    public void FullrankRecoversCorrelationWhileMeanfieldUnderestimatesMarginalVariance()
    {
        // For a Gaussian target, the meanfield optimum has variance 1 / Lambda_jj = sigma_j^2 (1 - rho^2)
        // (Bishop 2006, PRML §10.1.2): it matches the conditional, not the marginal, spread.
        const double rho = 0.9, shrink = 1 - rho * rho;
        var target = new CorrelatedGaussian(rho, sd0: 1, sd1: 2);
        var full = Moments(RunToEnd(target, Params(Converging("fullrank")), 3));
        var mean = Moments(RunToEnd(target, Params(Converging("meanfield")), 3));
        int n = full.N;
        double fullRho = full.Cov[0, 1] / Math.Sqrt(full.Cov[0, 0] * full.Cov[1, 1]);
        output.WriteLine($"fullrank rho {fullRho}, variances {full.Cov[0, 0]}, {full.Cov[1, 1]}; meanfield variances {mean.Cov[0, 0]}, {mean.Cov[1, 1]}");
        double varianceTolerance = 4 * Math.Sqrt(2.0 / n) + 4 * VarianceRatioJitter;
        // A correlation moves with the variance ratios' jitter scaled by (1 - rho^2) (d rho = (1 - rho^2) d atanh rho).
        Assert.InRange(fullRho, rho - shrink * varianceTolerance, rho + shrink * varianceTolerance);
        Assert.InRange(full.Cov[0, 0] / 1, 1 - varianceTolerance, 1 + varianceTolerance);
        Assert.InRange(full.Cov[1, 1] / 4, 1 - varianceTolerance, 1 + varianceTolerance);
        Assert.InRange(mean.Cov[0, 0] / (1 * shrink), 1 - varianceTolerance, 1 + varianceTolerance);
        Assert.InRange(mean.Cov[1, 1] / (4 * shrink), 1 - varianceTolerance, 1 + varianceTolerance);
        Assert.InRange(mean.Cov[0, 1] / Math.Sqrt(mean.Cov[0, 0] * mean.Cov[1, 1]), -4 / Math.Sqrt(n), 4 / Math.Sqrt(n));
        double[] sds = [1, 2];
        for (int j = 0; j < 2; j++)
        {
            // Meanfield's mu feels the conditional sd; fullrank's mu the marginal one through L: take the smaller.
            double tolerance = sds[j] * (4 / Math.Sqrt(n) + 4 * MeanJitterInSds(sds[j] * Math.Sqrt(shrink)));
            Assert.InRange(full.Mean[j] - target.Mean[j], -tolerance, tolerance);
            Assert.InRange(mean.Mean[j] - target.Mean[j], -tolerance, tolerance);
        }
    }

    [Fact]
    public void KhatIsSmallForAGaussianTargetAndLargeForTheFunnel()
    {
        // k-hat from 100000 draws (a tail of 949): its sd is about (1 + k) / sqrt(949) < 0.07. Over ten
        // seeds the meanfield fit to a 20-d funnel gave k-hat 0.76 to 1.06 with 20000 draws, and the
        // Gaussian target at most 0.22: both thresholds are several sds away.
        var gaussian = RunToEnd(GaussianMean(), Params(("lr", "0.005"), ("mc_samples", "10"), ("iterations", "3000"), ("khat_draws", "100000")), 5);
        var funnel = RunToEnd(new FunnelPosterior(20), Params(("lr", "0.01"), ("mc_samples", "10"), ("iterations", "3000"), ("khat_draws", "100000")), 5);
        double good = gaussian.Diagnostics()["khat"], bad = funnel.Diagnostics()["khat"];
        output.WriteLine($"k-hat gaussian {good}, funnel {bad}");
        Assert.True(good < 0.5, $"k-hat {good} on a Gaussian target");
        Assert.True(bad > 0.7, $"k-hat {bad} on the funnel");
    }

    [Fact]
    public void AHugeLearningRateIsAFlaggedDivergenceNotAnException()
    {
        var run = Method.Start(GaussianMean(), Params(("lr", "1e9")), 2);
        for (int i = 0; i < 100 && !run.Finished; i++) run.Advance(10);
        output.WriteLine(run.DivergenceReason ?? "(none)");
        Assert.True(run.Finished);
        Assert.NotNull(run.DivergenceReason);
        Assert.Equal(1, run.Diagnostics()["diverged"]);
        // The q kept is the last one with a finite ELBO estimate: its draws are finite.
        Assert.All(run.Draws().Draws[0], v => Assert.True(double.IsFinite(v)));
        long evaluations = run.GradientEvaluations;
        run.Advance(100);
        Assert.Equal(evaluations, run.GradientEvaluations);
    }

    [Theory]
    [InlineData("meanfield", "off")]
    [InlineData("fullrank", "cosine")]
    public void CheckpointJsonRoundTripContinuesBitForBit(string family, string anneal)
    {
        var posterior = new CorrelatedGaussian(rho: 0.5, sd0: 1, sd1: 3);
        var h = Params(("family", family), ("kl_anneal", anneal), ("iterations", "2000"), ("eval_every", "50"), ("mc_samples", "2"), ("num_draws", "500"));
        var original = Method.Start(posterior, h, 77);
        original.Advance(1234);   // mid-ramp, mid-trace
        var resumed = Method.Resume(posterior, h, JsonNode.Parse(original.Checkpoint().ToJsonString())!);
        Assert.Equal(original.Checkpoint().ToJsonString(), resumed.Checkpoint().ToJsonString());
        for (int slice = 0; slice < 5; slice++)
        {
            original.Advance(333);
            resumed.Advance(333);
        }
        Assert.Equal(original.GradientEvaluations, resumed.GradientEvaluations);
        Assert.Equal(original.Checkpoint().ToJsonString(), resumed.Checkpoint().ToJsonString());
        Assert.Equal(original.Draws().Draws[0], resumed.Draws().Draws[0]);
        Assert.Equal(original.Diagnostics(), resumed.Diagnostics());
    }

    [Fact]
    public void DrawsAreFromTheCurrentQAndRepeatable()
    {
        var run = Method.Start(GaussianMean(), Params(("num_draws", "300")), 4);
        run.Advance(500);
        var first = run.Draws();
        Assert.Equal(300, first.DrawsPerChain);
        Assert.Equal(first.Draws[0], run.Draws().Draws[0]);
        run.Advance(500);
        Assert.NotEqual(first.Draws[0], run.Draws().Draws[0]);
        var diagnostics = run.Diagnostics();
        Assert.True(diagnostics["elbo_trace_len"] >= 1);
        Assert.True(double.IsFinite(diagnostics["elbo_last"]) && diagnostics["elbo_best"] >= diagnostics["elbo_last"]);
    }

    [Theory]
    [InlineData(200, 3)]   // ELBO at iterations 0, 100, 200
    [InlineData(250, 4)]   // 0, 100, 200 and the final q at 250
    public void TheElboTraceEndsWithTheFinalQ(int iterations, int expectedTraceLength)
    {
        var run = RunToEnd(GaussianMean(), Params(("iterations", iterations.ToString()), ("eval_every", "100"), ("elbo_draws", "10")), 6);
        var diagnostics = run.Diagnostics();
        Assert.Equal(iterations, diagnostics["iterations"]);
        Assert.Equal(expectedTraceLength, diagnostics["elbo_trace_len"]);
        // mc_samples = 1 gradient evaluation per iteration plus 10 per ELBO estimate.
        Assert.Equal(iterations + 10 * expectedTraceLength, run.GradientEvaluations);
    }

    [Theory]
    [InlineData(AdviFamily.MeanField)]
    [InlineData(AdviFamily.FullRank)]
    public void ElboGradientMatchesFiniteDifferences(AdviFamily family)
    {
        // With the same random stream the Monte Carlo ELBO is a smooth function of lambda (common
        // random numbers), and the reparameterization gradient is its exact gradient.
        var posterior = new CorrelatedGaussian(rho: 0.6, sd0: 1.5, sd1: 0.7);
        var kernel = new Advi(posterior, family, mcSamples: 3);
        var rng = new Rng(8);
        var lambda = new double[kernel.ParameterCount];
        for (int i = 0; i < lambda.Length; i++) lambda[i] = 0.5 * rng.NextNormal();
        var gradient = new double[lambda.Length];
        kernel.ElboGradient(lambda, 1, new Rng(99), gradient);
        for (int i = 0; i < lambda.Length; i++)
        {
            double h = 1e-5, saved = lambda[i];
            lambda[i] = saved + h; double up = kernel.EstimateElbo(lambda, 3, new Rng(99));
            lambda[i] = saved - h; double down = kernel.EstimateElbo(lambda, 3, new Rng(99));
            lambda[i] = saved;
            double fd = (up - down) / (2 * h);
            Assert.True(Math.Abs(fd - gradient[i]) <= 1e-6 * (1 + Math.Abs(fd)), $"{family} d/dlambda[{i}]: analytic {gradient[i]} vs finite difference {fd}");
        }
    }

    [Fact]
    public void FullrankCovarianceIsLLTransposeAndLogQMatchesTheGaussianDensity()
    {
        var kernel = new Advi(new CorrelatedGaussian(0.3, 1, 1), AdviFamily.FullRank, 1);
        double[] lambda = [0.5, -1, Math.Log(2), 0.7, Math.Log(0.5)];   // L = [[2, 0], [0.7, 0.5]]
        var cov = kernel.Covariance(lambda);
        Assert.Equal([4, 1.4, 1.4, 0.49 + 0.25], cov, (a, b) => Math.Abs(a - b) < 1e-12);
        var eta = new double[2];
        var z = new double[2];
        kernel.Draw(lambda, new Rng(1), eta, z);
        // Bivariate normal log density of z with mean (0.5, -1) and covariance cov.
        double det = cov[0] * cov[3] - cov[1] * cov[2], r0 = z[0] - 0.5, r1 = z[1] + 1;
        double quad = (cov[3] * r0 * r0 - 2 * cov[1] * r0 * r1 + cov[0] * r1 * r1) / det;
        Assert.Equal(-Math.Log(2 * Math.PI) - 0.5 * Math.Log(det) - 0.5 * quad, kernel.LogQ(lambda, eta), 1e-12);
        Assert.Equal(1 + Math.Log(2 * Math.PI) + 0.5 * Math.Log(det), kernel.Entropy(lambda), 1e-12);
    }

    [Fact]
    public void AnnealingWeightsRampFromZeroToOne()
    {
        foreach (var schedule in new[] { KlAnneal.Sigmoid, KlAnneal.Cosine })
        {
            Assert.Equal(0, Advi.EntropyWeight(schedule, 0, 100), 1e-12);
            Assert.Equal(0.5, Advi.EntropyWeight(schedule, 50, 100), 1e-12);
            Assert.Equal(1, Advi.EntropyWeight(schedule, 100, 100));
            for (int t = 1; t <= 100; t++) Assert.True(Advi.EntropyWeight(schedule, t, 100) > Advi.EntropyWeight(schedule, t - 1, 100));
        }
        Assert.Equal(1, Advi.EntropyWeight(KlAnneal.Off, 0, 100));
    }

    [Fact]
    public void AdamFirstStepMovesEachParameterByTheLearningRate()
    {
        // With bias correction, m_hat = g and v_hat = g^2 after one step: the update is lr * g / (|g| + eps).
        var adam = new Adam(3, 0.1);
        double[] x = [1, 2, 3];
        adam.Ascend(x, [5, -0.2, 1e-3]);
        Assert.Equal([1 + 0.1 * 5 / (5 + 1e-8), 2 - 0.1 * 0.2 / (0.2 + 1e-8), 3 + 0.1 * 1e-3 / (1e-3 + 1e-8)], x, (a, b) => Math.Abs(a - b) < 1e-12);
        var restored = Adam.Restore(0.1, adam.FirstMoment.ToArray(), adam.SecondMoment.ToArray(), adam.Steps);
        double[] y = (double[])x.Clone();
        adam.Ascend(x, [1, 1, 1]);
        restored.Ascend(y, [1, 1, 1]);
        Assert.Equal(x, y);
    }

    [Fact]
    public void UnknownFamilyIsASpecError() =>
        Assert.Throws<SpecError>(() => Params(("family", "lowrank")));

    /// <summary>A 2-d Gaussian with correlation rho and sds (sd0, sd1), mean (1, -2).</summary>
    private sealed class CorrelatedGaussian(double rho, double sd0, double sd1) : IPosterior
    {
        public double[] Mean { get; } = [1, -2];
        public int Dimension => 2;
        public IReadOnlyList<string> ParameterNames { get; } = ["a", "b"];

        public double LogDensityAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
        {
            // Precision of [[s0^2, r s0 s1], [r s0 s1, s1^2]].
            double u = (x[0] - Mean[0]) / sd0, v = (x[1] - Mean[1]) / sd1, c = 1 / (1 - rho * rho);
            gradient[0] = -c * (u - rho * v) / sd0;
            gradient[1] = -c * (v - rho * u) / sd1;
            return -0.5 * c * (u * u - 2 * rho * u * v + v * v);
        }

        public double LogDensity(ReadOnlySpan<double> x) => LogDensityAndGradient(x, stackalloc double[2]);
        public void Constrain(ReadOnlySpan<double> x, Span<double> constrained) => x.CopyTo(constrained);
        public double LogJacobian(ReadOnlySpan<double> x) => 0;
        public IPosterior Clone() => this;
    }
}
