using System.CommandLine;

namespace SamplerTune.Coordinator.Cli;

public static class ProblemsCommand
{
    public static Command Build()
    {
        var cmd = new Command("problems", "create and list benchmark posteriors (experiments/problems/<pid>/spec.yaml)");
        return cmd;
    }
}
