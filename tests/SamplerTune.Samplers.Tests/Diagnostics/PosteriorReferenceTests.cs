using SamplerTune.Samplers.Diagnostics;
using Xunit;

namespace SamplerTune.Samplers.Tests.Diagnostics;

/// <summary>
/// Seeded synthetic draws (AR(1) chains, antithetic chains, heavy tails, a shifted or wide chain, ties, binary,
/// constant and stuck chains, NaN, Inf, a single chain, very short chains) against R's posterior package,
/// written by data/diagnostics/generate_posterior_reference.R. Every figure agrees to 1e-8 relative, NA as NaN.
/// </summary>
public class PosteriorReferenceTests
{
    private static readonly List<Dictionary<string, string>> Reference = ReferenceTable.Read("posterior_reference.csv");

    public static IEnumerable<object[]> Files() => Reference.Select(r => r["file"]).Distinct().Select(f => new object[] { f });

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryFigureMatchesPosterior(string file)
    {
        var table = DrawsCsv.Read(ReferenceTable.DataPath(file));
        var rows = Reference.Where(r => r["file"] == file).ToList();
        Assert.Equal(rows.Select(r => r["variable"]), table.Variables);
        foreach (var row in rows)
        {
            var name = row["variable"];
            var x = table.Chains[table.Variables.ToList().IndexOf(name)];
            void Check(string figure, double actual) =>
                ReferenceTable.AssertClose(ReferenceTable.Number(row[figure]), actual, $"{file} {name} {figure}");
            Check("rhat", ConvergenceDiagnostics.Rhat(x));
            Check("rhat_basic", ConvergenceDiagnostics.RhatBasic(x));
            Check("rhat_basic_nosplit", ConvergenceDiagnostics.RhatBasic(x, split: false));
            Check("ess_bulk", ConvergenceDiagnostics.EssBulk(x));
            Check("ess_tail", ConvergenceDiagnostics.EssTail(x));
            Check("ess_mean", ConvergenceDiagnostics.EssMean(x));
            Check("ess_basic_nosplit", ConvergenceDiagnostics.EssBasic(x, split: false));
            Check("ess_median", ConvergenceDiagnostics.EssMedian(x));
            Check("ess_q10", ConvergenceDiagnostics.EssQuantile(x, 0.1));
            Check("mcse_mean", ConvergenceDiagnostics.McseMean(x));
            Check("mcse_sd", ConvergenceDiagnostics.McseSd(x));
            Check("mean", ConvergenceDiagnostics.Mean(x));
            Check("sd", ConvergenceDiagnostics.Sd(x));
        }
    }

    /// <summary>Variables where the project's policy deliberately reports NaN although posterior gives numbers.</summary>
    private static readonly Dictionary<(string, string), string> PolicyDifferences = new()
    {
        [("posterior_draws_4x501.csv", "one_constant_chain")] = "constant",
        [("posterior_draws_4x501.csv", "stuck_except_one")] = "constant",
        [("posterior_draws_1x1000.csv", "stuck_except_one")] = "constant",
        [("posterior_draws_4x501.csv", "with_inf")] = "infinite",
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void SummaryMatchesPosteriorOutsideThePolicyCases(string file)
    {
        var table = DrawsCsv.Read(ReferenceTable.DataPath(file));
        foreach (var row in Reference.Where(r => r["file"] == file))
        {
            var name = row["variable"];
            var s = ConvergenceSummary.Summarize(name, table.Chains[table.Variables.ToList().IndexOf(name)]);
            ReferenceTable.AssertClose(ReferenceTable.Number(row["mean"]), s.Mean, $"{file} {name} mean");
            if (PolicyDifferences.TryGetValue((file, name), out var reason) && reason.Length > 0)
            {
                Assert.True(double.IsNaN(s.Rhat) && double.IsNaN(s.EssBulk) && double.IsNaN(s.EssTail)
                            && double.IsNaN(s.EssMean) && double.IsNaN(s.McseMean), $"{file} {name}: expected NaN by policy");
                Assert.Contains(reason, s.Reason);
                continue;
            }
            ReferenceTable.AssertClose(ReferenceTable.Number(row["rhat"]), s.Rhat, $"{file} {name} rhat");
            ReferenceTable.AssertClose(ReferenceTable.Number(row["ess_bulk"]), s.EssBulk, $"{file} {name} ess_bulk");
            ReferenceTable.AssertClose(ReferenceTable.Number(row["ess_tail"]), s.EssTail, $"{file} {name} ess_tail");
            ReferenceTable.AssertClose(ReferenceTable.Number(row["ess_mean"]), s.EssMean, $"{file} {name} ess_mean");
            ReferenceTable.AssertClose(ReferenceTable.Number(row["mcse_mean"]), s.McseMean, $"{file} {name} mcse_mean");
            bool anyNaN = double.IsNaN(s.Rhat) || double.IsNaN(s.EssBulk) || double.IsNaN(s.EssTail) || double.IsNaN(s.EssMean);
            Assert.Equal(anyNaN, s.Reason is not null);
        }
    }
}
