using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;

namespace Telemetry.Rules.Evaluation;

/// <summary>What the engine knows of one gateway: its MQTT session, the devices it reports, their conditions.</summary>
internal sealed class GatewaySession
{
    private ThresholdSnapshot? resolvedFrom;
    private ResolvedThresholds? thresholds;

    public GatewaySession(string site, string id, PlantSite? plantSite, SiteDaylight? daylight, RuleSet rules)
    {
        Rules = rules;
        RuleStates = new object?[rules.Count];
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

    /// <summary>The last state the gateway published; null before the first.</summary>
    public GatewayStatus? Status { get; set; }

    /// <summary>The rules judging the gateway, its devices and circuits.</summary>
    public RuleSet Rules { get; }

    /// <summary>Each rule's state on this gateway, by the rule's slot in its set; null until the rule first needs it.</summary>
    public object?[] RuleStates { get; }

    /// <summary>While the gateway is offline its devices cannot report, so they are not also reported silent.</summary>
    public bool IsOffline => Status == GatewayStatus.Offline;

    public string? Crew => Plant?.Crew ?? PlantSite?.DefaultCrew;

    public CrewZone Zone => Plant?.Zone ?? PlantSite?.DefaultZone ?? CrewZone.Inner;

    /// <summary>The site's thresholds of the snapshot last passed to <see cref="Resolve"/>.</summary>
    public ResolvedThresholds Thresholds => thresholds ?? throw new InvalidOperationException("thresholds are resolved before rules run");

    /// <summary>Resolves the site's thresholds once per snapshot: a new snapshot applies from the next call.</summary>
    public void Resolve(ThresholdSnapshot snapshot)
    {
        if (!ReferenceEquals(snapshot, resolvedFrom))
        {
            thresholds = snapshot.ForSite(Site);
            resolvedFrom = snapshot;
        }
    }

    public void Rebind(PlantSite? plantSite, SiteDaylight? daylight)
    {
        PlantSite = plantSite;
        Plant = plantSite?.FindGateway(Id);
        Daylight = daylight;
    }
}
