using SamplerTune.Coordinator.Studies;
using SamplerTune.Coordinator.Tests.Support;
using SamplerTune.Samplers.Artifacts;
using SamplerTune.Samplers.Common;
using SamplerTune.Samplers.Reference;
using SamplerTune.Samplers.Runs;
using Xunit;
using Xunit.Abstractions;

namespace SamplerTune.Coordinator.Tests.Integration;

/// <summary>
/// Issue 8, part 2, end to end with the real 'run --local': with provisional-reference = on, a NUTS-reference
/// problem's study starts on the first published reference round, and once the reference has finished every completed
/// trial is scored against its final version (re-scored from its stored draws).
/// </summary>
[Collection(MultiProcessTests.Name)]
public class ProvisionalReferenceTests(ITestOutputHelper output)
{
    [Fact]
    public void TrialsStartedOnAProvisionalReferenceEndScoredAgainstTheFinalOne()
    {
        var exp = CliProcess.TempDirectory();
        var studyFile = Path.Combine(exp, "study.conf");
        File.WriteAllText(studyFile, """
            samplertune.study {
              problems = [ { family = logistic_correlated, n = 100, d = 3 } ]
              methods = [mala]
              sampler = random
              trials = 6
              batch = 1
              budget-sec = 0.5
              checkpoint-sec = 0.2
              provisional-reference = on
              reference-poll-sec = 1
              # An ESS target it cannot reach: the reference grows round after round until its 25 s limit.
              reference { chains = 2, min-ess = 1000000, warmup = 300, initial-draws = 200, max-sec = 25 }
            }
            """);
        var run = CliProcess.Run(exp, "run", "--local", "--workers", "2", "--config", studyFile);
        output.WriteLine(run.Stdout + run.Stderr);
        Assert.True(run.ExitCode == 0, run.Stderr);

        var layout = new ExperimentsLayout(exp);
        var groundTruth = Directory.GetDirectories(layout.Problems).Single(d => !Path.GetFileName(d).StartsWith('.'));
        var final = ReferenceSummary.TryRead(Path.Combine(groundTruth, "ground_truth"))!;
        Assert.True(final.Version >= 2, $"the reference should have grown over several rounds (version {final.Version})");

        var trials = StudyJournal.ReadAll(layout).Single().Trials.Where(t => t.State == StudyState.Complete).ToList();
        Assert.NotEmpty(trials);
        var scoredAgainst = trials.Select(t => ArtifactJson.Read<RunMetrics>(RunDirectory.Under(layout.Runs, t.Rid).Metrics).ReferenceVersion).ToList();
        output.WriteLine($"final reference v{final.Version}; runs scored against v{string.Join(", v", scoredAgainst)}");
        Assert.True(trials.Min(t => t.AskedUtc) < final.UpdatedUtc, "the study should have started before its reference finished");
        Assert.Contains(scoredAgainst, v => v < final.Version); // measured against a provisional reference, then re-scored
        Assert.All(trials, t => Assert.Equal(final.Version, t.ReferenceVersion));
        Assert.All(trials, t => Assert.False(t.Stale));
    }
}
