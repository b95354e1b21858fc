using SamplerTune.Samplers.Diagnostics;
using SamplerTune.Samplers.Problems;
using Xunit;

namespace SamplerTune.Samplers.Tests.Diagnostics;

public class DrawsCsvTests
{
    private static DrawsTable Parse(string text) => DrawsCsv.Parse("test.csv", new StringReader(text));

    private const string CmdStanConfig = "# model = m\n#   sample\n#     num_warmup = 4 (Default)\n#     save_warmup = {0}\n#     thin = 2\n";

    [Fact]
    public void CmdStanOutputSkipsCommentsAndSamplerColumns()
    {
        var t = Parse(string.Format(CmdStanConfig, "0") +
                      "lp__,accept_stat__,theta,mu.1\n# Adaptation terminated\n# Step size = 0.3\n-1,0.9,0.5,nan\n\n-2,0.8,0.25,-inf\n#  Elapsed Time: 0.1 seconds\n");
        Assert.Equal(["theta", "mu.1"], t.Variables);
        Assert.Equal([0.5, 0.25], t.Chains[0][0]);
        Assert.True(double.IsNaN(t.Chains[1][0][0]));
        Assert.Equal(double.NegativeInfinity, t.Chains[1][0][1]);
    }

    [Fact]
    public void SavedWarmupRowsAreDropped()
    {
        // num_warmup = 4 with thin = 2 writes 2 warmup rows.
        var t = Parse(string.Format(CmdStanConfig, "1 (Default)") + "lp__,theta\n0,10\n0,11\n0,1\n0,2\n0,3\n");
        Assert.Equal([1.0, 2, 3], t.Chains[0][0]);
    }

    [Fact]
    public void DrawsTableGroupsRowsByChainAndSkipsMetaColumns()
    {
        var t = Parse("\".chain\",\".iteration\",\".draw\",\"a\",\"b\"\n1,1,1,0.1,NA\n1,2,2,0.2,Inf\n2,1,3,0.3,NaN\n2,2,4,0.4,1\n");
        Assert.Equal(["a", "b"], t.Variables);
        Assert.Equal(2, t.ChainCount);
        Assert.Equal([0.3, 0.4], t.Chains[0][1]);
        Assert.Equal(double.PositiveInfinity, t.Chains[1][0][1]);
    }

    [Fact]
    public void PlainChainColumnIsAccepted()
    {
        var t = Parse("chain,x\n1,1\n2,2\n1,3\n2,4\n");
        Assert.Equal([1.0, 3], t.Chains[0][0]);
        Assert.Equal([2.0, 4], t.Chains[0][1]);
    }

    [Theory]
    [InlineData("a,b\n1,2\n3\n", "test.csv:3: expected 2 fields")]
    [InlineData("a,b\n1,2\n3,x\n", "test.csv:3: column 'b': cannot read 'x'")]
    [InlineData("# only a comment\n", "no header")]
    [InlineData("a,b\n", "no draws")]
    [InlineData("a,a\n1,2\n", "column 'a' appears twice")]
    [InlineData("lp__,divergent__\n1,0\n", "no variable columns")]
    [InlineData(".chain,x\n1,1\n1,2\n2,3\n", "chain 2 has 1 draws but chain 1 has 2")]
    [InlineData(".chain,x\nfirst,1\n", "chain id 'first'")]
    public void MalformedInputNamesFileLineAndColumn(string text, string message)
    {
        var e = Assert.Throws<SpecError>(() => Parse(text));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void MissingFileIsAUserError()
    {
        var e = Assert.Throws<SpecError>(() => DrawsTable.ReadFiles(["/nonexistent/draws.csv"]));
        Assert.Contains("/nonexistent/draws.csv: file not found", e.Message);
    }

    [Fact]
    public void The_same_file_given_twice_is_refused_after_normalizing_its_path()
    {
        var dir = Directory.CreateTempSubdirectory("draws-twice").FullName;
        File.WriteAllText(Path.Combine(dir, "a.csv"), "lp__,x\n0,1\n0,2\n0,3\n0,4\n");
        File.WriteAllText(Path.Combine(dir, "b.csv"), "lp__,x\n0,2\n0,1\n0,4\n0,3\n");
        Assert.Equal(2, DrawsTable.ReadFiles([Path.Combine(dir, "a.csv"), Path.Combine(dir, "b.csv")]).ChainCount);
        var same = Path.Combine(dir, "sub", "..", "a.csv");
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        var e = Assert.Throws<SpecError>(() => DrawsTable.ReadFiles([Path.Combine(dir, "a.csv"), Path.Combine(dir, "b.csv"), same]));
        Assert.StartsWith($"{Path.Combine(dir, "a.csv")}: given twice", e.Message);
        Assert.Contains(same, e.Message);
    }

    [Fact]
    public void FilesMustAgreeOnVariablesAndChainLength()
    {
        var a = Parse("lp__,x,y\n0,1,2\n0,3,4\n");
        var otherVariables = Parse("lp__,x,z\n0,1,2\n0,3,4\n");
        var shorter = Parse("lp__,x,y\n0,1,2\n");
        var e1 = Assert.Throws<SpecError>(() => DrawsTable.Join([("a.csv", a), ("b.csv", otherVariables)]));
        Assert.Contains("b.csv: variables differ from a.csv (missing 'y')", e1.Message);
        var e2 = Assert.Throws<SpecError>(() => DrawsTable.Join([("a.csv", a), ("c.csv", shorter)]));
        Assert.Contains("c.csv: a chain has 1 draws but a.csv has 2", e2.Message);
        var joined = DrawsTable.Join([("a.csv", a), ("d.csv", a)]);
        Assert.Equal(2, joined.ChainCount);
    }
}
