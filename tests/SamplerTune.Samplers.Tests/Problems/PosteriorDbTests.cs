using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Problems;
using SamplerTune.Samplers.Problems.PosteriorDb;
using SamplerTune.Samplers.Tests.Support;
using Xunit;

namespace SamplerTune.Samplers.Tests.Problems;

/// <summary>Contract checks of the six posteriordb families: gradients, data decomposition, transforms, names, data loading.</summary>
public class PosteriorDbTests
{
    public static IEnumerable<object[]> Families => PosteriorDbModels.Families;

    private static double[] ReferenceMeanUnconstrained(string name) =>
        PosteriorDbModels.Unconstrain(name, PosteriorDbReference.Load(name).MeanVector());

    [Theory, MemberData(nameof(Families))]
    public void GradientMatchesFiniteDifferencesAroundTheOrigin(string name) =>
        PosteriorChecks.GradientMatchesFiniteDifferences(PosteriorDbModels.Bundled(name));

    [Theory, MemberData(nameof(Families))]
    public void GradientMatchesFiniteDifferencesAroundThePosteriorMean(string name) =>
        PosteriorChecks.GradientMatchesFiniteDifferences(
            new ShiftedPosterior(PosteriorDbModels.Bundled(name), ReferenceMeanUnconstrained(name)), scale: 0.3, seed: 17);

    [Theory, MemberData(nameof(Families))]
    public void PriorPlusLikelihoodIsTheFullDensity(string name)
    {
        PosteriorChecks.DataDecompositionMatchesFullDensity(PosteriorDbModels.Bundled(name));
        PosteriorChecks.DataDecompositionMatchesFullDensity(
            new ShiftedPosterior(PosteriorDbModels.Bundled(name), ReferenceMeanUnconstrained(name)), scale: 0.3);
    }

    [Theory]
    [InlineData("eight_schools_noncentered", 8)]
    [InlineData("kidiq_kidscore_momiq", 434)]
    [InlineData("sblrc_blr", 100)]
    [InlineData("mesquite_logmesquite", 46)]
    [InlineData("arK", 195)] // T - K = 200 - 5 likelihood terms
    [InlineData("low_dim_gauss_mix", 1000)]
    public void DataCountIsTheNumberOfLikelihoodTerms(string name, int expected) =>
        Assert.Equal(expected, PosteriorDbModels.Bundled(name).DataCount);

    [Theory, MemberData(nameof(Families))]
    public void ConstrainShapes(string name) => PosteriorChecks.ConstrainShapes(PosteriorDbModels.Bundled(name));

    [Theory, MemberData(nameof(Families))]
    public void ParameterNamesAreTheReferenceDrawNamesInOrder(string name)
    {
        var p = PosteriorDbModels.Bundled(name);
        var reference = PosteriorDbReference.Load(name);
        Assert.Equal(reference.Names, p.ParameterNames);
        Assert.Equal(reference.Names.Count, p.Dimension); // every model here reports as many values as it samples
    }

    /// <summary>Constrain inverts Stan's unconstraining transform at every reference draw checked.</summary>
    [Theory, MemberData(nameof(Families))]
    public void ConstrainInvertsStansUnconstrainingTransform(string name)
    {
        var p = PosteriorDbModels.Bundled(name);
        var reference = PosteriorDbReference.Load(name);
        var c = new double[p.ParameterNames.Count];
        foreach (var (chain, draw) in new[] { (0, 0), (3, 500), (9, 999) })
        {
            var expected = reference.Draw(chain, draw);
            p.Constrain(PosteriorDbModels.Unconstrain(name, expected), c);
            for (int j = 0; j < c.Length; j++)
                Assert.Equal(expected[j], c[j], 1e-10 * (1 + Math.Abs(expected[j])));
        }
    }

    /// <summary>LogJacobian equals log |det| of a central finite-difference Jacobian of Constrain at random points.</summary>
    [Theory, MemberData(nameof(Families))]
    public void LogJacobianMatchesFiniteDifferenceDeterminant(string name)
    {
        var p = PosteriorDbModels.Bundled(name);
        int d = p.Dimension;
        var rng = new Rng(23);
        var x = new double[d];
        var up = new double[d];
        var down = new double[d];
        var tmp = new double[d];
        for (int k = 0; k < 4; k++)
        {
            for (int j = 0; j < d; j++) x[j] = rng.NextNormal();
            var jacobian = Matrix<double>.Build.Dense(d, d);
            for (int j = 0; j < d; j++)
            {
                double h = 1e-6 * (1 + Math.Abs(x[j]));
                x.CopyTo(tmp, 0);
                tmp[j] = x[j] + h; p.Constrain(tmp, up);
                tmp[j] = x[j] - h; p.Constrain(tmp, down);
                for (int i = 0; i < d; i++) jacobian[i, j] = (up[i] - down[i]) / (2 * h);
            }
            double expected = Math.Log(Math.Abs(jacobian.Determinant()));
            Assert.Equal(expected, p.LogJacobian(x), 1e-6 * (1 + Math.Abs(expected)));
        }
    }

    /// <summary>Evaluations run on preallocated state only: no managed allocation per call (after a warm-up call).</summary>
    [Theory, MemberData(nameof(Families))]
    public void EvaluationsDoNotAllocate(string name)
    {
        var p = PosteriorDbModels.Bundled(name);
        var x = ReferenceMeanUnconstrained(name);
        var g = new double[p.Dimension];
        var c = new double[p.ParameterNames.Count];
        var batch = Enumerable.Range(0, Math.Min(10, p.DataCount)).ToArray();
        void EvaluateAll()
        {
            p.LogDensityAndGradient(x, g);
            p.LogDensity(x);
            p.LogPriorAndGradient(x, g);
            p.LogLikelihoodAndGradient(x, batch, g);
            p.Constrain(x, c);
            p.LogJacobian(x);
        }
        EvaluateAll();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 20; k++) EvaluateAll();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void RegistryListsTheSixFamiliesWithOptionalData()
    {
        Assert.Equal(PosteriorDbModels.FamilyNames, ProblemFamilies.PosteriorDb.Select(f => f.Name));
        foreach (string name in PosteriorDbModels.FamilyNames)
        {
            Assert.Same(PosteriorDbModels.Family(name), ProblemFamilies.Find(name));
            Assert.Equal(DataRequirement.Optional, PosteriorDbModels.Family(name).Data);
        }
        Assert.Equal(PosteriorDbModels.FamilyNames.Order(StringComparer.Ordinal), PosteriorDbData.BundledNames().Order(StringComparer.Ordinal));
    }

    /// <summary>The bundled data is the posteriordb data: the family built without a file equals the one built from the copied data.json.</summary>
    [Theory, MemberData(nameof(Families))]
    public void BundledDataEqualsThePosteriorDbDataFile(string name)
    {
        var bundled = PosteriorDbModels.Bundled(name);
        var fromFile = PosteriorDbModels.FromFile(name, Path.Combine(PosteriorDbReference.Folder(name), "data.json"));
        Assert.Equal(fromFile.DataCount, bundled.DataCount);
        var x = ReferenceMeanUnconstrained(name);
        Assert.Equal(fromFile.LogDensity(x), bundled.LogDensity(x));
        var c1 = bundled.Clone();
        Assert.NotSame(bundled, c1);
        Assert.Equal(bundled.LogDensity(x), c1.LogDensity(x));
    }

    [Theory]
    [InlineData("eight_schools_noncentered", "sigma")]
    [InlineData("kidiq_kidscore_momiq", "mom_iq")]
    [InlineData("sblrc_blr", "y")]
    [InlineData("sblrc_blr", "X")]
    [InlineData("mesquite_logmesquite", "diam2")]
    [InlineData("arK", "y")]
    [InlineData("low_dim_gauss_mix", "y")]
    public void WrongLengthArrayIsASpecErrorNamingFileAndField(string name, string field)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(PosteriorDbReference.Folder(name), "data.json")))!;
        json[field]!.AsArray().RemoveAt(0);
        var error = BuildFromEdited(name, json);
        Assert.Contains($"'{field}'", error.Message);
    }

    [Theory]
    [InlineData("eight_schools_noncentered", "sigma", -1.0)]  // <lower=0> and a normal scale
    [InlineData("kidiq_kidscore_momiq", "kid_score", 250.0)] // <lower=0, upper=200>
    [InlineData("mesquite_logmesquite", "weight", 0.0)]      // log(weight)
    public void DataOutsideItsDeclaredRangeIsASpecError(string name, string field, double value)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(PosteriorDbReference.Folder(name), "data.json")))!;
        json[field]!.AsArray()[2] = value;
        var error = BuildFromEdited(name, json);
        Assert.Contains($"'{field}' entry 3", error.Message);
    }

    private static SpecError BuildFromEdited(string name, JsonNode json)
    {
        string path = Path.Combine(Path.GetTempPath(), $"pdb-{name}-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json.ToJsonString());
        try
        {
            var error = Assert.Throws<SpecError>(() => PosteriorDbModels.FromFile(name, path));
            Assert.StartsWith(path + ":", error.Message);
            return error;
        }
        finally { File.Delete(path); }
    }
}
