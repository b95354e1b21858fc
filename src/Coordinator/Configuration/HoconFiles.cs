using Akka.Configuration;
using SamplerTune.Coordinator.Cli;

namespace SamplerTune.Coordinator.Configuration;

/// <summary>Loads HOCON: an optional user file first, falling back to the defaults embedded from hocon/.</summary>
public static class HoconFiles
{
    public static Config Embedded(string name) => ConfigurationFactory.ParseString(EmbeddedText(name));

    /// <summary>The text of hocon/<paramref name="name"/> as embedded, comments included (to hand a file to another process).</summary>
    public static string EmbeddedText(string name)
    {
        using var stream = typeof(HoconFiles).Assembly.GetManifestResourceStream($"hocon/{name}")
            ?? throw new InvalidOperationException($"embedded hocon/{name} missing (a build problem)");
        return new StreamReader(stream).ReadToEnd();
    }

    /// <summary>The user's file (if any) with <paramref name="defaults"/> as fallback; a bad file is a one-line user error.</summary>
    public static Config WithUserFile(string? userFile, Config defaults)
    {
        if (userFile is null) return defaults;
        if (!File.Exists(userFile)) throw new UserInputError($"--config {userFile}: file not found");
        try
        {
            return Parse(File.ReadAllText(userFile)).WithFallback(defaults);
        }
        catch (Exception e) when (e is not UserInputError)
        {
            throw new UserInputError($"{userFile}: not valid HOCON ({e.Message.Split('\n')[0]})");
        }
    }

    /// <summary>
    /// Parses user-written HOCON. Akka's parser can spin forever on some malformed input (an unclosed
    /// '[' inside an object), so it runs on a worker thread and a parse that takes over 10 s is an error.
    /// </summary>
    public static Config Parse(string text)
    {
        var parse = Task.Run(() => ConfigurationFactory.ParseString(text));
        if (!parse.Wait(TimeSpan.FromSeconds(10)))
            throw new FormatException("the HOCON parser did not finish: check for an unclosed '[' or '{'");
        return parse.Result;
    }
}
