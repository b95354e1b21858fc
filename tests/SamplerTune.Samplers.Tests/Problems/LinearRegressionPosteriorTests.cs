using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Tests.Support;
using Xunit;

namespace SamplerTune.Samplers.Tests.Problems;

public class LinearRegressionPosteriorTests
{
    private static IPosterior Build(string file, double priorScale = 2.5) =>
        LinearRegressionPosterior.Family.Build(
            new ProblemParameters("linear_regression", new Dictionary<string, object> { ["prior_scale"] = priorScale }),
            SyntheticFamilyChecks.LoadData(file));

    private static LinearRegressionPosterior Make() => (LinearRegressionPosterior)Build("linear_small.json");

    [Fact]
    public void ReadsTheDataFile()
    {
        var p = Make();
        Assert.Equal(60, p.DataCount);
        Assert.Equal(5, p.Dimension);
        Assert.Equal(["alpha", "beta[1]", "beta[2]", "beta[3]", "sigma"], p.ParameterNames);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        PosteriorChecks.GradientMatchesFiniteDifferences(Make());
        PosteriorChecks.GradientMatchesFiniteDifferences(Make(), points: 3, scale: 3, seed: 13);
    }

    [Fact]
    public void PriorPlusLikelihoodIsTheFullDensity() => PosteriorChecks.DataDecompositionMatchesFullDensity(Make());

    // Normal likelihood, normal priors, half-Cauchy(0, 2.5) on sigma and the log-Jacobian of sigma = e^u.
    [Fact]
    public void LogDensityMatchesTheModelWrittenOut()
    {
        var p = Make();
        var data = SyntheticFamilyChecks.LoadData("linear_small.json");
        var X = data.Matrix("X", 60, 3);
        var y = data.Vector("y", 60);
        double[] x = [0.4, 0.8, -0.6, 0.2, Math.Log(0.9)];
        double sigma = 0.9, expected = Math.Log(sigma);
        for (int j = 0; j < 4; j++) expected += SyntheticFamilyChecks.Normal(x[j], 2.5);
        expected += Math.Log(2 / (Math.PI * 2.5 * (1 + sigma * sigma / 6.25)));
        for (int i = 0; i < 60; i++)
            expected += SyntheticFamilyChecks.Normal(y[i] - (x[0] + X[i * 3] * x[1] + X[i * 3 + 1] * x[2] + X[i * 3 + 2] * x[3]), sigma);
        Assert.Equal(expected, p.LogDensity(x), 1e-10);
        Assert.Equal(expected, p.LogDensityAndGradient(x, new double[5]), 1e-10);
    }

    [Fact]
    public void ConstrainReportsSigmaWithItsLogJacobian()
    {
        var p = Make();
        PosteriorChecks.ConstrainShapes(p);
        double[] x = [0.1, 0.2, 0.3, 0.4, -0.7];
        var c = new double[5];
        p.Constrain(x, c);
        Assert.Equal([0.1, 0.2, 0.3, 0.4], c[..4]);
        Assert.Equal(Math.Exp(-0.7), c[4], 15);
        Assert.Equal(-0.7, p.LogJacobian(x));
    }

    [Fact]
    public void ExtremeLogSigmaKeepsThePriorGradientFinite()
    {
        var p = Make();
        var g = new double[5];
        p.LogPriorAndGradient([0, 0, 0, 0, 400], g);
        Assert.Equal(-1, g[4], 12);
        p.LogPriorAndGradient([0, 0, 0, 0, -400], g);
        Assert.Equal(1, g[4], 12);
    }

    // A real-valued y is fine for linear regression; shape and missing-field errors are not.
    [Fact]
    public void NonBinaryResponseIsAccepted() => Assert.Equal(3, ((IDataPosterior)Build("logistic_y_not_binary.json")).DataCount);

    [Theory]
    [InlineData("regression_missing_y.json", "y")]
    [InlineData("regression_wrong_row_length.json", "X")]
    [InlineData("regression_wrong_row_count.json", "X")]
    public void InvalidDataFilesNameTheFileAndField(string file, string field) =>
        SyntheticFamilyChecks.FailsNamingFileAndField(() => Build(file), file, field);

    [Fact]
    public void CloneAgreesAndNothingIsAllocated()
    {
        SyntheticFamilyChecks.CloneAgrees(Make());
        SyntheticFamilyChecks.EvaluatesWithoutAllocating(Make());
    }
}
