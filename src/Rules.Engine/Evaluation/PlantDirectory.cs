using Telemetry.Contracts;
using Telemetry.Devices.Sites;

namespace Telemetry.Rules.Evaluation;

/// <summary>
/// What the site files say about every site, gateway and device, looked up by the identifiers readings carry.
/// Immutable: a reload builds a new directory and hands it to <see cref="RuleEngine.ReplacePlant"/>.
/// </summary>
public sealed class PlantDirectory
{
    private readonly Dictionary<string, PlantSite> sites = new(StringComparer.Ordinal);

    /// <param name="sites">The loaded sites; site ids must be unique.</param>
    /// <exception cref="ArgumentException">Two sites share an id.</exception>
    public PlantDirectory(IEnumerable<Site> sites)
    {
        ArgumentNullException.ThrowIfNull(sites);
        foreach (var site in sites)
        {
            if (!this.sites.TryAdd(site.Id, new PlantSite(site)))
            {
                throw new ArgumentException($"site '{site.Id}' is given twice ({site.Source})", nameof(sites));
            }
        }
    }

    /// <summary>Every site, in no particular order.</summary>
    public IEnumerable<PlantSite> Sites => sites.Values;

    /// <summary>The site called <paramref name="site"/>, or null.</summary>
    public PlantSite? FindSite(string site) => sites.GetValueOrDefault(site);

    /// <summary>The gateway <paramref name="gateway"/> of <paramref name="site"/>, or null.</summary>
    public PlantGateway? FindGateway(string site, string gateway) => FindSite(site)?.FindGateway(gateway);

    /// <summary>The device <paramref name="device"/> of <paramref name="site"/> (device ids are unique within a site), or null.</summary>
    public PlantDevice? FindDevice(string site, string device) => FindSite(site)?.FindDevice(device);
}

/// <summary>A site: where it is (for the sun), its local time zone (for controller clocks), its gateways and devices.</summary>
public sealed class PlantSite
{
    private readonly Dictionary<string, PlantGateway> gateways = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PlantDevice> devices = new(StringComparer.Ordinal);

    internal PlantSite(Site site)
    {
        Site = site;
        foreach (var gateway in site.Gateways)
        {
            var entry = new PlantGateway(this, gateway);
            gateways[gateway.Id] = entry;
            foreach (var device in entry.Devices)
            {
                devices[device.Id] = device;
            }
        }

        (DefaultCrew, DefaultZone) = MostCommonCrew(devices.Values);
    }

    public Site Site { get; }

    public string Id => Site.Id;

    public double Latitude => Site.Latitude;

    public double Longitude => Site.Longitude;

    public TimeZoneInfo TimeZone => Site.TimeZone;

    /// <summary>The crew most of the site's devices name, for assets no device's file covers (null when none does).</summary>
    public string? DefaultCrew { get; }

    /// <summary>The zone that goes with <see cref="DefaultCrew"/>.</summary>
    public CrewZone DefaultZone { get; }

    public IEnumerable<PlantGateway> Gateways => gateways.Values;

    public PlantGateway? FindGateway(string gateway) => gateways.GetValueOrDefault(gateway);

    public PlantDevice? FindDevice(string device) => devices.GetValueOrDefault(device);

    /// <summary>
    /// The crew named by most of <paramref name="devices"/> and the zone most of that crew's devices lie in.
    /// With no crew named anywhere the zone is the inner ring, the strictest target, so an asset nobody placed
    /// is never handled later than it should be.
    /// </summary>
    internal static (string? Crew, CrewZone Zone) MostCommonCrew(IEnumerable<PlantDevice> devices)
    {
        var byCrew = new Dictionary<string, (int Count, Dictionary<CrewZone, int> Zones)>(StringComparer.Ordinal);
        foreach (var device in devices)
        {
            if (device.Crew is not { } crew)
            {
                continue;
            }

            if (!byCrew.TryGetValue(crew, out var tally))
            {
                tally = (0, []);
            }

            tally.Zones[device.Zone] = tally.Zones.GetValueOrDefault(device.Zone) + 1;
            byCrew[crew] = (tally.Count + 1, tally.Zones);
        }

        if (byCrew.Count == 0)
        {
            return (null, CrewZone.Inner);
        }

        var best = byCrew.OrderByDescending(c => c.Value.Count).ThenBy(c => c.Key, StringComparer.Ordinal).First();
        var zone = best.Value.Zones.OrderByDescending(z => z.Value).ThenBy(z => z.Key).First().Key;
        return (best.Key, zone);
    }
}

/// <summary>A gateway of a site and the devices it polls.</summary>
public sealed class PlantGateway
{
    private readonly string? ownCrew;
    private readonly CrewZone ownZone;

    internal PlantGateway(PlantSite site, SiteGateway gateway)
    {
        Site = site;
        Gateway = gateway;
        Devices = [.. gateway.Devices.Select(d => new PlantDevice(site, this, d))];
        (ownCrew, ownZone) = PlantSite.MostCommonCrew(Devices);
    }

    public PlantSite Site { get; }

    public SiteGateway Gateway { get; }

    public string Id => Gateway.Id;

    /// <summary>The devices the gateway polls, in file order.</summary>
    public IReadOnlyList<PlantDevice> Devices { get; }

    /// <summary>The crew of most of the gateway's devices (a gateway fault goes to them), else the site's default.</summary>
    public string? Crew => ownCrew ?? Site.DefaultCrew;

    /// <summary>The zone that goes with <see cref="Crew"/>.</summary>
    public CrewZone Zone => ownCrew is null ? Site.DefaultZone : ownZone;
}

/// <summary>One device as its site file places it: what it is, how often it is read, its lamps, who looks after it.</summary>
public sealed class PlantDevice
{
    private readonly int[] lampsByCircuit;

    internal PlantDevice(PlantSite site, PlantGateway gateway, SiteDevice device)
    {
        Site = site;
        Gateway = gateway;
        Device = device;
        var circuits = Math.Max(1, device.Profile.CircuitCount);
        lampsByCircuit = new int[circuits + 1];
        for (var circuit = 1; circuit <= circuits; circuit++)
        {
            lampsByCircuit[circuit] = device.LampsOn(circuit);
        }
    }

    public PlantSite Site { get; }

    public PlantGateway Gateway { get; }

    public SiteDevice Device { get; }

    public string Id => Device.Id;

    public DeviceFamily Family => Device.Family;

    /// <summary>Lamps on the whole device (the sum over its circuits).</summary>
    public int LampsInstalled => Device.LampsInstalled;

    public TimeSpan PollInterval => Device.PollInterval;

    public string? Crew => Device.Crew;

    public CrewZone Zone => Device.CrewZone;

    /// <summary>Number of circuits of the model (at least one).</summary>
    public int CircuitCount => lampsByCircuit.Length - 1;

    /// <summary>Lamps on circuit <paramref name="circuit"/> (1-based) as the site file says; 0 for a circuit the model does not have.</summary>
    public int LampsOn(int circuit) => circuit >= 1 && circuit < lampsByCircuit.Length ? lampsByCircuit[circuit] : 0;
}
