using System.CommandLine;
using SamplerTune.Samplers.Problems;

namespace SamplerTune.Coordinator.Cli;

/// <summary>Turns typed user errors into one clear line on stderr and exit code 2; bugs keep their stack trace.</summary>
public static class CliErrors
{
    public const int UserError = 2;

    public static int Run(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine("Run 'samplertune --help' (or '<command> --help') for usage.");
            return UserError;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is SpecError or UserInputError or Optimization.ConfigError)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return UserError;
        }
        catch (Exception e) when (e.GetBaseException() is UnauthorizedAccessException or IOException or Microsoft.Data.Sqlite.SqliteException)
        {
            // The file system said no (read-only folder, disk full, locked database): one line, not a stack trace.
            Console.Error.WriteLine($"error: {e.GetBaseException().Message}");
            return 1;
        }
    }
}

/// <summary>A user error outside problem specs (bad option value, missing file): one line, exit 2.</summary>
public sealed class UserInputError(string message) : Exception(message);
