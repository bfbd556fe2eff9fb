namespace Telemetry.Devices.Sites;

/// <summary>A plant as a site file describes it: where it is, its gateways, their links and devices. Validated.</summary>
public sealed record Site
{
    /// <summary>Site id: the <c>{site}</c> level of the MQTT topics and the <c>site</c> tag in InfluxDB.</summary>
    public required string Id { get; init; }

    /// <summary>Name for people.</summary>
    public required string Name { get; init; }

    /// <summary>Degrees north (negative south), for sunset and sunrise.</summary>
    public required double Latitude { get; init; }

    /// <summary>Degrees east (negative west), for sunset and sunrise.</summary>
    public required double Longitude { get; init; }

    /// <summary>The local time zone (an IANA id such as <c>Asia/Shanghai</c>), in which schedules and controller clocks run.</summary>
    public required TimeZoneInfo TimeZone { get; init; }

    /// <summary>The public holidays of the site's calendar, in date order: special patrols before each, no working day within.</summary>
    public IReadOnlyList<SiteHoliday> Holidays { get; init; } = [];

    /// <summary>When the gateways test the emergency units by themselves; null when they test only on command.</summary>
    public EmergencyTestSchedule? EmergencyTests { get; init; }

    /// <summary>The edge gateways of the site.</summary>
    public required IReadOnlyList<SiteGateway> Gateways { get; init; }

    /// <summary>Where the site was loaded from (a file path or a name given by the caller).</summary>
    public string Source { get; init; } = "";

    /// <summary>Every device of every gateway, in file order.</summary>
    public IEnumerable<SiteDevice> Devices => Gateways.SelectMany(g => g.Devices);

    /// <summary>The gateway called <paramref name="id"/>, or null.</summary>
    public SiteGateway? FindGateway(string id) => Gateways.FirstOrDefault(g => g.Id == id);

    /// <summary>The device called <paramref name="id"/> (device ids are unique in a site), or null.</summary>
    public SiteDevice? FindDevice(string id) => Devices.FirstOrDefault(d => d.Id == id);

    /// <summary>Whether <paramref name="date"/> is a working day: Monday to Friday and not within a holiday.</summary>
    public bool IsWorkingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !Holidays.Any(h => h.Contains(date));
}

/// <summary>A public holiday of a site's calendar, one day or several.</summary>
/// <param name="Name">What people call it (<c>春节</c>).</param>
/// <param name="From">Its first day.</param>
/// <param name="To">Its last day (equal to <paramref name="From"/> for one day).</param>
public sealed record SiteHoliday(string Name, DateOnly From, DateOnly To)
{
    /// <summary>Whether <paramref name="date"/> is one of the holiday's days.</summary>
    public bool Contains(DateOnly date) => date >= From && date <= To;
}

/// <summary>One edge gateway: its broker connection, its field links, and the devices it polls.</summary>
public sealed record SiteGateway
{
    /// <summary>Gateway id: the <c>{gateway}</c> level of the MQTT topics.</summary>
    public required string Id { get; init; }

    /// <summary>Name for people, if given.</summary>
    public string? Name { get; init; }

    /// <summary>Where the gateway publishes.</summary>
    public required MqttEndpoint Mqtt { get; init; }

    /// <summary>Modbus TCP endpoints and RS-485 buses, in file order.</summary>
    public required IReadOnlyList<SiteLink> Links { get; init; }

    /// <summary>The devices the gateway polls, in file order.</summary>
    public required IReadOnlyList<SiteDevice> Devices { get; init; }

    /// <summary>The link called <paramref name="id"/>, or null.</summary>
    public SiteLink? FindLink(string id) => Links.FirstOrDefault(l => l.Id == id);

    /// <summary>The devices on link <paramref name="linkId"/>, in file order.</summary>
    public IEnumerable<SiteDevice> DevicesOn(string linkId) => Devices.Where(d => d.LinkId == linkId);
}

/// <summary>The MQTT broker a gateway publishes to.</summary>
public sealed record MqttEndpoint
{
    /// <summary>Broker host name or address.</summary>
    public required string Host { get; init; }

    /// <summary>Broker port: 1883 by default, 8883 with TLS.</summary>
    public required int Port { get; init; }

    /// <summary>TLS settings; null for a plain connection.</summary>
    public MqttTls? Tls { get; init; }

    /// <summary>User name, if the broker wants one.</summary>
    public string? Username { get; init; }

    /// <summary>The password written in the file (for demos); prefer <see cref="PasswordEnvironmentVariable"/>.</summary>
    public string? Password { get; init; }

    /// <summary>The environment variable holding the password, so the file holds no secret.</summary>
    public string? PasswordEnvironmentVariable { get; init; }

    /// <summary>The password: the file's, else the named environment variable's (null when neither is set).</summary>
    /// <param name="environment">Reads an environment variable; <see cref="Environment.GetEnvironmentVariable(string)"/> when null.</param>
    public string? ResolvePassword(Func<string, string?>? environment = null) =>
        Password ?? (PasswordEnvironmentVariable is { } name ? (environment ?? Environment.GetEnvironmentVariable)(name) : null);
}

/// <summary>TLS towards the broker. Paths are resolved (absolute).</summary>
/// <param name="CaFile">PEM file of the authorities trusted for the broker's certificate; null for the system's.</param>
/// <param name="CertFile">PEM client certificate, for brokers that authenticate clients by certificate.</param>
/// <param name="KeyFile">PEM private key of <paramref name="CertFile"/>.</param>
public sealed record MqttTls(string? CaFile, string? CertFile, string? KeyFile);
