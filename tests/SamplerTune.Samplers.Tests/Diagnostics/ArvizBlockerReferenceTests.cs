using Xunit;
using SamplerTune.Samplers.Diagnostics;

namespace SamplerTune.Samplers.Tests.Diagnostics;

/// <summary>
/// The ArviZ test suite's comparison (arviz/tests/base_tests/test_diagnostics.py, test_deterministic): two CmdStan
/// chains of the BUGS blocker model against the values R's posterior package gives, to 1e-8 relative.
/// </summary>
public class ArvizBlockerReferenceTests
{
    private static readonly DrawsTable Blocker = DrawsTable.ReadFiles(
        [ReferenceTable.DataPath("blocker.1.csv"), ReferenceTable.DataPath("blocker.2.csv")]);

    private static readonly List<Dictionary<string, string>> Reference = ReferenceTable.Read("reference_posterior.csv");

    [Fact]
    public void ReaderFindsEveryReferenceVariableAndSkipsSamplerColumns()
    {
        Assert.Equal(Reference.Select(r => r["variable"]), Blocker.Variables);
        Assert.Equal(2, Blocker.ChainCount);
        Assert.All(Blocker.Chains, v => Assert.All(v, c => Assert.Equal(1000, c.Length)));
    }

    public static IEnumerable<object[]> Figures() =>
        new[] { "rhat_rank", "rhat_raw", "ess_bulk", "ess_tail", "ess_mean", "ess_median", "ess_raw",
                "ess_quantile01", "ess_quantile10", "ess_quantile30", "mcse_mean", "mcse_sd" }
            .Select(f => new object[] { f });

    [Theory]
    [MemberData(nameof(Figures))]
    public void EveryVariableMatchesPosterior(string figure)
    {
        foreach (var row in Reference)
        {
            var name = row["variable"];
            var chains = Blocker.Chains[Blocker.Variables.ToList().IndexOf(name)];
            ReferenceTable.AssertClose(ReferenceTable.Number(row[figure]), Compute(figure, chains), $"{name} {figure}");
        }
    }

    [Fact]
    public void SummaryReportsThePosteriorFigures()
    {
        foreach (var row in Reference)
        {
            var name = row["variable"];
            var s = ConvergenceSummary.Summarize(name, Blocker.Chains[Blocker.Variables.ToList().IndexOf(name)]);
            Assert.Null(s.Reason);
            ReferenceTable.AssertClose(ReferenceTable.Number(row["rhat_rank"]), s.Rhat, $"{name} rhat");
            ReferenceTable.AssertClose(ReferenceTable.Number(row["ess_bulk"]), s.EssBulk, $"{name} ess_bulk");
            ReferenceTable.AssertClose(ReferenceTable.Number(row["ess_tail"]), s.EssTail, $"{name} ess_tail");
            ReferenceTable.AssertClose(ReferenceTable.Number(row["ess_mean"]), s.EssMean, $"{name} ess_mean");
            ReferenceTable.AssertClose(ReferenceTable.Number(row["mcse_mean"]), s.McseMean, $"{name} mcse_mean");
        }
    }

    private static double Compute(string figure, double[][] chains) => figure switch
    {
        "rhat_rank" => ConvergenceDiagnostics.Rhat(chains),
        "rhat_raw" => ConvergenceDiagnostics.RhatBasic(chains, split: false),
        "ess_bulk" => ConvergenceDiagnostics.EssBulk(chains),
        "ess_tail" => ConvergenceDiagnostics.EssTail(chains),
        "ess_mean" => ConvergenceDiagnostics.EssMean(chains),
        "ess_median" => ConvergenceDiagnostics.EssMedian(chains),
        "ess_raw" => ConvergenceDiagnostics.EssBasic(chains, split: false),
        "ess_quantile01" => ConvergenceDiagnostics.EssQuantile(chains, 0.01),
        "ess_quantile10" => ConvergenceDiagnostics.EssQuantile(chains, 0.10),
        "ess_quantile30" => ConvergenceDiagnostics.EssQuantile(chains, 0.30),
        "mcse_mean" => ConvergenceDiagnostics.McseMean(chains),
        "mcse_sd" => ConvergenceDiagnostics.McseSd(chains),
        _ => throw new ArgumentException(figure),
    };
}
