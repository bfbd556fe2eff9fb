using System.Text.Json.Serialization;

namespace Telemetry.Devices.Profiles;

// The JSON shape of a profile file, as written. Everything is optional and loosely typed here so that
// validation can report every missing or unknown value at once, naming the rule, instead of stopping
// at the first deserialisation error. hardware/profiles/profile.schema.json describes the same shape.

internal sealed class ProfileDocument
{
    [JsonPropertyName("$schema")]
    public string? Schema { get; init; }

    public string? Model { get; init; }

    public string? Manufacturer { get; init; }

    public string? Family { get; init; }

    public string? Description { get; init; }

    public List<string>? Links { get; init; }

    public string? WordOrder { get; init; }

    public LimitsDocument? Limits { get; init; }

    public List<PointDocument>? Points { get; init; }

    public CircuitsDocument? Circuits { get; init; }
}

internal sealed class LimitsDocument
{
    public int? MaxRegistersPerRead { get; init; }

    public int? MaxBitsPerRead { get; init; }

    public int? MaxRegisterGap { get; init; }

    public int? MaxBitGap { get; init; }
}

internal sealed class CircuitsDocument
{
    public int? Count { get; init; }

    public Dictionary<string, int>? Stride { get; init; }

    public List<PointDocument>? Points { get; init; }
}

internal sealed class PointDocument
{
    public string? Name { get; init; }

    public string? Table { get; init; }

    public int? Address { get; init; }

    public string? Type { get; init; }

    public int? Length { get; init; }

    public string? WordOrder { get; init; }

    public decimal? Scale { get; init; }

    public decimal? Offset { get; init; }

    public string? Unit { get; init; }

    public string? Description { get; init; }

    public bool? Writable { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }

    public Dictionary<string, string>? Labels { get; init; }

    public int? WriteFunction { get; init; }

    public List<string>? OwnedBy { get; init; }

    public List<FlagDocument>? Flags { get; init; }

    public SeriesDocument? Series { get; init; }
}

internal sealed class FlagDocument
{
    public int? Bit { get; init; }

    public string? Name { get; init; }

    public bool? Invert { get; init; }

    public string? Description { get; init; }
}

internal sealed class SeriesDocument
{
    public int? FirstBit { get; init; }

    public int? Count { get; init; }

    public string? Name { get; init; }

    public string? Total { get; init; }

    public string? Description { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ProfileDocument))]
internal sealed partial class ProfileJsonContext : JsonSerializerContext;
