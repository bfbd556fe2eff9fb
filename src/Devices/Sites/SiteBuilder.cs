using System.Globalization;
using System.Text.RegularExpressions;
using Telemetry.Contracts;
using Telemetry.Devices.Profiles;

namespace Telemetry.Devices.Sites;

/// <summary>Turns a <see cref="SiteDocument"/> into a <see cref="Site"/>, collecting every broken rule with its JSON path.</summary>
internal sealed partial class SiteBuilder
{
    /// <summary>Poll intervals the gateway accepts, in seconds.</summary>
    public const double MinPollIntervalSeconds = 1;

    /// <summary>Poll intervals the gateway accepts, in seconds.</summary>
    public const double MaxPollIntervalSeconds = 3600;

    private const int MaxLamps = 10_000;

    private const int MaxSerialLength = 64;

    // The rates termios knows; a serial driver refuses others (libmodbus would even fall back to 9600 silently).
    private static readonly int[] BaudRates =
    [
        110, 300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 500000, 576000,
        921600, 1000000, 1152000, 1500000, 2500000, 3000000, 3500000, 4000000,
    ];

    private readonly string source;
    private readonly ProfileCatalog profiles;
    private readonly string pathRoot;
    private readonly List<SiteError> errors = [];

    private SiteBuilder(string source, ProfileCatalog profiles, string pathRoot)
    {
        this.source = source;
        this.profiles = profiles;
        this.pathRoot = pathRoot;
    }

    public static IReadOnlyList<int> SupportedBaudRates => BaudRates;

    /// <summary>The site, or null with the broken rules in <paramref name="errors"/>.</summary>
    public static Site? Build(SiteDocument document, string source, ProfileCatalog profiles, string pathRoot, List<SiteError> errors)
    {
        var builder = new SiteBuilder(source, profiles, pathRoot);
        var site = builder.Build(document);
        errors.AddRange(builder.errors);
        return builder.errors.Count == 0 ? site : null;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentVariablePattern();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9.\-:\[\]%]*[A-Za-z0-9\]])?$")]
    private static partial Regex HostPattern();

    private Site? Build(SiteDocument document)
    {
        var id = RequireIdentifier(document.Site, "$.site", "site");
        var name = document.Name;
        if (string.IsNullOrWhiteSpace(name))
        {
            Error("$.name", SiteRule.MissingField, "'name' is required");
        }

        var latitude = Coordinate(document.Latitude, "$.latitude", 90, required: true);
        var longitude = Coordinate(document.Longitude, "$.longitude", 180, required: true);
        var timeZone = ParseTimeZone(document.TimeZone);
        var holidays = BuildHolidays(document.Holidays);

        var gateways = new List<SiteGateway>();
        if (document.Gateways is null || document.Gateways.Count == 0)
        {
            Error("$.gateways", SiteRule.MissingField, "a site needs at least one gateway");
        }

        var gatewayIds = new HashSet<string>(StringComparer.Ordinal);
        var deviceIds = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < (document.Gateways?.Count ?? 0); i++)
        {
            var path = $"$.gateways[{i}]";
            if (document.Gateways![i] is null)
            {
                Error(path, SiteRule.MalformedJson, "a gateway must be an object, not null");
                continue;
            }

            var gateway = BuildGateway(document.Gateways[i], path, deviceIds);
            if (gateway is not null && !gatewayIds.Add(gateway.Id))
            {
                Error($"{path}.id", SiteRule.DuplicateId, $"gateway id '{gateway.Id}' is used by an earlier gateway");
            }

            if (gateway is not null)
            {
                gateways.Add(gateway);
            }
        }

        var emergencyTests = BuildEmergencyTests(document.EmergencyTests, gateways);
        if (errors.Count > 0)
        {
            return null;
        }

        return new Site
        {
            EmergencyTests = emergencyTests,
            Id = id!,
            Name = name!,
            Latitude = latitude!.Value,
            Longitude = longitude!.Value,
            TimeZone = timeZone!,
            Holidays = holidays,
            Gateways = gateways,
            Source = source,
        };
    }

    private List<SiteHoliday> BuildHolidays(List<HolidayDocument>? documents)
    {
        var holidays = new List<SiteHoliday>();
        for (var i = 0; i < (documents?.Count ?? 0); i++)
        {
            var path = $"$.holidays[{i}]";
            var document = documents![i];
            if (document is null)
            {
                Error(path, SiteRule.MalformedJson, "a holiday must be an object, not null");
                continue;
            }

            if (string.IsNullOrWhiteSpace(document.Name))
            {
                Error($"{path}.name", SiteRule.InvalidHoliday, "a holiday needs a 'name'");
            }

            var from = HolidayDate(document.From, $"{path}.from", "from");
            var to = document.To is null ? from : HolidayDate(document.To, $"{path}.to", "to");
            if (from is null || to is null || string.IsNullOrWhiteSpace(document.Name))
            {
                continue;
            }

            if (to < from)
            {
                Error($"{path}.to", SiteRule.InvalidHoliday, $"holiday '{document.Name}' ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd})");
                continue;
            }

            var holiday = new SiteHoliday(document.Name, from.Value, to.Value);
            if (holidays.FirstOrDefault(h => h.From <= holiday.To && holiday.From <= h.To) is { } other)
            {
                Error(path, SiteRule.InvalidHoliday, $"holiday '{holiday.Name}' overlaps '{other.Name}'");
                continue;
            }

            holidays.Add(holiday);
        }

        return [.. holidays.OrderBy(h => h.From)];
    }

    private DateOnly? HolidayDate(string? text, string path, string field)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
        {
            return date;
        }

        Error(path, SiteRule.InvalidHoliday, $"holiday '{field}' must be a date written yyyy-MM-dd, not '{text}'");
        return null;
    }

    private TimeZoneInfo? ParseTimeZone(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            Error("$.time_zone", SiteRule.MissingField, "'time_zone' is required (an IANA id such as Asia/Shanghai)");
            return null;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(text, out var zone))
        {
            return zone;
        }

        Error("$.time_zone", SiteRule.UnknownTimeZone, $"time zone '{text}' is not a known IANA time zone id (such as Asia/Shanghai or UTC)");
        return null;
    }

    private SiteGateway? BuildGateway(GatewayDocument document, string path, Dictionary<string, string> deviceIds)
    {
        var id = RequireIdentifier(document.Id, $"{path}.id", "gateway id");
        var mqtt = BuildMqtt(document.Mqtt, $"{path}.mqtt");

        var links = new List<SiteLink>();
        var linkIds = new HashSet<string>(StringComparer.Ordinal);
        var endpoints = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document.Links is null || document.Links.Count == 0)
        {
            Error($"{path}.links", SiteRule.MissingField, "a gateway needs at least one link");
        }

        for (var i = 0; i < (document.Links?.Count ?? 0); i++)
        {
            var linkPath = $"{path}.links[{i}]";
            if (document.Links![i] is null)
            {
                Error(linkPath, SiteRule.MalformedJson, "a link must be an object, not null");
                continue;
            }

            var link = BuildLink(document.Links[i], linkPath);

            // A link declared with a valid id counts as declared even when its settings are broken, so its
            // devices are not also reported as naming an unknown link.
            if (Identifiers.IsValid(document.Links[i].Id) && !linkIds.Add(document.Links[i].Id!))
            {
                Error($"{linkPath}.id", SiteRule.DuplicateId, $"link id '{document.Links[i].Id}' is used by an earlier link of this gateway");
                continue;
            }

            if (link is null)
            {
                continue;
            }

            var endpoint = link switch
            {
                TcpLink tcp => $"tcp://{tcp.Host.ToLowerInvariant()}:{tcp.Port}",
                RtuLink rtu => rtu.Device,
                _ => link.Id,
            };
            if (endpoints.TryGetValue(endpoint, out var other))
            {
                Error(linkPath, SiteRule.DuplicateEndpoint, $"link '{link.Id}' reaches {endpoint}, as link '{other}' does");
            }
            else
            {
                endpoints[endpoint] = link.Id;
            }

            links.Add(link);
        }

        var devices = new List<SiteDevice>();
        var units = new Dictionary<(string Link, int Unit), string>();
        if (document.Devices is null || document.Devices.Count == 0)
        {
            Error($"{path}.devices", SiteRule.MissingField, "a gateway needs at least one device");
        }

        for (var i = 0; i < (document.Devices?.Count ?? 0); i++)
        {
            var devicePath = $"{path}.devices[{i}]";
            if (document.Devices![i] is null)
            {
                Error(devicePath, SiteRule.MalformedJson, "a device must be an object, not null");
                continue;
            }

            var device = BuildDevice(document.Devices[i], devicePath, id ?? "", links, linkIds);
            if (device is null)
            {
                continue;
            }

            if (deviceIds.TryGetValue(device.Id, out var firstPath))
            {
                Error($"{devicePath}.id", SiteRule.DuplicateId, $"device id '{device.Id}' is already used at {firstPath}");
                continue;
            }

            deviceIds[device.Id] = devicePath;
            if (units.TryGetValue((device.LinkId, device.UnitId), out var holder))
            {
                Error($"{devicePath}.unit", SiteRule.DuplicateUnitId, $"unit {device.UnitId} on link '{device.LinkId}' is already device '{holder}'");
                continue;
            }

            units[(device.LinkId, device.UnitId)] = device.Id;
            devices.Add(device);
        }

        if (id is null || mqtt is null)
        {
            return null;
        }

        return new SiteGateway { Id = id, Name = document.Name, Mqtt = mqtt, Links = links, Devices = devices };
    }

    private MqttEndpoint? BuildMqtt(MqttDocument? document, string path)
    {
        if (document is null)
        {
            Error(path, SiteRule.MissingField, "'mqtt' is required (at least its host)");
            return null;
        }

        var ok = true;
        if (!ValidHost(document.Host, $"{path}.host"))
        {
            ok = false;
        }

        MqttTls? tls = null;
        if (document.Tls is { } t)
        {
            if ((t.CertFile is null) != (t.KeyFile is null))
            {
                Error($"{path}.tls", SiteRule.ConflictingFields, "a client certificate needs its key: give both 'cert_file' and 'key_file', or neither");
                ok = false;
            }

            ok &= IsPath(t.CaFile, $"{path}.tls.ca_file") & IsPath(t.CertFile, $"{path}.tls.cert_file") & IsPath(t.KeyFile, $"{path}.tls.key_file");
            tls = new MqttTls(ResolvePath(t.CaFile), ResolvePath(t.CertFile), ResolvePath(t.KeyFile));
        }

        var port = document.Port ?? (tls is null ? 1883 : 8883);
        if (port is < 1 or > 65535)
        {
            Error($"{path}.port", SiteRule.InvalidPort, $"port {port} is outside 1..65535");
            ok = false;
        }

        if (document.Password is not null && document.PasswordEnv is not null)
        {
            Error($"{path}.password_env", SiteRule.ConflictingFields, "give either 'password' or 'password_env', not both");
            ok = false;
        }

        if (document.PasswordEnv is { } variable && !EnvironmentVariablePattern().IsMatch(variable))
        {
            Error($"{path}.password_env", SiteRule.InvalidEnvironmentVariable, $"'{variable}' is not an environment variable name (letters, digits and '_', not starting with a digit)");
            ok = false;
        }

        if ((document.Password is not null || document.PasswordEnv is not null) && string.IsNullOrEmpty(document.Username))
        {
            Error($"{path}.username", SiteRule.MissingField, "a password needs a 'username'");
            ok = false;
        }

        return ok
            ? new MqttEndpoint
            {
                Host = document.Host!,
                Port = port,
                Tls = tls,
                Username = document.Username,
                Password = document.Password,
                PasswordEnvironmentVariable = document.PasswordEnv,
            }
            : null;
    }

    private SiteLink? BuildLink(LinkDocument document, string path)
    {
        var id = RequireIdentifier(document.Id, $"{path}.id", "link id");
        if (document.Tcp is not null && document.Rtu is not null)
        {
            Error(path, SiteRule.ConflictingFields, "a link is either 'tcp' or 'rtu', not both");
            return null;
        }

        if (document.Tcp is { } tcp)
        {
            var ok = ValidHost(tcp.Host, $"{path}.tcp.host");
            if (tcp.Port is null)
            {
                Error($"{path}.tcp.port", SiteRule.MissingField, "'port' is required");
                ok = false;
            }
            else if (tcp.Port is < 1 or > 65535)
            {
                Error($"{path}.tcp.port", SiteRule.InvalidPort, $"port {tcp.Port} is outside 1..65535");
                ok = false;
            }

            var timeout = Milliseconds(tcp.ResponseTimeoutMs, $"{path}.tcp.response_timeout_ms", 500, 1, 60_000);
            return ok && id is not null && timeout is not null
                ? new TcpLink { Id = id, Host = tcp.Host!, Port = tcp.Port!.Value, ResponseTimeout = timeout.Value }
                : null;
        }

        if (document.Rtu is { } rtu)
        {
            return BuildRtu(id, rtu, $"{path}.rtu");
        }

        Error(path, SiteRule.MissingLinkType, "a link needs 'tcp' {host, port} or 'rtu' {device, baud, ...}");
        return null;
    }

    private RtuLink? BuildRtu(string? id, RtuDocument rtu, string path)
    {
        var ok = true;
        if (string.IsNullOrWhiteSpace(rtu.Device))
        {
            Error($"{path}.device", SiteRule.MissingField, "'device' (the serial port, e.g. /dev/ttyUSB0) is required");
            ok = false;
        }
        else if (!IsPath(rtu.Device, $"{path}.device"))
        {
            ok = false;
        }

        var baud = rtu.Baud ?? 9600;
        if (Array.IndexOf(BaudRates, baud) < 0)
        {
            Error($"{path}.baud", SiteRule.InvalidBaudRate, $"baud rate {baud} is none of {string.Join(", ", BaudRates)}");
            ok = false;
        }

        var parity = SerialParity.Even;
        switch (rtu.Parity)
        {
            case null or "even":
                break;
            case "none":
                parity = SerialParity.None;
                break;
            case "odd":
                parity = SerialParity.Odd;
                break;
            default:
                Error($"{path}.parity", SiteRule.InvalidSerialFraming, $"parity '{rtu.Parity}' is none of none, even, odd");
                ok = false;
                break;
        }

        var dataBits = rtu.DataBits ?? 8;
        if (dataBits is < 7 or > 8)
        {
            Error($"{path}.data_bits", SiteRule.InvalidSerialFraming, $"data bits {dataBits} must be 7 or 8 (Modbus RTU uses 8)");
            ok = false;
        }

        var stopBits = rtu.StopBits ?? 1;
        if (stopBits is < 1 or > 2)
        {
            Error($"{path}.stop_bits", SiteRule.InvalidSerialFraming, $"stop bits {stopBits} must be 1 or 2");
            ok = false;
        }

        var rs485 = Rs485Settings.Disabled;
        if (rtu.Rs485 is { } r)
        {
            RtsControl? rts = r.Rts switch
            {
                null or "none" => RtsControl.None,
                "up" => RtsControl.Up,
                "down" => RtsControl.Down,
                _ => null,
            };
            if (rts is null)
            {
                Error($"{path}.rs485.rts", SiteRule.InvalidRs485, $"rts '{r.Rts}' is none of none, up, down");
                ok = false;
            }

            if (r.RtsDelayUs is < 0 or > 1_000_000)
            {
                Error($"{path}.rs485.rts_delay_us", SiteRule.InvalidRs485, $"rts_delay_us {r.RtsDelayUs} is outside 0..1000000");
                ok = false;
            }

            rs485 = new Rs485Settings(r.Enabled ?? false, rts ?? RtsControl.None, TimeSpan.FromMicroseconds(r.RtsDelayUs ?? 0));
        }

        var response = Milliseconds(rtu.ResponseTimeoutMs, $"{path}.response_timeout_ms", 500, 1, 60_000);
        var bytes = Milliseconds(rtu.ByteTimeoutMs, $"{path}.byte_timeout_ms", 500, 0, 10_000);
        TimeSpan? gap = null;
        if (rtu.InterFrameGapMs is { } gapMs)
        {
            if (!double.IsFinite(gapMs) || gapMs is < 0 or > 10_000)
            {
                Error($"{path}.inter_frame_gap_ms", SiteRule.InvalidTimeout, $"inter_frame_gap_ms {gapMs.ToString(CultureInfo.InvariantCulture)} is outside 0..10000");
                ok = false;
            }
            else
            {
                gap = TimeSpan.FromMilliseconds(gapMs);
            }
        }

        if (!ok || id is null || response is null || bytes is null)
        {
            return null;
        }

        return new RtuLink
        {
            Id = id,
            Device = ResolvePath(rtu.Device)!,
            ConfiguredDevice = rtu.Device!,
            BaudRate = baud,
            Parity = parity,
            DataBits = dataBits,
            StopBits = stopBits,
            Rs485 = rs485,
            ResponseTimeout = response.Value,
            ByteTimeout = bytes.Value,
            ConfiguredInterFrameGap = gap,
        };
    }

    private SiteDevice? BuildDevice(DeviceDocument document, string path, string gatewayId, List<SiteLink> links, HashSet<string> linkIds)
    {
        var id = RequireIdentifier(document.Id, $"{path}.id", "device id");
        var ok = id is not null;

        DeviceFamily? family = null;
        if (string.IsNullOrEmpty(document.Family))
        {
            Error($"{path}.family", SiteRule.MissingField, "'family' is required");
            ok = false;
        }
        else if (DeviceFamilyNames.TryParse(document.Family, out var parsed))
        {
            family = parsed;
        }
        else
        {
            Error($"{path}.family", SiteRule.UnknownFamily,
                $"family '{document.Family}' is none of {string.Join(", ", Enum.GetValues<DeviceFamily>().Select(f => f.ToContractName()))}");
            ok = false;
        }

        DeviceProfile? profile = null;
        if (string.IsNullOrEmpty(document.Profile))
        {
            Error($"{path}.profile", SiteRule.MissingField, "'profile' (the model id of hardware/profiles) is required");
            ok = false;
        }
        else if (profiles.Find(document.Profile) is { } found)
        {
            profile = found;
            if (family is { } f && f != found.Family)
            {
                Error($"{path}.profile", SiteRule.FamilyMismatch,
                    $"profile '{found.Model}' is a {found.Family.ToContractName()}, but the device is a {f.ToContractName()}");
                ok = false;
            }
        }
        else
        {
            Error($"{path}.profile", SiteRule.UnknownProfile,
                $"no profile '{document.Profile}'; known: {string.Join(", ", profiles.Select(p => p.Model))}");
            ok = false;
        }

        if (string.IsNullOrEmpty(document.Link))
        {
            Error($"{path}.link", SiteRule.MissingField, "'link' (the id of one of the gateway's links) is required");
            ok = false;
        }
        else if (!linkIds.Contains(document.Link))
        {
            Error($"{path}.link", SiteRule.UnknownLink, $"the gateway has no link '{document.Link}'");
            ok = false;
        }
        else if (links.FirstOrDefault(l => l.Id == document.Link) is { } link && profile is not null && !profile.Links.Contains(link.Type))
        {
            Error($"{path}.link", SiteRule.LinkTypeNotSupported,
                $"profile '{profile.Model}' supports {string.Join(", ", profile.Links.Select(l => l.ToString().ToLowerInvariant()))}, not the {link.Type.ToString().ToLowerInvariant()} link '{link.Id}'");
            ok = false;
        }

        if (document.Unit is null)
        {
            Error($"{path}.unit", SiteRule.MissingField, "'unit' (the Modbus unit id, 1-247) is required");
            ok = false;
        }
        else if (document.Unit is < 1 or > 247)
        {
            Error($"{path}.unit", SiteRule.UnitIdOutOfRange, $"unit {document.Unit} is outside 1..247");
            ok = false;
        }

        var interval = document.PollIntervalS ?? 10;
        if (!double.IsFinite(interval) || interval is < MinPollIntervalSeconds or > MaxPollIntervalSeconds)
        {
            Error($"{path}.poll_interval_s", SiteRule.PollIntervalOutOfRange,
                $"poll interval {interval.ToString(CultureInfo.InvariantCulture)} s is outside {MinPollIntervalSeconds}..{MaxPollIntervalSeconds} s");
            ok = false;
        }

        DeviceLocation? location = null;
        if (document.Location is { } l)
        {
            var lat = Coordinate(l.Lat, $"{path}.location.lat", 90, required: false);
            var lon = Coordinate(l.Lon, $"{path}.location.lon", 180, required: false);
            if ((l.Lat is null) != (l.Lon is null))
            {
                Error($"{path}.location", SiteRule.InvalidCoordinates, "give both 'lat' and 'lon', or neither");
                ok = false;
            }

            location = new DeviceLocation(lat, lon, l.Text);
        }

        var zone = CrewZone.Inner;
        if (string.IsNullOrEmpty(document.CrewZone))
        {
            Error($"{path}.crew_zone", SiteRule.MissingField, "'crew_zone' is required (inner, second, third, town or contract)");
            ok = false;
        }
        else if (!CrewZones.TryParse(document.CrewZone, out zone))
        {
            Error($"{path}.crew_zone", SiteRule.UnknownCrewZone, $"crew zone '{document.CrewZone}' is none of inner, second, third, town, contract");
            ok = false;
        }

        if (document.Crew is not null && !Identifiers.IsValid(document.Crew))
        {
            Error($"{path}.crew", SiteRule.InvalidIdentifier, $"crew '{document.Crew}' is invalid: {Identifiers.Rule}");
            ok = false;
        }

        if (document.Group is not null && !Identifiers.IsValid(document.Group))
        {
            Error($"{path}.group", SiteRule.InvalidIdentifier, $"group '{document.Group}' is invalid: {Identifiers.Rule}");
            ok = false;
        }

        var (lamps, circuits, lampsOk) = Lamps(document, path, profile, family);
        var (commissioned, warrantyUntil, assetOk) = AssetFacts(document, path);
        if (!ok || !lampsOk || !assetOk || profile is null)
        {
            return null;
        }

        return new SiteDevice
        {
            Id = id!,
            Name = document.Name,
            GatewayId = gatewayId,
            Family = profile.Family,
            Profile = profile,
            LinkId = document.Link!,
            UnitId = document.Unit!.Value,
            PollInterval = TimeSpan.FromSeconds(interval),
            LampsInstalled = lamps,
            Location = location,
            CrewZone = zone,
            Crew = document.Crew,
            DualSupply = document.DualSupply ?? false,
            Group = document.Group,
            Circuits = circuits,
            Commissioned = commissioned,
            WarrantyUntil = warrantyUntil,
            Serial = document.Serial,
        };
    }

    private (DateOnly? Commissioned, DateOnly? WarrantyUntil, bool Ok) AssetFacts(DeviceDocument document, string path)
    {
        var ok = true;
        var commissioned = AssetDate(document.Commissioned, $"{path}.commissioned", "commissioned", ref ok);
        var warrantyUntil = AssetDate(document.WarrantyUntil, $"{path}.warranty_until", "warranty_until", ref ok);
        if (commissioned is { } from && warrantyUntil is { } until && until < from)
        {
            Error($"{path}.warranty_until", SiteRule.InvalidAssetDate,
                $"warranty_until {until:yyyy-MM-dd} is before the device was commissioned ({from:yyyy-MM-dd})");
            ok = false;
        }

        if (document.Serial is { } serial
            && (string.IsNullOrWhiteSpace(serial) || serial.Length > MaxSerialLength || serial.Any(char.IsControl)))
        {
            Error($"{path}.serial", SiteRule.InvalidSerial,
                $"serial must be 1 to {MaxSerialLength} printable characters, not blank and without control characters");
            ok = false;
        }

        return (commissioned, warrantyUntil, ok);
    }

    private DateOnly? AssetDate(string? text, string path, string field, ref bool ok)
    {
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        Error(path, SiteRule.InvalidAssetDate, $"'{field}' must be a date written yyyy-MM-dd, not '{text}'");
        ok = false;
        return null;
    }

    private (int Lamps, List<SiteCircuit> Circuits, bool Ok) Lamps(DeviceDocument document, string path, DeviceProfile? profile, DeviceFamily? family)
    {
        var ok = true;
        var circuits = new List<SiteCircuit>();
        if (document.LampsInstalled is < 0 or > MaxLamps)
        {
            Error($"{path}.lamps_installed", SiteRule.InvalidLampCount, $"lamps_installed {document.LampsInstalled} is outside 0..{MaxLamps}");
            ok = false;
        }

        for (var i = 0; i < (document.Circuits?.Count ?? 0); i++)
        {
            var circuitPath = $"{path}.circuits[{i}]";
            var circuit = document.Circuits![i];
            if (circuit is null)
            {
                Error(circuitPath, SiteRule.MalformedJson, "a circuit must be an object, not null");
                ok = false;
                continue;
            }

            if (circuit.Circuit is not { } number)
            {
                Error($"{circuitPath}.circuit", SiteRule.MissingField, "'circuit' (the profile's circuit number, from 1) is required");
                ok = false;
                continue;
            }

            if (profile is not null && (number < 1 || number > profile.CircuitCount))
            {
                Error($"{circuitPath}.circuit", SiteRule.InvalidCircuit, profile.CircuitCount == 0
                    ? $"profile '{profile.Model}' has no circuits"
                    : $"circuit {number} is outside 1..{profile.CircuitCount} of profile '{profile.Model}'");
                ok = false;
                continue;
            }

            if (circuits.Any(c => c.Number == number))
            {
                Error($"{circuitPath}.circuit", SiteRule.InvalidCircuit, $"circuit {number} is described twice");
                ok = false;
                continue;
            }

            var lamps = circuit.LampsInstalled ?? 0;
            if (lamps is < 0 or > MaxLamps)
            {
                Error($"{circuitPath}.lamps_installed", SiteRule.InvalidLampCount, $"lamps_installed {lamps} is outside 0..{MaxLamps}");
                ok = false;
                continue;
            }

            circuits.Add(new SiteCircuit(number, circuit.Name, lamps));
        }

        circuits.Sort((a, b) => a.Number.CompareTo(b.Number));
        var sum = circuits.Sum(c => c.LampsInstalled);
        var total = document.LampsInstalled ?? sum;
        if (!ok)
        {
            return (total, circuits, false);
        }

        if (circuits.Count > 0 && document.LampsInstalled is { } given && given != sum)
        {
            Error($"{path}.lamps_installed", SiteRule.LampCountMismatch, $"lamps_installed {given} differs from the sum over the circuits, {sum}");
            return (total, circuits, false);
        }

        if (family is DeviceFamily.StreetController or DeviceFamily.HighMast && total == 0)
        {
            Error($"{path}.lamps_installed", SiteRule.InvalidLampCount, "a lighting device needs lamps: give 'lamps_installed' or circuits with lamps");
            return (total, circuits, false);
        }

        // A profile that senses lamps one by one cannot report more than it has bits for.
        var sensed = profile?.Points.Select(p => p.Bitfield?.Series).FirstOrDefault(s => s?.TotalName == "lamps_lit");
        if (sensed is not null && total > sensed.Count)
        {
            Error($"{path}.lamps_installed", SiteRule.InvalidLampCount, $"profile '{profile!.Model}' senses at most {sensed.Count} lamps, not {total}");
            return (total, circuits, false);
        }

        return (total, circuits, true);
    }

    private string? RequireIdentifier(string? value, string path, string what)
    {
        if (string.IsNullOrEmpty(value))
        {
            Error(path, SiteRule.MissingField, $"the {what} is required");
            return null;
        }

        if (!Identifiers.IsValid(value))
        {
            Error(path, SiteRule.InvalidIdentifier, $"{what} '{value}' is invalid: {Identifiers.Rule}");
            return null;
        }

        return value;
    }

    private double? Coordinate(double? value, string path, double limit, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                Error(path, SiteRule.MissingField, $"'{path[(path.LastIndexOf('.') + 1)..]}' is required");
            }

            return null;
        }

        if (!double.IsFinite(value.Value) || Math.Abs(value.Value) > limit)
        {
            Error(path, SiteRule.InvalidCoordinates, $"{value.Value.ToString(CultureInfo.InvariantCulture)} is outside -{limit}..{limit} degrees");
            return null;
        }

        return value;
    }

    private bool ValidHost(string? host, string path)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            Error(path, SiteRule.MissingField, "'host' is required");
            return false;
        }

        if (host.Length > 253 || !HostPattern().IsMatch(host))
        {
            Error(path, SiteRule.InvalidHost, $"'{host}' is not a host name or address");
            return false;
        }

        return true;
    }

    private TimeSpan? Milliseconds(int? value, string path, int fallback, int min, int max)
    {
        var ms = value ?? fallback;
        if (ms < min || ms > max)
        {
            Error(path, SiteRule.InvalidTimeout, $"{ms} ms is outside {min}..{max} ms");
            return null;
        }

        return TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>Whether <paramref name="value"/> can name a file (absent counts); a NUL character is an error the OS would throw on.</summary>
    private bool IsPath(string? value, string path)
    {
        if (value is null || !value.Contains('\0', StringComparison.Ordinal))
        {
            return true;
        }

        Error(path, SiteRule.InvalidPath, $"'{value.Replace("\0", "\\0", StringComparison.Ordinal)}' holds a NUL character, which no file path can");
        return false;
    }

    // A path refused by IsPath is kept as written: the site is refused anyway, and the OS would throw on it.
    private string? ResolvePath(string? path) =>
        string.IsNullOrEmpty(path) || path.Contains('\0', StringComparison.Ordinal) ? path : Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(pathRoot, path));

    private void Error(string path, SiteRule rule, string detail) => errors.Add(new SiteError(source, path, rule, detail));
}
