using SamplerTune.Coordinator.Reports;
using SamplerTune.Messages.Studies;
using Xunit;

namespace SamplerTune.Coordinator.Tests.Reports;

public class LeaderboardTests
{
    [Fact]
    public void RanksMethodsByTheirBestCompletedTrialAndCountsOutcomes()
    {
        var mala = StudyStates.WithObjectives("mala", 0.9, 0.3, null, 0.5);
        var vi = StudyStates.WithObjectives("vi", 0.2, 0.4);
        var sgld = StudyStates.WithObjectives("sgld", [null]).Asked(0.5).Apply(new TrialPruned(1, 7.0)).Asked(0.6); // nothing completed
        var otherProblem = StudyStates.Created("vi", pid: "pid0000002");

        var boards = Leaderboard.Build([mala, sgld, vi, otherProblem]);

        Assert.Equal(["pid0000001", "pid0000002"], boards.Select(b => b.Pid));
        var rows = boards[0].Rows;
        Assert.Equal(["vi", "mala", "sgld"], rows.Select(r => r.Method));
        Assert.Equal(0.2, rows[0].BestObjective);
        Assert.Equal(0, rows[0].BestTrial);
        Assert.Equal(0.3, rows[1].BestObjective);
        Assert.Equal(1, rows[1].BestTrial);
        Assert.Equal("ridmala001", rows[1].BestRid);
        Assert.Equal(0.1, (double)rows[1].BestParams["x"], 12);
        Assert.Equal(2.5, rows[1].RuntimeSec);
        Assert.Equal(2000, rows[1].GradEvals);
        Assert.Equal(0.15, rows[1].Components["mmd"], 12);
        Assert.Equal(new StatusCounts(3, 0, 0, 0, 1, 0), rows[1].Counts);
        Assert.Null(rows[2].BestObjective); // a pruned value is not a completed objective
        Assert.Equal(new StatusCounts(0, 0, 0, 1, 1, 1), rows[2].Counts);
        Assert.Equal("1 pruned, 1 failed, 1 pending", rows[2].Counts.ToString());
        Assert.Empty(boards[1].Rows.Single().Components);
    }

    [Fact]
    public void BestSoFarSteppsDownOnlyAtCompletedImprovements()
    {
        var s = StudyStates.WithObjectives("mala", 0.9, null, 1.2, 0.3, double.NaN, 0.5, 0.1);
        Assert.Equal([(0, 0.9), (2, 0.9), (3, 0.3), (4, 0.3), (5, 0.3), (6, 0.1)], Leaderboard.BestSoFar(s));
    }

    [Fact]
    public void BestSoFarRunsOnToTheLastFinishedTrial()
    {
        var s = StudyStates.WithObjectives("mala", 0.9, 0.4, null, null);
        Assert.Equal([(0, 0.9), (1, 0.4), (3, 0.4)], Leaderboard.BestSoFar(s));
    }

    [Fact]
    public void ConsoleTableHasOneLinePerMethodUnderItsProblem()
    {
        var text = LeaderboardText.Format(Leaderboard.Build([StudyStates.WithObjectives("mala", 0.9, 0.3), StudyStates.WithObjectives("vi", 0.2)]));
        var lines = text.Split('\n');
        Assert.Equal("gaussian_mean (pid0000001)", lines[0]);
        Assert.StartsWith("  method", lines[1]);
        Assert.Matches(@"^  vi +0\.2 +0 +1\.5 +1,000 +1/10: 1 complete +x=0$", lines[3]);
        Assert.Matches(@"^  mala +0\.3 +1 +2\.5 +2,000 +2/10: 2 complete +x=0\.1$", lines[4]);
    }
}
