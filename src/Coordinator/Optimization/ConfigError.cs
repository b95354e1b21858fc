namespace SamplerTune.Coordinator.Optimization;

/// <summary>
/// A user error in a search-space declaration (HOCON file or command-line override): the message names the
/// source (file or "command line"), the key, and what is allowed, so the CLI can print it as one line (exit 2).
/// </summary>
public sealed class ConfigError(string source, string key, string problem)
    : Exception($"{source}: {key}: {problem}")
{
    public string File { get; } = source;
    public string Key { get; } = key;
}
