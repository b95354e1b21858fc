using System.CommandLine;
using System.Text;

namespace SamplerTune.Coordinator.Cli;

/// <summary>
/// <c>samplertune cli-reference</c>: the help text of every command as Markdown. The README's
/// command reference is this output, and a test keeps the two identical.
/// </summary>
public static class CliReferenceCommand
{
    public static Command Build()
    {
        var cmd = new Command("cli-reference", "print the help of every command as Markdown (the README's command reference)");
        cmd.SetAction(_ => { Console.Write(Markdown()); return 0; });
        return cmd;
    }

    public static string Markdown()
    {
        var sb = new StringBuilder();
        Append(sb, CliApp.BuildRoot(), ["samplertune"]);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, Command command, List<string> path)
    {
        if (command.Name == "cli-reference") return;
        sb.Append("### `").Append(string.Join(' ', path)).Append("`\n\n```\n").Append(HelpText(path.Skip(1).ToArray()).TrimEnd()).Append("\n```\n\n");
        foreach (var sub in command.Subcommands) Append(sb, sub, [.. path, sub.Name]);
    }

    private static string HelpText(string[] path)
    {
        var writer = new StringWriter();
        var parse = CliApp.BuildRoot().Parse([.. path, "--help"]);
        parse.Invoke(new InvocationConfiguration { Output = writer });
        return writer.ToString().Replace("\r\n", "\n");
    }
}
