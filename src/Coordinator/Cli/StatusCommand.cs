using System.CommandLine;
using System.Globalization;
using SamplerTune.Coordinator.Studies;

namespace SamplerTune.Coordinator.Cli;

/// <summary><c>samplertune status</c>: every study's progress and best trial, read from the journal (nothing is run).</summary>
public static class StatusCommand
{
    public static Command Build()
    {
        var cmd = new Command("status", "print every study's progress and best trial from the journal, without running anything");
        cmd.SetAction(p =>
        {
            var layout = GlobalOptions.Layout(p);
            var studies = StudyJournal.ReadAll(layout);
            if (studies.Count == 0)
            {
                Console.WriteLine($"no studies in {layout.Journal}; start one with 'samplertune run --local'");
                return 0;
            }
            int width = studies.Max(s => s.Created!.Study.Length);
            Console.WriteLine($"{"study".PadRight(width)}  {"done",9}  {"pending",7}  {"failed",6}  {"pruned",6}  best");
            foreach (var s in studies)
            {
                var c = s.Created!;
                var best = s.Best;
                string bestText = best is null ? "-"
                    : string.Create(CultureInfo.InvariantCulture, $"{best.Objective:G5} (trial {best.Number}, run {best.Rid}: {string.Join(", ", best.Params.Select(kv => $"{kv.Key}={Format(kv.Value)}"))})");
                Console.WriteLine($"{c.Study.PadRight(width)}  {$"{s.DoneCount}/{c.TrialBudget}",9}  {s.PendingCount,7}  {s.FailedCount,6}  {s.PrunedCount,6}  {bestText}");
            }
            return 0;
        });
        return cmd;
    }

    private static string Format(object v) => v is double d ? d.ToString("G4", CultureInfo.InvariantCulture) : Convert.ToString(v, CultureInfo.InvariantCulture)!;
}
