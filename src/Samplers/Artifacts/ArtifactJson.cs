using System.Text.Json;
using System.Text.Json.Serialization;

namespace SamplerTune.Samplers.Artifacts;

/// <summary>
/// One JSON convention for every artifact (summary.json, metrics.json, manifests, checkpoints):
/// snake_case names, NaN/Infinity written as the strings "NaN"/"Infinity" rather than refused,
/// and writes that go through a temporary file and a rename so readers never see half a file.
/// </summary>
public static class ArtifactJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void Write<T>(string path, T value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var tmp = $"{path}.{Environment.ProcessId}.tmp";
        using (var stream = File.Create(tmp))
        {
            JsonSerializer.Serialize(stream, value, Options);
            stream.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Reads <paramref name="path"/>; a file that is not the expected JSON is an <see cref="InvalidDataException"/> naming it.</summary>
    public static T Read<T>(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options) ?? throw new InvalidDataException($"{path}: empty JSON");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid {typeof(T).Name} ({e.Message.Split('\n')[0]})", e);
        }
    }
}
