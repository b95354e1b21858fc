using Akka.Configuration.Hocon;
using SamplerTune.Coordinator.Optimization;

namespace SamplerTune.Coordinator.Configuration;

/// <summary>
/// Refuses keys of a user's HOCON file that the program does not read (a misspelled <c>min-es</c> would otherwise be
/// ignored and its default used), by comparing the file's objects with the defaults' objects of the same path.
/// </summary>
public static class ConfigKeys
{
    /// <summary>
    /// Every key of <paramref name="user"/> must exist in <paramref name="allowed"/>, recursively where both are objects,
    /// except under the full paths in <paramref name="unchecked"/> (checked elsewhere, or free-form).
    /// </summary>
    public static void RefuseUnknown(HoconObject user, HoconObject allowed, string path, string source, IReadOnlySet<string>? @unchecked = null)
    {
        foreach (var (key, value) in user.Items)
        {
            string full = path.Length == 0 ? key : $"{path}.{key}";
            if (!allowed.Items.TryGetValue(key, out var declared))
                throw new ConfigError(source, full, $"unknown key; allowed in {(path.Length == 0 ? "the file" : path)}: {string.Join(", ", allowed.Items.Keys)}");
            if (@unchecked?.Contains(full) == true) continue;
            if (value.IsObject() && declared.IsObject()) RefuseUnknown(value.GetObject(), declared.GetObject(), full, source, @unchecked);
        }
    }

    /// <summary>The object at <paramref name="path"/> of a parsed file, or null when the file does not have it.</summary>
    public static HoconObject? ObjectAt(Akka.Configuration.Config config, string path) =>
        config.HasPath(path) && config.GetValue(path).IsObject() ? config.GetValue(path).GetObject() : null;
}
