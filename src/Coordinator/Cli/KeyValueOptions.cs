namespace SamplerTune.Coordinator.Cli;

/// <summary>Repeatable <c>--option name=value</c> options (problems add --set, sample --param).</summary>
public static class KeyValueOptions
{
    /// <summary>The pairs by name; a malformed item or a name given twice is a user error naming the option and the name.</summary>
    public static Dictionary<string, string> Parse(string option, string[] items)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            int eq = item.IndexOf('=');
            if (eq <= 0) throw new UserInputError($"{option} '{item}': expected name=value");
            string name = item[..eq].Trim(), value = item[(eq + 1)..].Trim();
            if (result.TryGetValue(name, out var earlier))
                throw new UserInputError($"{option} {name}: given twice ({name}={earlier} and {name}={value}); give each name once");
            result[name] = value;
        }
        return result;
    }
}
