using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Tests.Support;
using Xunit;

namespace SamplerTune.Samplers.Tests.Problems;

public class LogisticRegressionPosteriorTests
{
    private static IPosterior Build(string file, double priorScale = 2.5) =>
        LogisticRegressionPosterior.Family.Build(
            new ProblemParameters("logistic_regression", new Dictionary<string, object> { ["prior_scale"] = priorScale }),
            SyntheticFamilyChecks.LoadData(file));

    private static LogisticRegressionPosterior Make() => (LogisticRegressionPosterior)Build("logistic_small.json");

    [Fact]
    public void ReadsTheDataFile()
    {
        var p = Make();
        Assert.Equal(60, p.DataCount);
        Assert.Equal(4, p.Dimension);
        Assert.Equal(["alpha", "beta[1]", "beta[2]", "beta[3]"], p.ParameterNames);
        Assert.Equal(DataRequirement.Required, LogisticRegressionPosterior.Family.Data);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences() => PosteriorChecks.GradientMatchesFiniteDifferences(Make());

    [Fact]
    public void PriorPlusLikelihoodIsTheFullDensity() => PosteriorChecks.DataDecompositionMatchesFullDensity(Make());

    // The same data through logistic_correlated's path and this family's must give the same density: one shared kernel.
    [Fact]
    public void AgreesWithLogisticCorrelatedOnTheSameData()
    {
        var generated = new LogisticCorrelatedPosterior(150, 4, 0.8, 1.5, 6);
        var fromData = new LogisticRegressionPosterior(generated.Data, 1.5);
        var rng = new Rng(2);
        var x = new double[5];
        for (int j = 0; j < 5; j++) x[j] = rng.NextNormal();
        var g1 = new double[5];
        var g2 = new double[5];
        Assert.Equal(generated.LogDensityAndGradient(x, g1), fromData.LogDensityAndGradient(x, g2));
        Assert.Equal(g1, g2);
    }

    [Fact]
    public void LogDensityMatchesTheModelWrittenOut()
    {
        var p = Make();
        double[] x = [0.2, 0.9, -0.5, 0.1];
        double expected = 0;
        foreach (double c in x) expected += SyntheticFamilyChecks.Normal(c, 2.5);
        for (int i = 0; i < 60; i++)
        {
            double eta = x[0] + p.Data.X[i * 3] * x[1] + p.Data.X[i * 3 + 1] * x[2] + p.Data.X[i * 3 + 2] * x[3];
            expected += p.Data.Y[i] * eta - Math.Log(1 + Math.Exp(eta));
        }
        Assert.Equal(expected, p.LogDensity(x), 1e-10);
    }

    [Theory]
    [InlineData("logistic_y_not_binary.json", "y")]
    [InlineData("regression_missing_y.json", "y")]
    [InlineData("regression_wrong_row_length.json", "X")]
    [InlineData("regression_wrong_row_count.json", "X")]
    [InlineData("hierarchical_small.json", "D")]
    public void InvalidDataFilesNameTheFileAndField(string file, string field) =>
        SyntheticFamilyChecks.FailsNamingFileAndField(() => Build(file), file, field);

    [Fact]
    public void ConstrainShapes() => PosteriorChecks.ConstrainShapes(Make());

    [Fact]
    public void CloneAgreesAndNothingIsAllocated()
    {
        SyntheticFamilyChecks.CloneAgrees(Make());
        SyntheticFamilyChecks.EvaluatesWithoutAllocating(Make());
    }
}
