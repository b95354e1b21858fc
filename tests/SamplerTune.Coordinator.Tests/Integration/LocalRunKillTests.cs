using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SamplerTune.Coordinator.Configuration;
using SamplerTune.Coordinator.Studies;
using SamplerTune.Coordinator.Tests.Support;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Runs;
using Xunit;
using Xunit.Abstractions;

namespace SamplerTune.Coordinator.Tests.Integration;

/// <summary>
/// Issue 6, resumption: 'run --local' SIGKILLed at random moments (six times), then run to the end. Every study must
/// end with exactly its trial budget: no trial asked twice, none lost, none told twice, and every told objective equal
/// to its run's metrics.json.
/// </summary>
[Collection(SamplerTune.Coordinator.Tests.Support.MultiProcessTests.Name)]
public class LocalRunKillTests(ITestOutputHelper output)
{
    private const int Trials = 7;

    [Fact]
    public void KilledAtRandomMomentsTheSameCommandFinishesEveryStudyExactly()
    {
        var exp = CliProcess.TempDirectory();
        var problem = ExactReference.GaussianMean(exp);
        var studyFile = Path.Combine(exp, "study.conf");
        File.WriteAllText(studyFile, $$"""
            samplertune.study {
              problems = [ { pid = {{problem.Pid}} } ]
              methods = [mala, sgld]
              sampler = tpe
              trials = {{Trials}}
              batch = 3
              budget-sec = 1.5
              checkpoint-sec = 0.3
            }
            """);
        string[] args = ["--experiments", exp, "run", "--local", "--workers", "2", "--config", studyFile];

        var rng = new Random(20260503);
        int kills = 0;
        for (int round = 0; round < 6; round++)
        {
            using var process = Start(args);
            var wait = TimeSpan.FromSeconds(2 + rng.NextDouble() * 6);
            if (process.WaitForExit(wait)) { output.WriteLine($"round {round}: finished before the kill at {wait.TotalSeconds:0.0} s"); break; }
            process.Kill(); // SIGKILL: no shutdown, no checkpoint on the way out
            process.WaitForExit();
            kills++;
            output.WriteLine($"round {round}: killed after {wait.TotalSeconds:0.0} s");
        }
        Assert.True(kills >= 5, $"only {kills} kills happened before the job finished; lengthen the study");

        var final = CliProcess.RunIn(Environment.CurrentDirectory, args, TimeSpan.FromMinutes(5));
        output.WriteLine(final.Stdout);
        Assert.True(final.ExitCode == 0, final.Stderr);

        var layout = new ExperimentsLayout(exp);
        var studies = StudyJournal.ReadAll(layout); // folding throws on a trial told twice or asked out of order
        Assert.Equal(2, studies.Count);
        foreach (var s in studies)
        {
            Assert.Equal(Enumerable.Range(0, Trials), s.Trials.Select(t => t.Number));
            Assert.All(s.Trials, t => Assert.NotEqual(StudyState.Pending, t.State));
            Assert.Equal(Trials, s.Trials.Select(t => t.Rid).Distinct().Count());
            foreach (var t in s.Trials.Where(t => t.State == StudyState.Complete))
            {
                var metrics = JsonDocument.Parse(File.ReadAllText(RunDirectory.Under(layout.Runs, t.Rid).Metrics)).RootElement;
                Assert.Equal(metrics.GetProperty("objective").GetDouble(), t.Objective!.Value);
            }
            var csv = File.ReadAllLines(Path.Combine(layout.Studies, s.Created!.Study, TrialsCsv.TrialsFile));
            Assert.Equal(Trials + 1, csv.Length);
            Assert.Single(File.ReadAllLines(Path.Combine(layout.Studies, s.Created!.Study, TrialsCsv.PendingFile))); // header only
        }

        // The raw journal: per study exactly one TrialAsked per trial and one final event (completed or failed) per trial.
        using var db = new SqliteConnection(AkkaConfig.ConnectionString(layout.Journal));
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT persistence_id, manifest, COUNT(*) FROM event_journal GROUP BY persistence_id, manifest";
        var counts = new Dictionary<(string, string), long>();
        using (var r = cmd.ExecuteReader())
            while (r.Read()) counts[(r.GetString(0), r.GetString(1))] = r.GetInt64(2);
        foreach (var s in studies)
        {
            string id = StudyDefinition.PersistenceIdOf(s.Created!.Study);
            Assert.Equal(Trials, counts.GetValueOrDefault((id, "trial-asked.v1")));
            Assert.Equal(Trials, counts.GetValueOrDefault((id, "trial-completed.v1")) + counts.GetValueOrDefault((id, "trial-failed.v1")));
            Assert.Equal(1, counts.GetValueOrDefault((id, "study-created.v1")));
        }
    }

    private static Process Start(string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = false, RedirectStandardError = false, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "samplertune.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("SAMPLERTUNE_EXPERIMENTS");
        return Process.Start(psi)!;
    }
}
