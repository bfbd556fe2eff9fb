using System.Text.Json;
using System.Text.Json.Serialization;

namespace Telemetry.InfluxDb.Http;

/// <summary>The body of a <c>/query</c> answer.</summary>
internal sealed class QueryResponseDto
{
    [JsonPropertyName("results")]
    public List<StatementDto>? Results { get; set; }

    [JsonPropertyName("error")]
    public string? Error { get; set; }
}

internal sealed class StatementDto
{
    [JsonPropertyName("statement_id")]
    public int StatementId { get; set; }

    [JsonPropertyName("series")]
    public List<SeriesDto>? Series { get; set; }

    [JsonPropertyName("messages")]
    public List<MessageDto>? Messages { get; set; }

    [JsonPropertyName("partial")]
    public bool Partial { get; set; }

    [JsonPropertyName("error")]
    public string? Error { get; set; }
}

internal sealed class SeriesDto
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("tags")]
    public Dictionary<string, string>? Tags { get; set; }

    [JsonPropertyName("columns")]
    public List<string>? Columns { get; set; }

    /// <summary>All rows as one element (one parsed document per series, not one per cell).</summary>
    [JsonPropertyName("values")]
    public JsonElement Values { get; set; }

    [JsonPropertyName("partial")]
    public bool Partial { get; set; }
}

internal sealed class MessageDto
{
    [JsonPropertyName("level")]
    public string? Level { get; set; }

    [JsonPropertyName("text")]
    public string? Text { get; set; }
}

/// <summary>The body of an error answer: <c>{"error":"..."}</c>.</summary>
internal sealed class ErrorDto
{
    [JsonPropertyName("error")]
    public string? Error { get; set; }
}

[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(QueryResponseDto))]
[JsonSerializable(typeof(ErrorDto))]
internal sealed partial class InfluxJsonContext : JsonSerializerContext;
