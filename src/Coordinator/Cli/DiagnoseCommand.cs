using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SamplerTune.Samplers.Diagnostics;

namespace SamplerTune.Coordinator.Cli;

/// <summary>
/// samplertune diagnose FILE... [--json]: R-hat, bulk/tail/mean ESS and MCSE of every variable in CmdStan output
/// CSVs (one chain per file) or draws CSVs with a .chain column, computed as R's posterior package does.
/// </summary>
public static class DiagnoseCommand
{
    public static Command Build()
    {
        var files = new Argument<string[]>("files")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "CmdStan output CSVs (one per chain) or draws CSVs with a .chain column",
        };
        var json = new Option<bool>("--json") { Description = "print a JSON list instead of a table (NaN as null, with a reason)" };
        var cmd = new Command("diagnose", "convergence diagnostics (rank-normalized R-hat, bulk/tail ESS, MCSE) of MCMC draws")
        {
            files,
            json,
        };
        cmd.SetAction(parseResult =>
        {
            var paths = parseResult.GetValue(files) ?? [];
            var table = DrawsTable.ReadFiles(paths);
            var summaries = new List<ConvergenceSummary>(table.Variables.Count);
            for (int v = 0; v < table.Variables.Count; v++)
                summaries.Add(ConvergenceSummary.Summarize(table.Variables[v], table.Chains[v]));
            if (parseResult.GetValue(json)) WriteJson(summaries, Console.Out);
            else WriteTable(summaries, table.ChainCount, table.Chains[0][0].Length, Console.Out);
            return 0;
        });
        return cmd;
    }

    private static void WriteTable(IReadOnlyList<ConvergenceSummary> rows, int chains, int draws, TextWriter output)
    {
        string[] headers = ["variable", "mean", "sd", "rhat", "ess_bulk", "ess_tail", "ess_mean", "mcse_mean"];
        var cells = rows.Select(r => new[]
        {
            r.Variable, Significant(r.Mean), Significant(r.Sd), Fixed(r.Rhat, 3),
            Fixed(r.EssBulk, 0), Fixed(r.EssTail, 0), Fixed(r.EssMean, 0), Significant(r.McseMean),
        }).ToList();
        var widths = headers.Select((h, k) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[k].Length))).ToArray();

        output.WriteLine($"{chains} chain(s) x {draws} draws");
        output.WriteLine(FormatRow(headers, widths));
        foreach (var c in cells) output.WriteLine(FormatRow(c, widths));
        foreach (var r in rows.Where(r => r.Reason is not null))
            output.WriteLine($"note: {r.Variable}: {r.Reason}");
    }

    private static string FormatRow(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, k) => k == 0 ? c.PadRight(widths[k]) : c.PadLeft(widths[k])));

    private static string Significant(double x) => double.IsNaN(x) ? "NA" : x.ToString("G4", CultureInfo.InvariantCulture);
    private static string Fixed(double x, int decimals) => double.IsNaN(x) ? "NA" : x.ToString("F" + decimals, CultureInfo.InvariantCulture);

    private static void WriteJson(IReadOnlyList<ConvergenceSummary> rows, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var r in rows)
            {
                writer.WriteStartObject();
                writer.WriteString("variable", r.Variable);
                Number(writer, "rhat", r.Rhat);
                Number(writer, "ess_bulk", r.EssBulk);
                Number(writer, "ess_tail", r.EssTail);
                Number(writer, "ess_mean", r.EssMean);
                Number(writer, "mcse_mean", r.McseMean);
                Number(writer, "mean", r.Mean);
                Number(writer, "sd", r.Sd);
                if (r.Reason is null) writer.WriteNull("reason");
                else writer.WriteString("reason", r.Reason);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void Number(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumber(name, value);
        else writer.WriteNull(name);
    }
}
