using SamplerTune.Coordinator.Cli;

return CliErrors.Run(CliApp.BuildRoot(), args);
