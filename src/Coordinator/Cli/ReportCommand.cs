using System.CommandLine;
using SamplerTune.Coordinator.Reports;
using SamplerTune.Coordinator.Studies;

namespace SamplerTune.Coordinator.Cli;

/// <summary>
/// <c>samplertune report [--out DIR] [--console]</c>: the HTML report (index.html and PNG figures) from the journal and
/// the run folders, or the leaderboards as text tables.
/// </summary>
public static class ReportCommand
{
    public static Command Build()
    {
        var outDir = new Option<string?>("--out") { Description = "folder for index.html and its figures (default: <experiments>/report)" };
        var console = new Option<bool>("--console") { Description = "print the leaderboard per problem as text instead of writing the HTML report" };
        var cmd = new Command("report", "write an HTML report (leaderboards, best-so-far curves, objective components, marginals of the best runs) or print the leaderboards") { outDir, console };
        cmd.SetAction(p =>
        {
            var layout = GlobalOptions.Layout(p);
            var studies = StudyJournal.ReadAll(layout);
            if (studies.Count == 0) throw new UserInputError($"no studies in {layout.Journal}; start one with 'samplertune run --local'");
            if (p.GetValue(console))
            {
                Console.Write(LeaderboardText.Format(Leaderboard.Build(studies)));
                return 0;
            }
            var dir = p.GetValue(outDir) ?? Path.Combine(layout.Root, "report");
            var output = HtmlReport.Write(layout, studies, dir);
            foreach (var note in output.Notes) Console.Error.WriteLine("note: " + note);
            Console.WriteLine($"{output.IndexPath}: {studies.Count} studies, {output.Images.Count} figures");
            return 0;
        });
        return cmd;
    }
}
