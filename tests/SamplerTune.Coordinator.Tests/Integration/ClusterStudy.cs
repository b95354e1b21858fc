using System.Text.Json;
using Microsoft.Data.Sqlite;
using SamplerTune.Coordinator.Configuration;
using SamplerTune.Coordinator.Studies;
using SamplerTune.Coordinator.Tests.Support;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Runs;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Integration;

/// <summary>A small cluster-mode study on a gaussian_mean problem with an exact reference, and the checks every cluster test makes at the end.</summary>
public static class ClusterStudy
{
    /// <summary>Writes study.conf (methods mala and sgld) into a fresh experiments folder and returns (experiments, study file).</summary>
    public static (string Experiments, string StudyFile) Create(int trials, int batch, double budgetSec, int retryLimit = 50)
    {
        var exp = CliProcess.TempDirectory();
        var problem = ExactReference.GaussianMean(exp, d: 2);
        var studyFile = Path.Combine(exp, "study.conf");
        File.WriteAllText(studyFile, $$"""
            samplertune.study {
              problems = [ { pid = {{problem.Pid}} } ]
              methods = [mala, sgld]
              sampler = tpe
              trials = {{trials}}
              batch = {{batch}}
              budget-sec = {{budgetSec.ToString(System.Globalization.CultureInfo.InvariantCulture)}}
              checkpoint-sec = 0.4
              retry-limit = {{retryLimit}}
            }
            """);
        return (exp, studyFile);
    }

    /// <summary>
    /// Every study has exactly <paramref name="trials"/> trials, none pending, each asked once and told once in the raw
    /// journal, every told objective equal to its run's metrics.json; returns the studies.
    /// </summary>
    public static IReadOnlyList<StudyState> AssertExact(string experiments, int trials, bool allComplete)
    {
        var layout = new ExperimentsLayout(experiments);
        var studies = StudyJournal.ReadAll(layout); // folding throws on a trial told twice or asked out of order
        Assert.Equal(2, studies.Count);
        foreach (var s in studies)
        {
            Assert.Equal(Enumerable.Range(0, trials), s.Trials.Select(t => t.Number));
            Assert.All(s.Trials, t => Assert.NotEqual(StudyState.Pending, t.State));
            if (allComplete) Assert.All(s.Trials, t => Assert.True(t.State == StudyState.Complete, $"trial {t.Number} of {s.Created!.Study}: {t.State} {t.Reason}"));
            Assert.Equal(trials, s.Trials.Select(t => t.Rid).Distinct().Count());
            foreach (var t in s.Trials.Where(t => t.State == StudyState.Complete))
            {
                var metrics = JsonDocument.Parse(File.ReadAllText(RunDirectory.Under(layout.Runs, t.Rid).Metrics)).RootElement;
                Assert.Equal(metrics.GetProperty("objective").GetDouble(), t.Objective!.Value);
            }
        }
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
            Assert.Equal(trials, counts.GetValueOrDefault((id, "trial-asked.v1")));
            Assert.Equal(trials, counts.GetValueOrDefault((id, "trial-completed.v2")) + counts.GetValueOrDefault((id, "trial-failed.v1")));
            Assert.Equal(1, counts.GetValueOrDefault((id, "study-created.v1")));
        }
        return studies;
    }
}
