using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Tests.Support;
using Xunit;

namespace SamplerTune.Samplers.Tests.Problems;

public class HierarchicalPosteriorTests
{
    private static HierarchicalPosterior Generated() => HierarchicalPosterior.Generate(groups: 8, nPerGroup: 5, sigma: 1, dataSeed: 3);
    private static HierarchicalPosterior FromFile() => HierarchicalPosterior.Load(SyntheticFamilyChecks.LoadData("hierarchical_small.json"), defaultSigma: 1);

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        PosteriorChecks.GradientMatchesFiniteDifferences(Generated(), points: 6);
        PosteriorChecks.GradientMatchesFiniteDifferences(FromFile(), points: 6, seed: 2);
    }

    [Fact]
    public void PriorPlusLikelihoodIsTheFullDensity()
    {
        PosteriorChecks.DataDecompositionMatchesFullDensity(Generated());
        PosteriorChecks.DataDecompositionMatchesFullDensity(FromFile());
    }

    // The model written out term by term (per observation, on the constrained scale, plus the log-Jacobian of tau = e^u).
    [Fact]
    public void LogDensityMatchesTheModelWrittenOut()
    {
        var file = SyntheticFamilyChecks.LoadData("hierarchical_small.json");
        var p = HierarchicalPosterior.Load(file, defaultSigma: 1);
        var group = file.IntVector("group", 20, 1, 6);
        var y = file.Vector("y", 20);
        var rng = new Rng(8);
        var x = new double[p.Dimension];
        for (int j = 0; j < x.Length; j++) x[j] = rng.NextNormal();

        double mu = x[0], tau = Math.Exp(x[1]);
        double expected = SyntheticFamilyChecks.Normal(mu, 5)
                          + Math.Log(2 / (Math.PI * 5 * (1 + tau * tau / 25))) + x[1];
        for (int g = 0; g < 6; g++) expected += SyntheticFamilyChecks.Normal(x[2 + g], 1);
        for (int i = 0; i < 20; i++) expected += SyntheticFamilyChecks.Normal(y[i] - (mu + tau * x[1 + group[i]]), 1.5);
        Assert.Equal(expected, p.LogDensity(x), 1e-10);
        Assert.Equal(expected, p.LogDensityAndGradient(x, new double[p.Dimension]), 1e-10);
    }

    [Fact]
    public void FileDataIsReadWithItsSigmaAndAnEmptyGroup()
    {
        var p = FromFile();
        Assert.Equal(6, p.Groups);
        Assert.Equal(20, p.DataCount);
        Assert.Equal(1.5, p.Sigma);
        Assert.Equal(["mu", "tau", "theta[1]", "theta[2]", "theta[3]", "theta[4]", "theta[5]", "theta[6]"], p.ParameterNames);
    }

    [Fact]
    public void ConstrainGivesTauAndThetaWithTheLogJacobianOfTau()
    {
        var p = Generated();
        PosteriorChecks.ConstrainShapes(p);
        var x = new double[p.Dimension];
        x[0] = 0.7; x[1] = -1.2;
        for (int g = 0; g < 8; g++) x[2 + g] = g - 3.5;
        var c = new double[p.ParameterNames.Count];
        p.Constrain(x, c);
        Assert.Equal(0.7, c[0]);
        Assert.Equal(Math.Exp(-1.2), c[1], 15);
        for (int g = 0; g < 8; g++) Assert.Equal(0.7 + Math.Exp(-1.2) * (g - 3.5), c[2 + g], 14);
        Assert.Equal(-1.2, p.LogJacobian(x));
    }

    [Fact]
    public void GeneratedDataIsDeterministicInTheSeed()
    {
        var x = new double[10];
        x[0] = 0.3;
        Assert.Equal(Generated().LogDensity(x), Generated().LogDensity(x));
        Assert.NotEqual(Generated().LogDensity(x), HierarchicalPosterior.Generate(8, 5, 1, dataSeed: 4).LogDensity(x));
    }

    [Fact]
    public void FamilyBuildsFromASeedOrFromAFile()
    {
        var family = HierarchicalPosterior.Family;
        Assert.Equal(DataRequirement.Optional, family.Data);
        var values = family.Fields.ToDictionary(f => f.Name, f => f.Default!);
        var parameters = new ProblemParameters(family.Name, values);
        Assert.Equal(10, family.Build(parameters, null).Dimension);
        Assert.Equal(8, family.Build(parameters, SyntheticFamilyChecks.LoadData("hierarchical_small.json")).Dimension);
    }

    [Theory]
    [InlineData("hierarchical_group_out_of_range.json", "group")]
    [InlineData("hierarchical_group_not_integer.json", "group")]
    [InlineData("regression_missing_y.json", "J")]
    public void InvalidDataFilesNameTheFileAndField(string file, string field) =>
        SyntheticFamilyChecks.FailsNamingFileAndField(() => HierarchicalPosterior.Load(SyntheticFamilyChecks.LoadData(file), 1), file, field);

    [Fact]
    public void NonPositiveSigmaInTheFileIsRejected()
    {
        var data = DataFile.Parse("inline.json", """{"J": 1, "N": 1, "group": [1], "y": [0.5], "sigma": 0}""");
        SyntheticFamilyChecks.FailsNamingFileAndField(() => HierarchicalPosterior.Load(data, 1), "inline.json", "sigma");
    }

    [Fact]
    public void NothingIsAllocated()
    {
        SyntheticFamilyChecks.EvaluatesWithoutAllocating(Generated());
        SyntheticFamilyChecks.CloneAgrees(Generated());
    }
}
