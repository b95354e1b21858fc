using System.Globalization;
using SamplerTune.Messages.Coordination;

namespace SamplerTune.Coordinator.Cli;

/// <summary>
/// The console view of a running job: one line per study (trials done/total, best objective, runs in flight, ETA).
/// Redrawn in place on a terminal; printed as a block every <c>plainEvery</c> when output goes to a file or pipe.
/// </summary>
public sealed class LiveView(TextWriter output, bool interactive, TimeSpan plainEvery)
{
    private readonly DateTime _started = DateTime.UtcNow;
    private readonly Dictionary<string, (DateTime Time, int Done)> _firstSeen = new();
    private DateTime _lastPlain = DateTime.MinValue;
    private int _linesDrawn;

    public void Update(CoordinatorStatus status, bool force = false)
    {
        if (!interactive && !force && DateTime.UtcNow - _lastPlain < plainEvery) return;
        _lastPlain = DateTime.UtcNow;
        var lines = Render(status);
        if (interactive && _linesDrawn > 0) output.Write($"\u001b[{_linesDrawn}A");
        foreach (var line in lines) output.WriteLine(interactive ? line + "\u001b[K" : line);
        _linesDrawn = interactive ? lines.Count : 0;
    }

    public List<string> Render(CoordinatorStatus status)
    {
        var elapsed = DateTime.UtcNow - _started;
        var lines = new List<string>
        {
            $"stage {status.Stage}; workers {status.Workers}; runs in flight {status.InFlight.Count}" +
            (status.ReferencesPending > 0 ? $"; references pending {status.ReferencesPending}" : "") + $"; elapsed {ConsoleProgress.Duration(elapsed)}",
        };
        int width = status.Studies.Count == 0 ? 10 : status.Studies.Max(s => s.Study.Length);
        foreach (var s in status.Studies)
        {
            string best = s.BestObjective is { } b ? $"{b.ToString("G4", CultureInfo.InvariantCulture)} (trial {s.BestTrial})" : "-";
            lines.Add($"  {s.Study.PadRight(width)}  {s.Done,3}/{s.TrialBudget,-3} best {best,-20} in flight {s.Pending,2}  ETA {Eta(s)}" +
                      (s.Failed > 0 ? $"  failed {s.Failed}" : ""));
        }
        return lines;
    }

    private string Eta(StudyStatus s)
    {
        if (s.Finished) return "done";
        if (!_firstSeen.TryGetValue(s.Study, out var first)) _firstSeen[s.Study] = first = (DateTime.UtcNow, s.Done);
        int done = s.Done - first.Done;
        if (done <= 0) return "?";
        var per = (DateTime.UtcNow - first.Time) / done;
        return ConsoleProgress.Duration(per * (s.TrialBudget - s.Done));
    }
}
