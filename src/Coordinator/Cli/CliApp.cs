using System.CommandLine;

namespace SamplerTune.Coordinator.Cli;

/// <summary>The command tree. Each command lives in Cli/&lt;Name&gt;Command.cs and builds its own Command.</summary>
public static class CliApp
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("samplertune: tune approximate samplers against long-run NUTS references");
        root.Options.Add(GlobalOptions.Experiments);
        root.Subcommands.Add(ProblemsCommand.Build());
        root.Subcommands.Add(ReferenceCommand.Build());
        root.Subcommands.Add(DiagnoseCommand.Build());
        root.Subcommands.Add(BenchCommand.Build());
        root.Subcommands.Add(SampleCommand.Build());
        root.Subcommands.Add(RunCommand.Build());
        root.Subcommands.Add(CoordinatorCommand.Build());
        root.Subcommands.Add(InspectCommand.Build());
        root.Subcommands.Add(StatusCommand.Build());
        root.Subcommands.Add(ExportCommand.Build());
        root.Subcommands.Add(ReportCommand.Build());
        root.Subcommands.Add(OptimizeFunctionCommand.Build());
        root.Subcommands.Add(CliReferenceCommand.Build());
        RefuseEmptyText(root, []);
        return root;
    }

    /// <summary>An empty text value (say <c>--out ""</c> from an unset shell variable) is never a usable path, name or
    /// list: every text option refuses it at parse time, naming the option, instead of failing deep inside a command.</summary>
    private static void RefuseEmptyText(Command command, HashSet<Option> seen)
    {
        foreach (var option in command.Options)
            if (option is Option<string> && seen.Add(option))
                option.Validators.Add(r =>
                {
                    if (r.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value))) r.AddError($"{option.Name}: the value is empty");
                });
        foreach (var sub in command.Subcommands) RefuseEmptyText(sub, seen);
    }
}
