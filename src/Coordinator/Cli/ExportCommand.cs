using System.CommandLine;
using SamplerTune.Coordinator.Studies;

namespace SamplerTune.Coordinator.Cli;

/// <summary><c>samplertune export --study NAME</c>: rewrites the study's trials.csv and pending.csv from the journal.</summary>
public static class ExportCommand
{
    public static Command Build()
    {
        var study = new Option<string?>("--study") { Description = "study name (see 'samplertune status'); all studies when omitted" };
        var cmd = new Command("export", "rewrite experiments/studies/<study>/trials.csv (Optuna's trials_dataframe columns) and pending.csv from the journal") { study };
        cmd.SetAction(p =>
        {
            var layout = GlobalOptions.Layout(p);
            var name = p.GetValue(study);
            var states = StudyJournal.ReadAll(layout).Where(s => name is null || s.Created!.Study == name).ToList();
            if (states.Count == 0)
                throw new UserInputError(name is null ? $"no studies in {layout.Journal}" : $"--study {name}: no such study in {layout.Journal} (see 'samplertune status')");
            foreach (var s in states)
            {
                var dir = Path.Combine(layout.Studies, s.Created!.Study);
                TrialsCsv.Write(s, dir);
                Console.WriteLine($"{Path.Combine(dir, TrialsCsv.TrialsFile)}: {s.DoneCount} trials told, {s.PendingCount} pending");
            }
            return 0;
        });
        return cmd;
    }
}
