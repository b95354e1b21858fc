using System.CommandLine;
using SamplerTune.Coordinator.Cli;

// The user CLI: each command lives in Cli/<Name>Command.cs and builds its own System.CommandLine Command.
var root = new RootCommand("samplertune: tune approximate samplers against long-run NUTS references");
root.Subcommands.Add(ProblemsCommand.Build());
root.Subcommands.Add(DiagnoseCommand.Build());
return CliErrors.Run(root, args);
