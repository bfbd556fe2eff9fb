using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Telemetry.Maintenance.Faults;

namespace Telemetry.Maintenance.Storage;

/// <summary>
/// A fault type stored as its snake-case name (<c>mast_outage</c>). Tickets stored while fault types were an
/// enumeration carry the member's name (<c>MastOutage</c>), which reads as the same fault type.
/// </summary>
internal sealed class FaultTypeJsonConverter : JsonConverter<FaultType>
{
    public override FaultType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var name = reader.GetString();
        if (FaultType.TryParse(name, out var fault) || FaultType.TryParse(SnakeCase(name), out fault))
        {
            return fault;
        }

        throw new JsonException($"'{name}' is no fault type this version knows");
    }

    public override void Write(Utf8JsonWriter writer, FaultType value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);

    private static string? SnakeCase(string? pascal)
    {
        if (pascal is null)
        {
            return null;
        }

        var text = new StringBuilder(pascal.Length + 8);
        foreach (var c in pascal)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                text.Append(text.Length == 0 ? "" : "_").Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
