using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SamplerTune.Samplers.Common;

/// <summary>
/// Content addresses for problems (pid) and runs (rid): SHA-256 of normalized JSON (object keys
/// sorted recursively, invariant number formatting), so equal content always gets the same id.
/// </summary>
public static class ContentHash
{
    public const int IdLength = 10;

    public static string Of(JsonNode node) => Hex(Encoding.UTF8.GetBytes(Normalize(node)))[..IdLength];

    public static string Normalize(JsonNode node) => Sorted(node)!.ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    public static string FileSha256(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => KeyValuePair.Create(kv.Key, Sorted(kv.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        null => null,
        _ => JsonNode.Parse(node.ToJsonString()),
    };
}
