using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace SamplerTune.Messages.Serialization;

/// <summary>
/// The one serializer of SamplerTune's messages and persisted events (bound in hocon/akka.conf to the protocol marker
/// interfaces): System.Text.Json payloads named by the short manifests of <see cref="MessageManifests"/>. Unlike the
/// default serializer it stores no .NET type names, so refactoring never breaks a journal. A payload that cannot be
/// read throws <see cref="SerializationException"/> naming the manifest; the persistent actor adds its persistence id
/// and sequence number.
/// </summary>
public sealed class SamplerTuneSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int SerializerId = 7301;

    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new ParamValueConverter(), new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => MessageManifests.Of(o.GetType());

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Options);

    public override object FromBinary(byte[] bytes, string manifest) => Read(bytes, manifest);

    /// <summary>Deserializes a payload (public for tools that read the journal without an actor system).</summary>
    public static object Read(byte[] bytes, string manifest)
    {
        var type = MessageManifests.TypeOf(manifest)
            ?? throw new SerializationException($"unknown manifest '{manifest}' (known: {string.Join(", ", MessageManifests.All)})");
        try
        {
            return JsonSerializer.Deserialize(bytes, type, Options)
                ?? throw new SerializationException($"payload of manifest '{manifest}' is JSON null");
        }
        catch (JsonException e)
        {
            throw new SerializationException($"payload of manifest '{manifest}' ({bytes.Length} bytes) is not a readable {type.Name}: {e.Message}", e);
        }
    }
}
