using System.CommandLine;
using SamplerTune.Samplers.Common;

namespace SamplerTune.Coordinator.Cli;

/// <summary>Options every command understands.</summary>
public static class GlobalOptions
{
    public const string ExperimentsEnvironmentVariable = "SAMPLERTUNE_EXPERIMENTS";

    public static readonly Option<string?> Experiments = new("--experiments")
    {
        Description = $"experiments folder holding problems, runs, studies and the journal (default: ${ExperimentsEnvironmentVariable} or ./experiments)",
        Recursive = true,
    };

    // Resolved here rather than by a default-value factory, so --help reads the same in every environment.
    public static ExperimentsLayout Layout(ParseResult parse) =>
        new(Path.GetFullPath(parse.GetValue(Experiments)
            ?? (Environment.GetEnvironmentVariable(ExperimentsEnvironmentVariable) is { Length: > 0 } e ? e : "experiments")));
}
