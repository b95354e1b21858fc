namespace SamplerTune.Coordinator.Cli;

/// <summary>
/// One status line for long work: rewritten in place on a terminal, printed as a plain line
/// every <c>plainEvery</c> when output goes to a file or pipe (so logs stay readable).
/// </summary>
public sealed class ConsoleProgress(TimeSpan? plainEvery = null)
{
    private readonly TimeSpan _plainEvery = plainEvery ?? TimeSpan.FromSeconds(10);
    private readonly bool _interactive = !Console.IsOutputRedirected;
    private DateTime _lastPlain = DateTime.MinValue;
    private int _lastLength;

    public void Update(string line)
    {
        if (_interactive)
        {
            var padded = line.Length < _lastLength ? line + new string(' ', _lastLength - line.Length) : line;
            Console.Write("\r" + padded);
            _lastLength = line.Length;
        }
        else if (DateTime.UtcNow - _lastPlain >= _plainEvery)
        {
            Console.WriteLine(line);
            _lastPlain = DateTime.UtcNow;
        }
    }

    /// <summary>Ends the status line so the next output starts on a fresh line.</summary>
    public void Done()
    {
        if (_interactive && _lastLength > 0) Console.WriteLine();
        _lastLength = 0;
    }

    public static string Duration(TimeSpan? t) => t is not { } v ? "?" : v.TotalHours >= 1 ? $"{(int)v.TotalHours}h{v.Minutes:00}m" : v.TotalMinutes >= 1 ? $"{(int)v.TotalMinutes}m{v.Seconds:00}s" : $"{v.TotalSeconds:0}s";
}
