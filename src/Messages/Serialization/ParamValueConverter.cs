using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SamplerTune.Messages.Serialization;

/// <summary>
/// Hyperparameter values (int, double or string) that keep their type through JSON: a double is always written with a
/// decimal point or exponent (1.0, not 1), so it reads back as a double and an int as an int. The optimizer compares
/// values by type, so 1 and 1.0 must not collapse.
/// </summary>
public sealed class ParamValueConverter : JsonConverter<object>
{
    public override object Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String: return reader.GetString()!;
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            case JsonTokenType.Number:
                var text = System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
                if (text.IndexOfAny(['.', 'e', 'E']) < 0)
                    return reader.TryGetInt32(out int i) ? i : reader.GetInt64();
                return reader.GetDouble();
            default: throw new JsonException($"a hyperparameter value must be a number or a string, got {reader.TokenType}");
        }
    }

    public override void Write(Utf8JsonWriter writer, object value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d when double.IsFinite(d):
                var r = d.ToString("R", CultureInfo.InvariantCulture);
                writer.WriteRawValue(r.IndexOfAny(['.', 'E', 'e']) < 0 ? r + ".0" : r);
                break;
            case double d: writer.WriteStringValue(d.ToString(CultureInfo.InvariantCulture)); break;
            case JsonElement e: e.WriteTo(writer); break;
            default: throw new JsonException($"cannot write a {value.GetType().Name} as a hyperparameter value");
        }
    }
}
