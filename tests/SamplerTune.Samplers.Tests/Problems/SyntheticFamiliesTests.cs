using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Tests.Support;
using Xunit;

namespace SamplerTune.Samplers.Tests.Problems;

/// <summary>The registry of synthetic families: order, and every family built from its defaults.</summary>
public class SyntheticFamiliesTests
{
    [Fact]
    public void FamiliesAreRegisteredInOrder() =>
        Assert.Equal(
            ["gaussian_mean", "logistic_correlated", "gaussian_mixture", "funnel", "banana", "hierarchical",
             "probit_cauchy", "logistic_regression", "linear_regression"],
            ProblemFamilies.Synthetic.Select(f => f.Name));

    public static TheoryData<string> Names() => [.. ProblemFamilies.Synthetic.Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void BuildsFromDefaultsWithAValidGradient(string name)
    {
        var family = ProblemFamilies.Synthetic.Single(f => f.Name == name);
        foreach (var field in family.Fields)
        {
            Assert.NotNull(field.Default);
            double value = Convert.ToDouble(field.Default);
            Assert.InRange(value, field.Min, field.Max);
        }
        var parameters = new ProblemParameters(name, family.Fields.ToDictionary(f => f.Name, f => f.Default!));
        DataFile? data = name switch
        {
            "logistic_regression" => SyntheticFamilyChecks.LoadData("logistic_small.json"),
            "linear_regression" => SyntheticFamilyChecks.LoadData("linear_small.json"),
            _ => null,
        };
        var p = family.Build(parameters, data);
        Assert.Equal(p.ParameterNames.Count, p.ParameterNames.Distinct().Count());
        PosteriorChecks.GradientMatchesFiniteDifferences(p, points: 2);
        PosteriorChecks.ConstrainShapes(p);
        if (p is IDataPosterior dp) PosteriorChecks.DataDecompositionMatchesFullDensity(dp);
    }
}
