using Xunit;

namespace SamplerTune.Samplers.Tests.Support;

public class PosteriorDbReferenceTests
{
    public static IEnumerable<object[]> Families => PosteriorDbModels.Families;

    /// <summary>The reader yields 10 chains x 1000 draws per parameter, and pooling them reproduces summary.json's means.</summary>
    [Theory, MemberData(nameof(Families))]
    public void DrawsHaveTheDocumentedShapeAndReproduceTheSummaryMeans(string name)
    {
        var reference = PosteriorDbReference.Load(name);
        Assert.Equal(10, reference.Chains);
        Assert.Equal(1000, reference.DrawsPerChain);
        Assert.Equal(reference.Names.Order(StringComparer.Ordinal), reference.SummaryMeans.Keys.Order(StringComparer.Ordinal));
        foreach (string p in reference.Names)
        {
            var draws = reference.Draws[p];
            Assert.All(draws, chain => Assert.Equal(1000, chain.Length));
            double mean = draws.SelectMany(c => c).Average();
            Assert.Equal(reference.SummaryMeans[p], mean, 1e-9 * (1 + Math.Abs(mean)));
        }
    }
}
