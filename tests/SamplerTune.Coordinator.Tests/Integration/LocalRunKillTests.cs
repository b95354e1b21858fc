using System.Diagnostics;
using SamplerTune.Coordinator.Studies;
using SamplerTune.Coordinator.Tests.Support;
using SamplerTune.Samplers.Common;
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
            using var process = CliProcess.StartWithArguments(args);
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

        // Exactly the trials asked, none pending, each asked and told once in the raw journal, objectives = metrics.json.
        var studies = ClusterStudy.AssertExact(exp, Trials, allComplete: false);
        var layout = new ExperimentsLayout(exp);
        foreach (var s in studies)
        {
            var csv = File.ReadAllLines(Path.Combine(layout.Studies, s.Created!.Study, TrialsCsv.TrialsFile));
            Assert.Equal(Trials + 1, csv.Length);
            Assert.Single(File.ReadAllLines(Path.Combine(layout.Studies, s.Created!.Study, TrialsCsv.PendingFile))); // header only
        }
    }
}
