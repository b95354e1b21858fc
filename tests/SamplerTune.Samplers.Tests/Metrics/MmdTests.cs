using System.Text.Json;
using SamplerTune.Samplers.Metrics;
using Xunit;

namespace SamplerTune.Samplers.Tests.Metrics;

public class MmdTests
{
    public static TheoryData<string> Cases() => new(["same", "shifted", "wide"]);

    /// <summary>Against tests/data/mmd/mmd_reference.json, computed with numpy by generate_mmd_reference.py.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesNumpyToOneInABillion(string name)
    {
        var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "mmd", "mmd_reference.json")));
        var c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        int dim = c.GetProperty("dim").GetInt32();
        double[] Flat(string key) => c.GetProperty(key).EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray();
        var x = Flat("x");
        var y = Flat("y");
        double bandwidth = Mmd.MedianPairwiseDistance(x, x.Length / dim, dim);
        Assert.Equal(c.GetProperty("bandwidth").GetDouble(), bandwidth, 1e-12);
        double mmd = Mmd.UnbiasedSquared(x, x.Length / dim, y, y.Length / dim, dim, bandwidth);
        Assert.Equal(c.GetProperty("mmd2").GetDouble(), mmd, 1e-9);
    }

    /// <summary>The median by selection equals the median of the sorted distances, for odd and even pair counts and ties.</summary>
    [Theory]
    [InlineData(2, 1, 1)]
    [InlineData(3, 2, 7)]    // 3 pairs: odd
    [InlineData(4, 1, 4)]    // 6 pairs: even
    [InlineData(57, 3, 5)]
    [InlineData(200, 2, 3)]  // few distinct values: many ties
    public void MedianBySelectionEqualsTheSortedMedian(int n, int dim, int levels)
    {
        var rng = new SamplerTune.Samplers.Common.Rng((ulong)(n * 31 + levels));
        var x = Enumerable.Range(0, n * dim).Select(_ => Math.Floor(rng.NextDouble() * levels) + (levels > 5 ? rng.NextDouble() : 0)).ToArray();
        var d = new List<double>();
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                d.Add(Math.Sqrt(Enumerable.Range(0, dim).Sum(k => (x[i * dim + k] - x[j * dim + k]) * (x[i * dim + k] - x[j * dim + k]))));
        d.Sort();
        double expected = d.Count % 2 == 1 ? d[d.Count / 2] : 0.5 * (d[d.Count / 2 - 1] + d[d.Count / 2]);
        Assert.Equal(expected, Mmd.MedianPairwiseDistance(x, n, dim));
    }
}
