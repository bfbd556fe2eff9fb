using System.Globalization;
using Telemetry.Api.Plant;
using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Live;

/// <summary>
/// The plant as it is now, kept in memory from the gateways' retained states and telemetry and from the ticket
/// change feed: every site, gateway and device of the site files, plus those that report and no file lists (marked
/// unknown, at most <see cref="MaxUnknownDevices"/> of them, so a misconfigured gateway cannot fill the memory). A
/// change of a gateway's state or of a device's online state or quality is numbered into <see cref="LiveEvents"/>.
/// </summary>
public sealed class LivePlant
{
    /// <summary>A device the site files do not list is expected to report at least this often.</summary>
    public static readonly TimeSpan UnknownPollInterval = TimeSpan.FromMinutes(1);

    /// <summary>A device is silent after this many poll intervals without a reading.</summary>
    public const int SilentAfterPolls = 3;

    private readonly Lock _gate = new();
    private readonly ApiPlant _plant;
    private readonly LiveEvents _events;
    private readonly Dictionary<(string Site, string Gateway), GatewayLive> _gateways = [];
    private readonly Dictionary<(string Site, string Device), DeviceLive> _devices = [];
    private readonly Dictionary<string, OpenFault> _open = new(StringComparer.Ordinal);
    private long _unknownRefused;

    public LivePlant(ApiPlant plant, LiveEvents events, int maxUnknownDevices = 1_000)
    {
        ArgumentNullException.ThrowIfNull(plant);
        _plant = plant;
        _events = events;
        MaxUnknownDevices = maxUnknownDevices;
        foreach (var site in plant.Sites)
        {
            foreach (var gateway in site.Gateways)
            {
                _gateways[(site.Id, gateway.Id)] = new GatewayLive(site.Id, gateway.Id, Known: true);
                foreach (var device in gateway.Devices)
                {
                    _devices[(site.Id, device.Id)] = new DeviceLive(site.Id, gateway.Id, device.Id, device);
                }
            }
        }
    }

    public int MaxUnknownDevices { get; }

    public int UnknownDevices { get; private set; }

    /// <summary>Readings of devices refused because <see cref="MaxUnknownDevices"/> was reached.</summary>
    public long UnknownRefused => Interlocked.Read(ref _unknownRefused);

    public void OnGatewayState(string site, string gateway, GatewayState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_gate)
        {
            var live = GatewayOf(site, gateway);
            if (live is null || (live.State == state.State && live.Since == state.Ts))
            {
                return;
            }

            live.State = state.State;
            live.Since = state.Ts;
            live.Version = state.Version;
            _events.Publish("gateway", site, gateway, null, state.State == GatewayStatus.Online ? "online" : "offline", null, state.Ts);
        }
    }

    /// <summary>The readings of one batch, already checked against the contract.</summary>
    public void OnReadings(string site, string gateway, IEnumerable<Reading> readings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(readings);
        lock (_gate)
        {
            foreach (var reading in readings)
            {
                if (DeviceOf(site, gateway, reading.Device, reading.Family) is not { } device)
                {
                    Interlocked.Increment(ref _unknownRefused);
                    continue;
                }

                var key = reading.Circuit ?? "";
                if (device.Readings.TryGetValue(key, out var last) && last.Ts > reading.Ts)
                {
                    continue;
                }

                device.Readings[key] = reading;
                var wasOnline = device.Online;
                var quality = device.Quality;
                device.LastReadingAt = device.LastReadingAt is { } at && at > reading.Ts ? at : reading.Ts;
                device.Online = IsOnline(device, now);
                device.Quality = reading.Quality;
                if (wasOnline != device.Online || quality != device.Quality)
                {
                    Publish(device, now);
                }
            }
        }
    }

    /// <summary>Marks the devices whose readings stopped as silent.</summary>
    public void Sweep(DateTimeOffset now)
    {
        lock (_gate)
        {
            foreach (var device in _devices.Values)
            {
                if (device.Online && !IsOnline(device, now))
                {
                    device.Online = false;
                    Publish(device, now);
                }
            }
        }
    }

    /// <summary>The tickets not closed when following starts.</summary>
    public void LoadOpen(IEnumerable<Ticket> tickets)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        lock (_gate)
        {
            foreach (var t in tickets.Where(t => t.Status != TicketStatus.Closed))
            {
                var fault = new OpenFault(t.Number.ToString(), t.Asset.Key, t.Fault.ToName(), (int)t.Grade, t.Status.ToName(), t.Crew, t.Version);
                if (!_open.TryGetValue(fault.Number, out var known) || known.Version < fault.Version)
                {
                    _open[fault.Number] = fault;
                }
            }
        }
    }

    public void Apply(TicketChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            var number = change.Number.ToString();
            if (_open.TryGetValue(number, out var known) && known.Version >= change.Version)
            {
                return;
            }

            if (change.Status == TicketStatus.Closed)
            {
                _open.Remove(number);
            }
            else
            {
                _open[number] = new OpenFault(number, change.Asset.Key, change.Fault, (int)change.Grade, change.Status.ToName(), change.Crew, change.Version);
            }
        }
    }

    public IReadOnlyList<SiteSummary> Sites(DateTimeOffset now)
    {
        lock (_gate)
        {
            return [.. SiteIds().Select(id => Summary(id, now))];
        }
    }

    public SiteStatus? Site(string site, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!SiteIds().Contains(site))
            {
                return null;
            }

            var known = _plant.FindSite(site);
            var gateways = _gateways.Values.Where(g => g.Site == site).OrderBy(g => g.Id, StringComparer.Ordinal)
                .Select(g => new GatewayStatusView(
                    g.Id,
                    g.Known,
                    g.State switch { GatewayStatus.Online => "online", GatewayStatus.Offline => "offline", _ => "unknown" },
                    g.Since,
                    g.Version,
                    [.. DevicesOf(site).Where(d => d.Gateway == g.Id).OrderBy(d => d.Id, StringComparer.Ordinal).Select(d => DeviceView(d, now))]))
                .ToList();
            return new SiteStatus(site, known?.Name, known is not null, LightingRate.Sum(DevicesOf(site).Select(Lighting)), FaultsByGrade(site), gateways);
        }
    }

    /// <summary>One device; its open tickets only those of <paramref name="crews"/> when given.</summary>
    public DeviceStatus? Device(string site, string device, IReadOnlySet<string>? crews, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_devices.TryGetValue((site, device), out var live))
            {
                return null;
            }

            var prefix = $"{site}/{live.Gateway}/{device}";
            var tickets = _open.Values
                .Where(f => (f.Asset == prefix || f.Asset.StartsWith(prefix + "/", StringComparison.Ordinal)) && (crews is null || (f.Crew is not null && crews.Contains(f.Crew))))
                .OrderBy(f => f.Grade).ThenBy(f => f.Number, StringComparer.Ordinal)
                .ToList();
            var readings = live.Readings
                .OrderBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => new CircuitStatus(r.Value.Circuit, r.Value.Ts, r.Value.Quality, r.Value.Error, r.Value.Values ?? new Dictionary<string, ReadingValue>(), CircuitLighting(live, r.Value)))
                .ToList();
            return new DeviceStatus(
                site,
                live.Gateway,
                device,
                live.Family,
                live.Site is not null,
                live.Site?.LampsInstalled ?? 0,
                IsOnline(live, now),
                live.LastReadingAt,
                PollInterval(live),
                Lighting(live),
                readings,
                tickets);
        }
    }

    /// <summary>
    /// Whether a device answers: reported on (<paramref name="online"/>), and readable by its gateway. A device the
    /// gateway polls but cannot read still reports, with readings of quality error, yet for the operator it is as good
    /// as offline. The sites' devices online and the plans' colours both count this.
    /// </summary>
    public static bool Answers(bool online, ReadingQuality? quality) => online && quality != ReadingQuality.Error;

    private static bool IsOnline(DeviceLive device, DateTimeOffset now) =>
        device.LastReadingAt is { } at && now - at <= PollInterval(device) * SilentAfterPolls;

    private static TimeSpan PollInterval(DeviceLive device) => device.Site?.PollInterval ?? UnknownPollInterval;

    private static LightingRate? Lighting(DeviceLive device) => LightingRate.Sum(device.Readings.Values.Select(r => CircuitLighting(device, r)));

    /// <summary>Lit over installed for one reading, when lighting is due on there; installed from the site file, else as the device says.</summary>
    private static LightingRate? CircuitLighting(DeviceLive device, Reading reading)
    {
        if (reading.Quality == ReadingQuality.Error || reading.Values is not { } values || !values.TryGetValue(PointNames.LampsLit, out var lit))
        {
            return null;
        }

        var due = (values.TryGetValue(PointNames.CommandedOn, out var on) && on.AsBoolean())
            || (values.TryGetValue(PointNames.ContactorClosed, out var closed) && closed.AsBoolean());
        if (!due)
        {
            return null;
        }

        var installed = InstalledOn(device, reading.Circuit) ?? (values.TryGetValue(PointNames.LampsInstalled, out var said) ? (int)said.AsInteger() : 0);
        return installed > 0 ? new LightingRate((int)Math.Clamp(lit.AsInteger(), 0, installed), installed) : null;
    }

    private static int? InstalledOn(DeviceLive device, string? circuit)
    {
        if (device.Site is not { } known)
        {
            return null;
        }

        if (circuit is null)
        {
            return known.LampsInstalled > 0 ? known.LampsInstalled : known.Circuits.Sum(c => c.LampsInstalled) is > 0 and var sum ? sum : null;
        }

        if (!int.TryParse(circuit, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1 || number > Math.Max(1, known.Profile.CircuitCount))
        {
            return null;
        }

        return known.LampsOn(number);
    }

    private void Publish(DeviceLive device, DateTimeOffset now) =>
        _events.Publish("device", device.SiteId, device.Gateway, device.Id, device.Online ? "online" : "silent", device.Quality is { } q ? Quality(q) : null, now);

    private static string Quality(ReadingQuality quality) => quality switch
    {
        ReadingQuality.Good => "good",
        ReadingQuality.Stale => "stale",
        _ => "error",
    };

    private SortedSet<string> SiteIds()
    {
        var ids = new SortedSet<string>(_plant.Sites.Select(s => s.Id), StringComparer.Ordinal);
        ids.UnionWith(_gateways.Keys.Select(k => k.Site));
        return ids;
    }

    private IEnumerable<DeviceLive> DevicesOf(string site) => _devices.Values.Where(d => d.SiteId == site);

    private SiteSummary Summary(string site, DateTimeOffset now)
    {
        var known = _plant.FindSite(site);
        var gateways = _gateways.Values.Where(g => g.Site == site).ToList();
        var devices = DevicesOf(site).ToList();
        return new SiteSummary(
            site,
            known?.Name,
            known is not null,
            gateways.Count,
            gateways.Count(g => g.State == GatewayStatus.Online),
            devices.Count,

            devices.Count(d => Answers(IsOnline(d, now), d.Quality)),
            LightingRate.Sum(devices.Select(Lighting)),
            FaultsByGrade(site));
    }

    private Dictionary<string, int> FaultsByGrade(string site)
    {
        var prefix = site + "/";
        return _open.Values.Where(f => f.Asset.StartsWith(prefix, StringComparison.Ordinal))
            .GroupBy(f => f.Grade)
            .OrderBy(g => g.Key)
            .ToDictionary(g => string.Create(CultureInfo.InvariantCulture, $"grade_{g.Key}"), g => g.Count(), StringComparer.Ordinal);
    }

    private DeviceStatusView DeviceView(DeviceLive d, DateTimeOffset now)
    {
        var prefix = $"{d.SiteId}/{d.Gateway}/{d.Id}";
        var latest = d.Readings.Values.MaxBy(r => r.Ts);
        return new DeviceStatusView(
            d.Id,
            d.Family,
            d.Site is not null,
            IsOnline(d, now),
            d.LastReadingAt,
            d.Quality,
            d.Readings.Values.Where(r => r.Error is not null).MaxBy(r => r.Ts)?.Error ?? (latest?.Quality == ReadingQuality.Error ? latest.Error : null),
            Lighting(d),
            _open.Values.Count(f => f.Asset == prefix || f.Asset.StartsWith(prefix + "/", StringComparison.Ordinal)));
    }

    private GatewayLive? GatewayOf(string site, string gateway)
    {
        if (_gateways.TryGetValue((site, gateway), out var live))
        {
            return live;
        }

        if (UnknownDevices + _gateways.Count(g => !g.Value.Known) >= MaxUnknownDevices)
        {
            return null;
        }

        return _gateways[(site, gateway)] = new GatewayLive(site, gateway, Known: false);
    }

    private DeviceLive? DeviceOf(string site, string gateway, string device, DeviceFamily family)
    {
        if (_devices.TryGetValue((site, device), out var live))
        {
            return live;
        }

        if (GatewayOf(site, gateway) is null || UnknownDevices >= MaxUnknownDevices)
        {
            return null;
        }

        UnknownDevices++;
        return _devices[(site, device)] = new DeviceLive(site, gateway, device, null) { Family = family.ToContractName() };
    }

    private sealed class GatewayLive(string site, string id, bool Known)
    {
        public string Site { get; } = site;

        public string Id { get; } = id;

        public bool Known { get; } = Known;

        public GatewayStatus? State { get; set; }

        public DateTimeOffset? Since { get; set; }

        public string? Version { get; set; }
    }

    private sealed class DeviceLive(string site, string gateway, string id, SiteDevice? known)
    {
        public string SiteId { get; } = site;

        public string Gateway { get; } = gateway;

        public string Id { get; } = id;

        public SiteDevice? Site { get; } = known;

        public string? Family { get; init; } = known?.Family.ToContractName();

        /// <summary>The last reading per circuit ("" for the whole device).</summary>
        public Dictionary<string, Reading> Readings { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset? LastReadingAt { get; set; }

        public bool Online { get; set; }

        public ReadingQuality? Quality { get; set; }
    }
}
