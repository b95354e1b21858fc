using System.Diagnostics;
using System.Globalization;
using SamplerTune.Samplers.Runs;

namespace SamplerTune.Coordinator.Cli;

/// <summary>
/// Progress of a <c>sample</c> run on stderr: on a terminal one line rewritten in place (at most four times a
/// second); otherwise (a log file, a pipe) one plain line per checkpoint, so logs stay readable.
/// </summary>
public sealed class SampleProgressDisplay(TextWriter output, bool interactive) : IProgress<RunProgress>
{
    private readonly Stopwatch _sinceLast = Stopwatch.StartNew();
    private int _lastLength;

    public void Report(RunProgress p)
    {
        if (interactive)
        {
            if (_sinceLast.Elapsed.TotalSeconds < 0.25) return;
            _sinceLast.Restart();
            var line = Line(p);
            output.Write("\r" + line.PadRight(_lastLength));
            _lastLength = line.Length;
        }
        else if (p.CheckpointWritten)
        {
            output.WriteLine(Line(p));
        }
    }

    /// <summary>Clears the in-place line so the result starts on a clean line.</summary>
    public void Done()
    {
        if (interactive && _lastLength > 0) output.Write("\r" + new string(' ', _lastLength) + "\r");
    }

    private static string Line(RunProgress p)
    {
        var c = CultureInfo.InvariantCulture;
        string grads = p.BudgetGradEvals is { } g ? $"{p.GradEvals.ToString("N0", c)}/{g.ToString("N0", c)}" : p.GradEvals.ToString("N0", c);
        string objective = p.ProvisionalObjective is { } o ? o.ToString("G4", c) : "pending";
        return $"sampling: {p.ElapsedSec.ToString("0", c)}/{p.BudgetSec.ToString("0", c)} s, grad evals {grads}, provisional objective {objective}";
    }
}
