using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Telemetry.Contracts;

/// <summary>Source-generated serialisation of every contract payload (snake case, no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.Strict,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowDuplicateProperties = false,
    MaxDepth = 16)]
[JsonSerializable(typeof(ReadingBatch))]
[JsonSerializable(typeof(GatewayState))]
[JsonSerializable(typeof(GatewayEvent))]
[JsonSerializable(typeof(ReplayRequest))]
[JsonSerializable(typeof(ReplaySummary))]
[JsonSerializable(typeof(DataGapReport))]
public sealed partial class ContractsJson : JsonSerializerContext;

/// <summary>RFC 3339 in UTC with milliseconds and a Z, as the contracts write time.</summary>
public sealed class UtcMillisecondsJsonConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var value))
        {
            throw new JsonException("a time must be an RFC 3339 string such as 2026-11-22T19:00:04.981Z");
        }

        return value.ToUniversalTime();
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}
