using System.Globalization;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Tests.Support;
using Xunit;

namespace SamplerTune.Samplers.Tests.Artifacts;

public class DrawsFileTests
{
    private static (string Path, ChainDraws Draws) WriteSample()
    {
        var rng = new Rng(5);
        string[] names = ["mu", "beta[1]", "sigma"];
        var draws = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 7 * 3).Select(_ => rng.NextNormal()).ToArray()).ToList();
        var depth = Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, 7).Select(i => (double)(c + i % 4)).ToArray()).ToList();
        var cd = new ChainDraws(names, draws, new Dictionary<string, IReadOnlyList<double[]>> { ["tree_depth"] = depth });
        var dir = Path.Combine(Path.GetTempPath(), "samplertune-tests", Guid.NewGuid().ToString("N")[..10]);
        var path = Path.Combine(dir, "posterior_samples.h5");
        DrawsFile.Write(path, cd, new Dictionary<string, string> { ["pid"] = "abc" });
        return (path, cd);
    }

    [Fact]
    public void RoundTripsDrawsNamesAndStats()
    {
        var (path, cd) = WriteSample();
        var back = DrawsFile.Read(path);
        Assert.Equal(cd.ParameterNames, back.ParameterNames);
        Assert.Equal(3, back.Chains);
        Assert.Equal(7, back.DrawsPerChain);
        for (int c = 0; c < 3; c++) Assert.Equal(cd.Draws[c], back.Draws[c]);
        Assert.Equal(cd.Stats["tree_depth"][2], back.Stats["tree_depth"][2]);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [SkippableFact]
    public void IndependentReaderH5pySeesTheSameArray()
    {
        Skip.IfNot(ExternalTool.PythonHas("h5py"), "needs Debian's python3-h5py (apt-get install python3-h5py)");
        var (path, cd) = WriteSample();
        var (code, stdout, stderr) = ExternalTool.Run(ExternalTool.DebianPython, ["-c", """
import sys, h5py
f = h5py.File(sys.argv[1], "r")
d = f["posterior/draws"]
names = [n.decode() if isinstance(n, bytes) else n for n in d.attrs["param_names"]]
print(d.shape, ",".join(names))
print(repr(float(d[2, 6, 1])), repr(float(f["sample_stats/tree_depth"][1, 3])))
""", path]);
        Assert.True(code == 0, stderr);
        var lines = stdout.Trim().Split('\n');
        Assert.Equal("(3, 7, 3) mu,beta[1],sigma", lines[0]);
        var values = lines[1].Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(cd.Draws[2][6 * 3 + 1], values[0]);
        Assert.Equal(cd.Stats["tree_depth"][1][3], values[1]);
    }

    [SkippableFact]
    public void IndependentReaderH5dumpReadsTheFile()
    {
        Skip.IfNot(ExternalTool.Exists("/usr/bin/h5dump"), "needs h5dump (apt-get install hdf5-tools)");
        var (path, _) = WriteSample();
        var (code, stdout, stderr) = ExternalTool.Run("/usr/bin/h5dump", ["-H", path]);
        Assert.True(code == 0, stderr);
        Assert.Contains("DATASET \"draws\"", stdout);
        Assert.Contains("( 3, 7, 3 )", stdout);
        Assert.Contains("ATTRIBUTE \"param_names\"", stdout);
    }
}
