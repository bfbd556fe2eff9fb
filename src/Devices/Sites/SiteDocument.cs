using System.Text.Json.Serialization;

namespace Telemetry.Devices.Sites;

// The JSON shape of a site file, as written. Everything is optional and loosely typed here so that
// validation can report every missing or wrong value at once, naming its path and rule, instead of
// stopping at the first deserialisation error. hardware/sites/site.schema.json describes the same shape.

internal sealed class SiteDocument
{
    [JsonPropertyName("$schema")]
    public string? Schema { get; init; }

    public string? Site { get; init; }

    public string? Name { get; init; }

    public double? Latitude { get; init; }

    public double? Longitude { get; init; }

    public string? TimeZone { get; init; }

    public List<HolidayDocument>? Holidays { get; init; }

    public EmergencyTestsDocument? EmergencyTests { get; init; }

    public List<GatewayDocument>? Gateways { get; init; }
}

internal sealed class EmergencyTestsDocument
{
    public bool? Enabled { get; init; }

    public HoursDocument? Window { get; init; }

    public double? MaxShareDischarging { get; init; }

    public double? RechargeH { get; init; }

    public int? FunctionIntervalDays { get; init; }

    public int? OneHourIntervalDays { get; init; }

    public int? FullDurationIntervalDays { get; init; }

    public List<EmergencyGroupDocument>? Groups { get; init; }
}

internal sealed class HoursDocument
{
    public string? From { get; init; }

    public string? To { get; init; }
}

internal sealed class EmergencyGroupDocument
{
    public string? Group { get; init; }

    public double? MaxShareDischarging { get; init; }

    public List<OccupiedDocument>? Occupied { get; init; }
}

internal sealed class OccupiedDocument
{
    public List<string>? Days { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }
}

internal sealed class HolidayDocument
{
    public string? Name { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }
}

internal sealed class GatewayDocument
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public MqttDocument? Mqtt { get; init; }

    public List<LinkDocument>? Links { get; init; }

    public List<DeviceDocument>? Devices { get; init; }
}

internal sealed class MqttDocument
{
    public string? Host { get; init; }

    public int? Port { get; init; }

    public TlsDocument? Tls { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? PasswordEnv { get; init; }
}

internal sealed class TlsDocument
{
    public string? CaFile { get; init; }

    public string? CertFile { get; init; }

    public string? KeyFile { get; init; }
}

internal sealed class LinkDocument
{
    public string? Id { get; init; }

    public TcpDocument? Tcp { get; init; }

    public RtuDocument? Rtu { get; init; }
}

internal sealed class TcpDocument
{
    public string? Host { get; init; }

    public int? Port { get; init; }

    public int? ResponseTimeoutMs { get; init; }
}

internal sealed class RtuDocument
{
    public string? Device { get; init; }

    public int? Baud { get; init; }

    public string? Parity { get; init; }

    public int? DataBits { get; init; }

    public int? StopBits { get; init; }

    public Rs485Document? Rs485 { get; init; }

    public int? ResponseTimeoutMs { get; init; }

    public int? ByteTimeoutMs { get; init; }

    public double? InterFrameGapMs { get; init; }
}

internal sealed class Rs485Document
{
    public bool? Enabled { get; init; }

    public string? Rts { get; init; }

    public int? RtsDelayUs { get; init; }
}

internal sealed class DeviceDocument
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? Family { get; init; }

    public string? Profile { get; init; }

    public string? Link { get; init; }

    public int? Unit { get; init; }

    public double? PollIntervalS { get; init; }

    public int? LampsInstalled { get; init; }

    public LocationDocument? Location { get; init; }

    public string? CrewZone { get; init; }

    public string? Crew { get; init; }

    public bool? DualSupply { get; init; }

    public string? Group { get; init; }

    public List<CircuitDocument>? Circuits { get; init; }

    public string? Commissioned { get; init; }

    public string? WarrantyUntil { get; init; }

    public string? Serial { get; init; }
}

internal sealed class LocationDocument
{
    public double? Lat { get; init; }

    public double? Lon { get; init; }

    public string? Text { get; init; }
}

internal sealed class CircuitDocument
{
    public int? Circuit { get; init; }

    public string? Name { get; init; }

    public int? LampsInstalled { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(SiteDocument))]
internal sealed partial class SiteJsonContext : JsonSerializerContext;
