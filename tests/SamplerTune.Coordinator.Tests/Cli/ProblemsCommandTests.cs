using System.Text.Json;
using SamplerTune.Coordinator.Tests.Support;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Cli;

public class ProblemsCommandTests
{
    private static string[] Files(string dir) =>
        Directory.Exists(dir) ? Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order().ToArray() : [];

    [Fact]
    public void MakeSevenGivesOnePerTeacherFamilyAndIsIdempotent()
    {
        var exp = CliProcess.TempDirectory();
        var first = CliProcess.Run(exp, "problems", "make", "--k", "7");
        Assert.True(first.ExitCode == 0, first.Stderr);
        var list = CliProcess.Run(exp, "problems", "list", "--json");
        Assert.Equal(0, list.ExitCode);
        var problems = JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(7, problems.Count);
        Assert.Equal(
            ["banana", "funnel", "gaussian_mean", "gaussian_mixture", "hierarchical", "logistic_correlated", "probit_cauchy"],
            problems.Select(p => p.GetProperty("family").GetString()!).Order().ToArray());

        // Same specs, same pids: a second make creates nothing new.
        var before = Files(exp);
        var second = CliProcess.Run(exp, "problems", "make", "--k", "7");
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(before, Files(exp));
        Assert.DoesNotContain("created", second.Stdout);
    }

    [Fact]
    public void MakeMoreThanTheFamiliesVariesSizes()
    {
        var exp = CliProcess.TempDirectory();
        var r = CliProcess.Run(exp, "problems", "make", "--k", "3", "--families", "gaussian_mean", "--seed", "4");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(3, Directory.GetDirectories(Path.Combine(exp, "problems")).Length);
    }

    [Theory]
    [InlineData("field 'family': unknown family 'nope'", "problems", "add", "--family", "nope")]
    [InlineData("field 'd' must be an integer", "problems", "add", "--family", "gaussian_mean", "--set", "d=abc")]
    [InlineData("field 'zz' is not a field of family gaussian_mean", "problems", "add", "--family", "gaussian_mean", "--set", "zz=1")]
    [InlineData("field 'family' is missing", "problems", "add", "--set", "d=2")]
    [InlineData("unknown family 'nope'", "problems", "make", "--k", "2", "--families", "nope")]
    [InlineData("--set d: given twice (d=2 and d=3)", "problems", "add", "--family", "gaussian_mean", "--set", "d=2", "--set", "d=3")]
    [InlineData("--set d: given twice (d=2 and d=2)", "problems", "add", "--family", "gaussian_mean", "--set", "d=2", "--set", " d = 2")]
    [InlineData("--k must be from 1 to 100 (problems in one set), got 101", "problems", "make", "--k", "101")]
    [InlineData("--k must be from 1 to 100 (problems in one set), got 0", "problems", "make", "--k", "0")]
    [InlineData("--seed must be from 0 to 1000000000, got -3", "problems", "make", "--k", "2", "--seed", "-3")]
    [InlineData("--seed must be from 0 to 1000000000, got 2147483647", "problems", "make", "--k", "2", "--seed", "2147483647")]
    public void BadInputIsOneClearLineExitTwoAndWritesNothing(string expected, params string[] args)
    {
        var exp = CliProcess.TempDirectory();
        var r = CliProcess.Run(exp, args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Empty(Files(exp));
    }

    [Fact]
    public void HandWrittenSpecErrorsNameTheFileAndField()
    {
        var exp = CliProcess.TempDirectory();
        var spec = Path.Combine(exp, "my-spec.yaml");
        File.WriteAllText(spec, "family: funnel\nd: 0\n");
        var r = CliProcess.Run(exp, "problems", "add", "--spec", spec);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("my-spec.yaml", r.Stderr);
        Assert.Contains("field 'd'", r.Stderr);
        Assert.False(Directory.Exists(Path.Combine(exp, "problems")));

        File.WriteAllText(spec, "family: gaussian_mean\nd: 3\n");
        var ok = CliProcess.Run(exp, "problems", "add", "--spec", spec);
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        // The same spec through --set gets the same pid.
        var same = CliProcess.Run(exp, "problems", "add", "--family", "gaussian_mean", "--set", "d=3");
        Assert.Equal(ok.Stdout.Split(' ')[0], same.Stdout.Split(' ')[0]);
        Assert.Contains("exists", same.Stdout);
    }

    [Fact]
    public void DataFileThatDoesNotFitTheFamilyIsRefused()
    {
        var exp = CliProcess.TempDirectory();
        var data = Path.Combine(exp, "bad.json");
        File.WriteAllText(data, "{\"N\": 3, \"D\": 2, \"X\": [[1,2],[3,4]], \"y\": [0,1,1]}");
        var r = CliProcess.Run(exp, "problems", "add", "--family", "logistic_regression", "--data", data);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("bad.json", r.Stderr);
        Assert.Contains("'X'", r.Stderr);
        Assert.False(Directory.Exists(Path.Combine(exp, "problems")));
    }

    [Fact]
    public void AnEditedStoredSpecIsRefusedNotUsedUnderItsOldPid()
    {
        var exp = CliProcess.TempDirectory();
        Assert.Equal(0, CliProcess.Run(exp, "problems", "add", "--family", "gaussian_mean", "--set", "d=3").ExitCode);
        var dir = Directory.GetDirectories(Path.Combine(exp, "problems")).Single();
        var spec = Path.Combine(dir, "spec.yaml");
        File.WriteAllText(spec, File.ReadAllText(spec).Replace("d: 3", "d: 4"));
        var r = CliProcess.Run(exp, "problems", "list");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("BROKEN", r.Stdout);
        Assert.Contains("edited after it was stored", r.Stdout);
    }

    [Fact]
    public void A_corrupt_problem_is_a_broken_row_of_list_and_skipped_by_reference_all_while_the_others_go_on()
    {
        var exp = CliProcess.TempDirectory();
        string Add(int d)
        {
            var r = CliProcess.Run(exp, "problems", "add", "--family", "gaussian_mean", "--set", $"d={d}");
            Assert.True(r.ExitCode == 0, r.Stderr);
            return r.Stdout.Split(' ')[0];
        }
        string good = Add(2), badSpec = Add(3), badSummary = Add(4);
        Assert.Equal(0, CliProcess.Run(exp, "reference", badSummary, "--min-ess", "400").ExitCode);
        var specPath = Path.Combine(exp, "problems", badSpec, "spec.yaml");
        var summaryPath = Path.Combine(exp, "problems", badSummary, "ground_truth", "summary.json");
        File.WriteAllText(specPath, "family: [gaussian_mean\n");
        File.WriteAllText(summaryPath, "{ \"version\": ");
        var before = Files(exp).ToDictionary(f => f, File.ReadAllBytes);

        var list = CliProcess.Run(exp, "problems", "list");
        Assert.Equal(1, list.ExitCode);
        var lines = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith(good) && l.Contains("gaussian_mean") && l.Contains("none"));
        Assert.Contains(lines, l => l.StartsWith(badSpec) && l.Contains("BROKEN") && l.Contains(specPath));
        Assert.Contains(lines, l => l.StartsWith(badSummary) && l.Contains("BROKEN") && l.Contains(summaryPath));
        Assert.Contains("2 of 3 problems", list.Stderr);
        var json = CliProcess.Run(exp, "problems", "list", "--json");
        Assert.Equal(1, json.ExitCode);
        var rows = JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(2, rows.Count(r => r.TryGetProperty("error", out _)));

        var reference = CliProcess.Run(exp, "reference", "all", "--min-ess", "400");
        Assert.Equal(1, reference.ExitCode);
        Assert.Contains($"{badSpec}: skipped, cannot be read: {specPath}", reference.Stderr);
        Assert.Contains($"{badSummary} gaussian_mean: skipped, a stored file cannot be read: {summaryPath}", reference.Stderr);
        Assert.True(File.Exists(Path.Combine(exp, "problems", good, "ground_truth", "summary.json")));
        foreach (var (file, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(file));
    }
}
