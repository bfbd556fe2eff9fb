using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;

namespace Telemetry.Rules.Evaluation;

/// <summary>What the engine knows of one gateway: its MQTT session, the devices it reports, their conditions.</summary>
internal sealed class GatewaySession
{
    public GatewaySession(string site, string id, PlantSite? plantSite, SiteDaylight? daylight)
    {
        Site = site;
        Id = id;
        Asset = new AssetRef(site, id);
        Rebind(plantSite, daylight);
    }

    public string Site { get; }

    public string Id { get; }

    public AssetRef Asset { get; }

    /// <summary>The site as its file describes it, or null for a site no file knows.</summary>
    public PlantSite? PlantSite { get; private set; }

    /// <summary>The gateway as its site file describes it, or null.</summary>
    public PlantGateway? Plant { get; private set; }

    /// <summary>True when a site file lists the gateway; an unknown one is tracked only up to a cap.</summary>
    public bool IsKnown => Plant is not null;

    /// <summary>The sun at the site, or null when no file gives the site's position.</summary>
    public SiteDaylight? Daylight { get; private set; }

    /// <summary>Every device reported by or configured on the gateway, by device id.</summary>
    public Dictionary<string, DeviceState> Devices { get; } = new(StringComparer.Ordinal);

    /// <summary>Devices no site file lists that have state in <see cref="Devices"/>, counted against their cap.</summary>
    public int UnknownDevices { get; set; }

    /// <summary>
    /// When (engine clock) a batch last arrived with a reading not refused for its time, whatever its device and
    /// quality; null before the first. It says the gateway, the broker and Rules were all moving then, which device
    /// silence needs.
    /// </summary>
    public DateTimeOffset? LastDelivered { get; set; }

    /// <summary>
    /// The gateway starts delivering (its first batch since Rules started) or comes back online: until now nobody knew
    /// what it polled, so each device gets its full silence limit from <paramref name="now"/>.
    /// </summary>
    public void RestartSilenceLimits(DateTimeOffset now)
    {
        foreach (var device in Devices.Values)
        {
            if (device.LastGood < now)
            {
                device.LastGood = now;
            }
        }
    }

    /// <summary>The gateway itself was reported as unknown (one fault for the gateway, not one per device).</summary>
    public bool UnknownReported { get; set; }

    /// <summary>The last state the gateway published; null before the first.</summary>
    public GatewayStatus? Status { get; set; }

    public DateTimeOffset? OfflineSince { get; set; }

    public bool OfflineActive { get; set; }

    /// <summary>The grade the active gateway-offline fault was last reported with.</summary>
    public FaultGrade OfflineGrade { get; set; } = FaultGrade.Grade2;

    /// <summary>A command refused with no device named (the gateway refused the payload itself).</summary>
    public bool ConfigurationRejected { get; set; }

    /// <summary>While the gateway is offline its devices cannot report, so they are not also reported silent.</summary>
    public bool IsOffline => Status == GatewayStatus.Offline;

    public string? Crew => Plant?.Crew ?? PlantSite?.DefaultCrew;

    public CrewZone Zone => Plant?.Zone ?? PlantSite?.DefaultZone ?? CrewZone.Inner;

    public ResolvedThresholds Thresholds(ThresholdSnapshot snapshot) => snapshot.ForSite(Site);

    public void Rebind(PlantSite? plantSite, SiteDaylight? daylight)
    {
        PlantSite = plantSite;
        Plant = plantSite?.FindGateway(Id);
        Daylight = daylight;
    }
}
