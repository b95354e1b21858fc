using System.Net;
using System.Text;
using SamplerTune.Coordinator.Studies;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Reference;
using SamplerTune.Samplers.Runs;

namespace SamplerTune.Coordinator.Reports;

/// <summary>What <see cref="HtmlReport.Write"/> produced: index.html, the PNGs it links, and why any figure is missing.</summary>
public sealed record ReportOutput(string IndexPath, IReadOnlyList<string> Images, IReadOnlyList<string> Notes);

/// <summary>
/// <c>samplertune report</c>: index.html plus PNG figures in one folder, from the journal (leaderboards, curves,
/// objective components) and the run folders (draws of each method's best run, over the problem's reference draws).
/// The page has no script, stylesheet or font from outside, and links only files written beside it, so the folder
/// opens offline and can be copied anywhere.
/// </summary>
public static class HtmlReport
{
    public const string IndexFile = "index.html";
    private const int ReferenceHistogramDraws = 20_000, ScatterPoints = 1_500;

    public static ReportOutput Write(ExperimentsLayout layout, IReadOnlyList<StudyState> studies, string outDirectory)
    {
        Directory.CreateDirectory(outDirectory);
        var boards = Leaderboard.Build(studies);
        var methods = studies.Select(s => s.Created!.Method).Distinct().Order(StringComparer.Ordinal).ToList();
        var plots = new ReportPlots(methods);
        var images = new List<string>();
        var notes = new List<string>();
        var html = new StringBuilder();
        html.Append(Head(boards.Count, studies.Count));

        foreach (var board in boards)
        {
            var ofProblem = studies.Where(s => s.Created!.Pid == board.Pid).ToList();
            string title = $"{board.Family} ({board.Pid})";
            var groundTruth = Path.Combine(layout.Problems, board.Pid, "ground_truth");
            var summary = ReferenceSummary.TryRead(groundTruth);
            html.Append($"<section id=\"{Enc(board.Pid)}\">\n<h2>{Enc(title)}</h2>\n");
            html.Append(summary is null ? "<p class=\"note\">no reference summary found</p>\n"
                : $"<p>reference v{summary.Version}: {Enc(summary.Source)}, {summary.Chains}×{summary.DrawsPerChain} draws, " +
                  $"min bulk ESS {summary.MinEssBulk:0}, max R-hat {summary.MaxRhat:0.000}, {summary.ParamNames.Count} parameters</p>\n");
            html.Append(Table(board));

            string curve = $"{board.Pid}-best-so-far.png", components = $"{board.Pid}-components.png";
            plots.BestSoFar(Path.Combine(outDirectory, curve), $"{title}: best objective so far",
                ofProblem.OrderBy(s => s.Created!.Method, StringComparer.Ordinal).Select(s => (s.Created!.Method, Leaderboard.BestSoFar(s))));
            plots.Components(Path.Combine(outDirectory, components), $"{title}: objective components of the best runs", board.Rows);
            images.Add(curve);
            images.Add(components);
            html.Append("<div class=\"row\">").Append(Img(curve, "best objective so far against trial number"))
                .Append(Img(components, "objective components of the best run per method")).Append("</div>\n");

            var reference = summary is null ? null : TryReadDraws(Path.Combine(groundTruth, ReferenceSummary.DrawsFileName), notes);
            foreach (var row in board.Rows)
            {
                if (row.BestRid is null) continue;
                html.Append($"<h3>{Enc(row.Method)}: draws of its best run (trial {row.BestTrial}, run {Enc(row.BestRid)}) over the reference</h3>\n");
                var samplesPath = RunDirectory.Under(layout.Runs, row.BestRid).Samples;
                var draws = File.Exists(samplesPath) ? TryReadDraws(samplesPath, notes) : null;
                if (reference is null || draws is null || draws.Chains == 0 || !draws.ParameterNames.SequenceEqual(reference.ParameterNames))
                {
                    string why = reference is null ? "the reference draws are missing" : draws is null ? $"the run has no draws ({samplesPath})" : "the run's draws do not match the reference's parameters";
                    notes.Add($"{row.Study}: no marginals: {why}");
                    html.Append($"<p class=\"note\">no marginals: {Enc(why)}</p>\n");
                    continue;
                }
                var marginals = MarginalImages(plots, outDirectory, board.Pid, row.Method, reference, draws, summary!.Cov);
                images.AddRange(marginals);
                html.Append("<div class=\"row\">").AppendJoin("", marginals.Select(m => Img(m, $"{row.Method} marginal"))).Append("</div>\n");
            }
            html.Append("</section>\n");
        }
        if (notes.Count > 0)
            html.Append("<h2>Notes</h2>\n<ul>\n").AppendJoin("", notes.Select(n => $"<li>{Enc(n)}</li>\n")).Append("</ul>\n");
        html.Append("</body>\n</html>\n");

        var index = Path.Combine(outDirectory, IndexFile);
        File.WriteAllText(index, html.ToString());
        return new ReportOutput(index, images, notes);
    }

    private static List<string> MarginalImages(ReportPlots plots, string outDirectory, string pid, string method, ChainDraws reference, ChainDraws draws, double[][] cov)
    {
        var files = new List<string>();
        var refSub = Marginals.Subsample(reference, ReferenceHistogramDraws);
        foreach (var p in Marginals.FirstParameters(draws.Parameters))
        {
            string file = $"{pid}-{method}-marginal-{p}.png";
            plots.Marginal1D(Path.Combine(outDirectory, file), draws.ParameterNames[p], method, Marginals.Values(refSub, p), Marginals.Values(draws, p));
            files.Add(file);
        }
        if (Marginals.MostCorrelatedPair(cov) is var (i, j))
        {
            string file = $"{pid}-{method}-pair-{i}-{j}.png";
            var refPts = Marginals.Subsample(reference, ScatterPoints);
            var runPts = Marginals.Subsample(draws, ScatterPoints, seed: 2);
            plots.Marginal2D(Path.Combine(outDirectory, file), draws.ParameterNames[i], draws.ParameterNames[j], method,
                (Column(refPts, i), Column(refPts, j)), (Column(runPts, i), Column(runPts, j)));
            files.Add(file);
        }
        return files;
    }

    // Unfiltered (pairs stay aligned); the plot frames the finite central range.
    private static double[] Column(ChainDraws d, int p) => d.Parameter(p).SelectMany(c => c).ToArray();

    private static ChainDraws? TryReadDraws(string path, List<string> notes)
    {
        try { return DrawsFile.Read(path); }
        catch (Exception e) // a damaged or foreign file costs its figures, not the report
        {
            notes.Add($"{path}: could not be read ({e.GetType().Name}: {e.Message})");
            return null;
        }
    }

    private static string Table(ProblemLeaderboard board)
    {
        var sb = new StringBuilder("<table>\n<tr><th>method</th><th>best objective</th><th>trial</th><th>runtime (s)</th><th>gradient evaluations</th><th>trials</th><th>hyperparameters of the best trial</th></tr>\n");
        foreach (var r in board.Rows)
            sb.Append($"<tr><td>{Enc(r.Method)}</td><td class=\"num\">{LeaderboardText.Objective(r.BestObjective)}</td><td class=\"num\">{r.BestTrial?.ToString() ?? "-"}</td>" +
                      $"<td class=\"num\">{LeaderboardText.Seconds(r.RuntimeSec)}</td><td class=\"num\">{LeaderboardText.Count(r.GradEvals)}</td>" +
                      $"<td>{r.Counts.Done}/{r.TrialBudget}: {Enc(r.Counts.ToString())}</td><td class=\"params\">{Enc(LeaderboardText.Params(r.BestParams))}</td></tr>\n");
        return sb.Append("</table>\n").ToString();
    }

    private static string Img(string file, string alt) => $"<img src=\"{Enc(file)}\" alt=\"{Enc(alt)}\">";

    private static string Enc(string s) => WebUtility.HtmlEncode(s);

    private static string Head(int problems, int studies) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>SamplerTune report</title>
        <style>
        body { font-family: sans-serif; margin: 2em; color: #222; }
        table { border-collapse: collapse; margin: 1em 0; }
        th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
        th { background: #f0f0f0; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        td.params { font-family: monospace; font-size: 0.85em; }
        .row { display: flex; flex-wrap: wrap; gap: 8px; }
        .note { color: #a33; }
        section { border-top: 2px solid #ddd; margin-top: 2em; }
        </style>
        </head>
        <body>
        <h1>SamplerTune report</h1>
        <p>{{problems}} problem(s), {{studies}} stud{{(studies == 1 ? "y" : "ies")}}, generated {{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm}} UTC from the journal and the run folders.
        Objective = MMD² + weighted mean and covariance errors against the reference (lower is better).</p>

        """;
}
