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
}
