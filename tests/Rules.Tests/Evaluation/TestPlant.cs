using Telemetry.Contracts;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;

namespace Telemetry.Rules.Tests.Evaluation;

/// <summary>A hand-built site in Shanghai (the demo site's place) with one device of every family on one gateway.</summary>
internal static class TestPlant
{
    public const string SiteId = "shanghai";
    public const string GatewayId = "gw-1";
    public const double Latitude = 31.2304;
    public const double Longitude = 121.4737;

    /// <summary>20:00 China Standard Time on 22 November 2026: well after sunset (about 17:00).</summary>
    public static readonly DateTimeOffset Night = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    /// <summary>12:00 China Standard Time on 22 November 2026: the sun is high.</summary>
    public static readonly DateTimeOffset Noon = new(2026, 11, 22, 4, 0, 0, TimeSpan.Zero);

    public static Site Site(string id = SiteId, params SiteGateway[] extraGateways) => new()
    {
        Id = id,
        Name = "Test district",
        Latitude = Latitude,
        Longitude = Longitude,
        TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"),
        Gateways = [Gateway(GatewayId, DefaultDevices(GatewayId)), .. extraGateways],
    };

    public static SiteGateway Gateway(string id, IReadOnlyList<SiteDevice> devices) => new()
    {
        Id = id,
        Mqtt = new MqttEndpoint { Host = "127.0.0.1", Port = 1883 },
        Links = [],
        Devices = devices,
    };

    public static IReadOnlyList<SiteDevice> DefaultDevices(string gateway) =>
    [
        Device("mast-01", gateway, DeviceFamily.HighMast, "jg-hmc24", 0, TimeSpan.FromSeconds(15), lamps: 12, crew: "crew-masts", zone: CrewZone.Second),
        Device("sc-01", gateway, DeviceFamily.StreetController, "mg-slc4", 2, TimeSpan.FromSeconds(10), lamps: 46, crew: "crew-central", zone: CrewZone.Inner,
            circuits: [new SiteCircuit(1, "Renmin Road north", 24), new SiteCircuit(2, "Renmin Road south", 22)]),
        Device("box-01", gateway, DeviceFamily.DistributionBox, "ak-dbm300", 0, TimeSpan.FromSeconds(15), crew: "crew-central", zone: CrewZone.Inner),
        Device("eps-01", gateway, DeviceFamily.EmergencyBattery, "yd-eps1k", 0, TimeSpan.FromSeconds(30), crew: "crew-central", zone: CrewZone.Third),
        Device("ltc-01", gateway, DeviceFamily.LightTimeController, "sk-ltc4", 4, TimeSpan.FromSeconds(30), crew: "crew-north", zone: CrewZone.Third),
        Device("ltc-02", gateway, DeviceFamily.LightTimeController, "kg-316m", 2, TimeSpan.FromSeconds(30), crew: "crew-central", zone: CrewZone.Second),
    ];

    public static SiteDevice Device(
        string id,
        string gateway,
        DeviceFamily family,
        string model,
        int circuitCount,
        TimeSpan pollInterval,
        int lamps = 0,
        string? crew = null,
        CrewZone zone = CrewZone.Inner,
        IReadOnlyList<SiteCircuit>? circuits = null) => new()
        {
            Id = id,
            GatewayId = gateway,
            Family = family,
            Profile = new DeviceProfile
            {
                Model = model,
                Manufacturer = "test",
                Family = family,
                Links = [LinkType.Tcp],
                CircuitCount = circuitCount,
                Points = [],
            },
            LinkId = "tcp-1",
            UnitId = 1,
            PollInterval = pollInterval,
            LampsInstalled = lamps,
            CrewZone = zone,
            Crew = crew,
            Circuits = circuits ?? [],
        };
}
