using Telemetry.Contracts;

namespace Telemetry.Api.Live;

/// <summary>Lamps lit over lamps installed, counted only where lighting is due on (commanded on or contactor closed).</summary>
public sealed record LightingRate(int LampsLit, int LampsInstalled)
{
    /// <summary>Lit over installed, 0 to 1; null when no lamp is installed where lighting is due.</summary>
    public double? Rate => LampsInstalled > 0 ? Math.Round((double)LampsLit / LampsInstalled, 4) : null;

    public static LightingRate? Sum(IEnumerable<LightingRate?> rates)
    {
        var due = rates.OfType<LightingRate>().ToList();
        return due.Count == 0 ? null : new LightingRate(due.Sum(r => r.LampsLit), due.Sum(r => r.LampsInstalled));
    }
}

/// <summary>A site in the list: counts, lighting, gateways online, devices answering (online and readable), and open faults by grade (<c>grade_1</c>...).</summary>
public sealed record SiteSummary(
    string Id,
    string? Name,
    bool Known,
    int Gateways,
    int GatewaysOnline,
    int Devices,
    int DevicesOnline,
    LightingRate? Lighting,
    IReadOnlyDictionary<string, int> OpenFaults);

public sealed record SiteStatus(string Id, string? Name, bool Known, LightingRate? Lighting, IReadOnlyDictionary<string, int> OpenFaults, IReadOnlyList<GatewayStatusView> Gateways);

/// <summary>A gateway: <c>online</c>/<c>offline</c> from its retained state, <c>unknown</c> before it said either.</summary>
public sealed record GatewayStatusView(string Id, bool Known, string State, DateTimeOffset? Since, string? Version, IReadOnlyList<DeviceStatusView> Devices);

/// <summary>A device in a site's list. Online: a reading came within 3 poll intervals.</summary>
public sealed record DeviceStatusView(
    string Id,
    string? Family,
    bool Known,
    bool Online,
    DateTimeOffset? LastReadingAt,
    ReadingQuality? Quality,
    string? Error,
    LightingRate? Lighting,
    int OpenFaults);

/// <summary>One device with its last values per circuit (<c>circuit</c> null: the whole device) and its open tickets.</summary>
public sealed record DeviceStatus(
    string Site,
    string Gateway,
    string Id,
    string? Family,
    bool Known,
    int LampsInstalled,
    bool Online,
    DateTimeOffset? LastReadingAt,
    TimeSpan PollInterval,
    LightingRate? Lighting,
    IReadOnlyList<CircuitStatus> Readings,
    IReadOnlyList<OpenFault> OpenTickets);

public sealed record CircuitStatus(string? Circuit, DateTimeOffset Ts, ReadingQuality Quality, string? Error, IReadOnlyDictionary<string, ReadingValue> Values, LightingRate? Lighting);

/// <summary>A ticket not closed, as the change feed last told it.</summary>
public sealed record OpenFault(string Number, string Asset, string Fault, int Grade, string Status, string? Crew, long Version);
