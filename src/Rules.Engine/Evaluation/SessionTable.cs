using Telemetry.Contracts;

namespace Telemetry.Rules.Evaluation;

/// <summary>
/// The state the engine keeps per gateway and device, created on first use. What the site files list is always
/// tracked; what they do not comes from identifiers anyone can invent, so it is capped: so many unknown gateways, and
/// so many unknown devices per known gateway. On an unknown gateway only the devices its site's file lists get
/// state; the rest are reported through the gateway's one fault.
/// </summary>
internal sealed class SessionTable
{
    private readonly Dictionary<(string Site, string Gateway), GatewaySession> sessions = [];
    private readonly Dictionary<string, SiteDaylight> daylight = new(StringComparer.Ordinal);
    private readonly RuleEngineLimits limits;
    private GatewaySession? last;
    private readonly RuleSet rules;
    private int unknownGateways;

    /// <param name="plant">The sites as their files describe them.</param>
    /// <param name="limits">The caps on what no file lists.</param>
    /// <param name="rules">The rules that keep state on each asset.</param>
    public SessionTable(PlantDirectory plant, RuleEngineLimits limits, RuleSet rules)
    {
        Plant = plant;
        this.limits = limits;
        this.rules = rules;
    }

    public PlantDirectory Plant { get; private set; }

    public Dictionary<(string Site, string Gateway), GatewaySession>.ValueCollection All => sessions.Values;

    public int Count => sessions.Count;

    /// <summary>
    /// The session of a gateway, created on first use. Null when the identifiers cannot name an asset, or when
    /// <paramref name="refused"/>: the gateway is unknown and the cap of unknown gateways is reached.
    /// </summary>
    public GatewaySession? Session(string site, string gateway, out bool refused)
    {
        refused = false;

        // Batches come in runs from one gateway; the last session saves the tuple hash most of the time.
        if (last is { } cached && string.Equals(cached.Id, gateway, StringComparison.Ordinal) && string.Equals(cached.Site, site, StringComparison.Ordinal))
        {
            return cached;
        }

        if (!Identifiers.IsValid(site) || !Identifiers.IsValid(gateway))
        {
            return null;
        }

        if (!sessions.TryGetValue((site, gateway), out var session))
        {
            var plantSite = Plant.FindSite(site);
            var known = plantSite?.FindGateway(gateway) is not null;
            if (!known && unknownGateways >= limits.MaxUnknownGateways)
            {
                refused = true;
                return null;
            }

            session = new GatewaySession(site, gateway, plantSite, DaylightOf(site), rules);
            sessions.Add((site, gateway), session);
            if (!known)
            {
                unknownGateways++;
            }
        }

        last = session;
        return session;
    }

    /// <summary>
    /// The state of a device reported through <paramref name="session"/>, created on first use. Null for an id that
    /// cannot name an asset, for a device no file lists on a gateway no file lists (the gateway's fault speaks for
    /// it), and when <paramref name="refused"/>: an unknown device past its gateway's cap.
    /// </summary>
    public DeviceState? Device(GatewaySession session, string id, DeviceFamily? family, DateTimeOffset now, out bool refused)
    {
        refused = false;
        if (session.Devices.TryGetValue(id, out var device))
        {
            return device;
        }

        if (!Identifiers.IsValid(id))
        {
            return null;
        }

        var known = session.PlantSite?.FindDevice(id);
        if (known is null)
        {
            if (!session.IsKnown)
            {
                return null;
            }

            if (session.UnknownDevices >= limits.MaxUnknownDevicesPerGateway)
            {
                refused = true;
                return null;
            }

            session.UnknownDevices++;
        }

        device = new DeviceState(session, id, family ?? known?.Family ?? default, known, now);
        session.Devices.Add(id, device);
        return device;
    }

    /// <summary>
    /// Site files reloaded: sessions and devices keep their state and take their new description; what is unknown
    /// is counted again (a reload may make a gateway or device known, or forget one), and new devices are watched.
    /// </summary>
    public void Replace(PlantDirectory plant, DateTimeOffset now)
    {
        Plant = plant;
        daylight.Clear();
        unknownGateways = 0;
        foreach (var session in sessions.Values)
        {
            var site = plant.FindSite(session.Site);
            session.Rebind(site, DaylightOf(session.Site));
            session.UnknownDevices = 0;
            foreach (var device in session.Devices.Values)
            {
                device.Rebind(site?.FindDevice(device.Id));
                if (device.Plant is null)
                {
                    session.UnknownDevices++;
                }
            }

            if (!session.IsKnown)
            {
                unknownGateways++;
            }
        }

        Watch(now);
    }

    /// <summary>Every device of the plant gets its state now, so that one that never reports is found silent while its gateway delivers.</summary>
    public void Watch(DateTimeOffset now)
    {
        foreach (var site in Plant.Sites)
        {
            foreach (var gateway in site.Gateways)
            {
                if (Session(site.Id, gateway.Id, out _) is not { } session)
                {
                    continue;
                }

                foreach (var device in gateway.Devices)
                {
                    Device(session, device.Id, device.Family, now, out _);
                }
            }
        }
    }

    private SiteDaylight? DaylightOf(string site)
    {
        if (daylight.TryGetValue(site, out var sun))
        {
            return sun;
        }

        if (Plant.FindSite(site) is not { } known)
        {
            return null;
        }

        sun = new SiteDaylight(known.Latitude, known.Longitude);
        daylight.Add(site, sun);
        return sun;
    }
}
