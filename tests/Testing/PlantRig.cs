using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Telemetry.Contracts;
using Telemetry.Mqtt;

namespace Telemetry.Testing;

/// <summary>A device of a generated test site.</summary>
/// <param name="Id">Device id.</param>
/// <param name="Profile">Profile model, e.g. <c>jg-hmc24</c>.</param>
/// <param name="Family">Contract family name.</param>
/// <param name="OnBus">On the RS-485 bus rather than Modbus TCP.</param>
/// <param name="Unit">Modbus unit id.</param>
/// <param name="PollIntervalSeconds">Poll interval.</param>
/// <param name="Crew">The crew the site file names for the device.</param>
/// <param name="Lamps">Lamps installed (street controllers and masts).</param>
/// <param name="Commissioned">The asset register's commissioning day (yyyy-MM-dd), when given.</param>
/// <param name="WarrantyUntil">The last day of its warranty (yyyy-MM-dd), when given.</param>
/// <param name="Serial">Its maker's serial number, when given.</param>
/// <param name="Group">The circuit or building of an emergency unit (the site file's <c>group</c>).</param>
public sealed record PlantDevice(
    string Id, string Profile, string Family, bool OnBus, int Unit, double PollIntervalSeconds, string Crew = "crew-a", int Lamps = 12,
    string? Commissioned = null, string? WarrantyUntil = null, string? Serial = null, string? Group = null);

/// <summary>What a <see cref="PlantRig"/> runs besides the broker, the simulator and the gateway.</summary>
public sealed record PlantRigOptions
{
    public required IReadOnlyList<PlantDevice> Devices { get; init; }

    /// <summary>The site's position: it decides day and night for the simulator's schedules and for the rules.</summary>
    public double Latitude { get; init; } = 31.2304;

    public double Longitude { get; init; } = 121.4737;

    public string TimeZone { get; init; } = "Asia/Shanghai";

    public bool WithIngest { get; init; }

    /// <summary>The site file's <c>emergency_tests</c> section, if the gateway is to test its emergency units by itself.</summary>
    public JsonObject? EmergencyTests { get; init; }

    /// <summary>Rules and Api on a maintenance database in the rig's folder.</summary>
    public bool WithRules { get; init; }

    /// <summary>
    /// Every service (gateway, Ingest, Rules, Api) connects to the broker's TLS listener, which requires a client
    /// certificate, with its password file, the broker's CA and its own certificate, as the stack connects them.
    /// </summary>
    public bool Tls { get; init; }

    public IDictionary<string, string> GatewaySettings { get; init; } = new Dictionary<string, string>();

    public IDictionary<string, string> SimulatorSettings { get; init; } = new Dictionary<string, string>();

    public IDictionary<string, string> RulesSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>Settings of the Api beyond the rig's own (for example a short <c>Commands:Timeout</c>).</summary>
    public IDictionary<string, string> ApiSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Every service running, lamps that do not fail by themselves (so a test knows exactly how many are dark), and
    /// simulated time at ten times real time (a battery test ends within a minute while the lighting schedule
    /// switches only hours apart).
    /// </summary>
    public static PlantRigOptions EveryService(IReadOnlyList<PlantDevice> devices) => new()
    {
        Devices = devices,
        WithIngest = true,
        WithRules = true,
        SimulatorSettings = new Dictionary<string, string>
        {
            ["Simulator:Physics:LampMtbfHours"] = "1000000000",
            ["Simulator:Clock:Speed"] = "10",
            ["Simulator:Tick"] = "00:00:00.050",
        },
        GatewaySettings = new Dictionary<string, string> { ["Gateway:BatteryTests:SampleInterval"] = "00:00:00.250" },
    };
}

/// <summary>
/// A plant for one test, every part real: a generated site file (TCP devices on one link, RTU devices on a
/// socat pty pair), the simulator playing it, Mosquitto, the gateway process, and optionally Ingest with
/// InfluxDB and Rules with Api on their own SQLite file.
/// </summary>
public sealed class PlantRig : IAsyncDisposable
{
    public const string SiteId = "rig";
    public const string GatewayId = "gw-rig";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private PlantRig(string directory, PlantRigOptions options)
    {
        Directory = directory;
        Options = options;
    }

    public string Directory { get; }

    public PlantRigOptions Options { get; }

    public string SiteFile => Path.Combine(Directory, "site.json");

    public string StateDirectory => Path.Combine(Directory, "state");

    public string DatabasePath => Path.Combine(Directory, "maintenance.db");

    public MosquittoServer Broker { get; private set; } = null!;

    public InfluxServer? Influx { get; private set; }

    public ServiceProcess? Ingest { get; private set; }

    public SimulatorProcess Simulator { get; private set; } = null!;

    public PseudoTerminalPair? Bus { get; private set; }

    public ServiceProcess Gateway { get; private set; } = null!;

    public ServiceProcess? Rules { get; private set; }

    public ServiceProcess? Api { get; private set; }

    public BrokerRecorder Recorder { get; private set; } = null!;

    public int TcpPort { get; private set; }

    public static async Task<PlantRig> StartAsync(PlantRigOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rig = new PlantRig(RepositoryPaths.NewScratchDirectory("plant-rig"), options);
        try
        {
            await rig.InitializeAsync();
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    private async Task InitializeAsync()
    {
        TcpPort = FreePort.Next();
        if (Options.Devices.Any(d => d.OnBus))
        {
            Bus = await PseudoTerminalPair.StartAsync(Path.Combine(Directory, "pty", "bus-gw"), Path.Combine(Directory, "pty", "bus-sim"));
        }

        await File.WriteAllTextAsync(SiteFile, SiteJson(Options, Bus?.A, TcpPort));
        Broker = await MosquittoServer.StartAsync(new MosquittoOptions { SiteFiles = { SiteFile }, Tls = Options.Tls, RequireCertificate = Options.Tls });
        Recorder = await BrokerRecorder.StartAsync(Broker, "lighting/#");
        var port = Broker.Port.ToString(CultureInfo.InvariantCulture);
        if (Options.WithIngest)
        {
            Influx = await InfluxServer.StartAsync();
            Ingest = await PlantProcesses.StartIngestAsync(Broker, Influx, Directory, Options.Tls);
        }

        if (Options.WithRules)
        {
            var rules = new Dictionary<string, string>(await LogInAsync("rules"))
            {
                ["Mqtt:ClientId"] = "rules-rig",
                ["Rules:SiteFiles:0"] = SiteFile,
                ["Rules:ProfilesDirectory"] = Path.Combine(RepositoryPaths.Hardware, "profiles"),
                ["Rules:Database"] = DatabasePath,
                ["Rules:TimeZone"] = Options.TimeZone,
                ["Rules:EscalationInterval"] = "00:00:02",
                ["Rules:StateSaveInterval"] = "00:00:02",
                ["DeadLetters:File"] = Path.Combine(Directory, "deadletters", "rules-.jsonl"),
            };
            if (Influx is not null)
            {
                rules["Influx:Url"] = Influx.Url.ToString();
            }

            foreach (var (key, value) in Options.RulesSettings)
            {
                rules[key] = value;
            }

            Rules = await ServiceProcess.StartAsync("Rules", rules);
            await Eventually.TrueAsync(async () => (await Rules.HealthAsync()).Contains("\"status\": \"healthy\"", StringComparison.Ordinal), "Rules subscribes");
            var api = new Dictionary<string, string>(await LogInAsync("api"))
            {
                ["Api:Database"] = DatabasePath,
                ["Api:TimeZone"] = Options.TimeZone,
                ["Api:SiteFiles:0"] = SiteFile,
                ["Api:ProfilesDirectory"] = Path.Combine(RepositoryPaths.Hardware, "profiles"),
                ["Mqtt:ClientId"] = "api-rig",
            };
            if (Influx is not null)
            {
                api["Influx:Url"] = Influx.Url.ToString();
            }

            foreach (var (key, value) in Options.ApiSettings)
            {
                api[key] = value;
            }

            Api = await ServiceProcess.StartAsync("Api", api);
            ApiClient = await SignInAsync(Api, DatabasePath, "rig.operator", ["--role", "operator"]);
            CrewClient = await SignInAsync(Api, DatabasePath, "rig.crew", ["--role", "crew", .. Options.Devices.Select(d => d.Crew).Distinct().SelectMany(c => new[] { "--crew", c })]);
        }

        Simulator = await PlantProcesses.StartSimulatorAsync(SiteFile, TcpPort, Bus, Options.SimulatorSettings);
        Gateway = await PlantProcesses.StartGatewayAsync(SiteFile, StateDirectory, Broker, Options.GatewaySettings, Options.Tls);
    }

    private async Task<Dictionary<string, string>> LogInAsync(string principal) =>
        Options.Tls ? await Broker.TlsServiceSettingsAsync(principal) : Broker.ServiceSettings(principal);

    public static string SiteJson(PlantRigOptions options, string? busPath, int tcpPort)
    {
        ArgumentNullException.ThrowIfNull(options);
        var links = new JsonArray { new JsonObject { ["id"] = "tcp-1", ["tcp"] = new JsonObject { ["host"] = "127.0.0.1", ["port"] = tcpPort, ["response_timeout_ms"] = 1000 } } };
        if (busPath is not null)
        {
            links.Add(new JsonObject
            {
                ["id"] = "bus-1",
                ["rtu"] = new JsonObject { ["device"] = busPath, ["baud"] = 19200, ["parity"] = "none", ["data_bits"] = 8, ["stop_bits"] = 1, ["response_timeout_ms"] = 300, ["byte_timeout_ms"] = 100 },
            });
        }

        var list = new JsonArray();
        foreach (var (d, i) in options.Devices.Select((d, i) => (d, i)))
        {
            var device = new JsonObject
            {
                ["id"] = d.Id,
                ["family"] = d.Family,
                ["profile"] = d.Profile,
                ["link"] = d.OnBus ? "bus-1" : "tcp-1",
                ["unit"] = d.Unit,
                ["poll_interval_s"] = d.PollIntervalSeconds,
                ["crew_zone"] = "inner",
                ["crew"] = d.Crew,

                // On a ring about 500 m round the site's centre, so that a plan of the site has somewhere to draw each.
                ["location"] = new JsonObject
                {
                    ["lat"] = Math.Round(options.Latitude + (0.0045 * Math.Cos(2 * Math.PI * i / options.Devices.Count)), 6),
                    ["lon"] = Math.Round(options.Longitude + (0.0052 * Math.Sin(2 * Math.PI * i / options.Devices.Count)), 6),
                    ["text"] = string.Create(CultureInfo.InvariantCulture, $"Rig street {i + 1}"),
                },
            };
            if (d.Family is "street_controller" or "high_mast")
            {
                device["lamps_installed"] = d.Lamps;
            }

            foreach (var (name, value) in new[] { ("commissioned", d.Commissioned), ("warranty_until", d.WarrantyUntil), ("serial", d.Serial) })
            {
                if (value is not null)
                {
                    device[name] = value;
                }
            }

            if (d.Group is not null)
            {
                device["group"] = d.Group;
            }

            list.Add(device);
        }

        var site = new JsonObject
        {
            ["site"] = SiteId,
            ["name"] = "Test rig",
            ["latitude"] = options.Latitude,
            ["longitude"] = options.Longitude,
            ["time_zone"] = options.TimeZone,
            ["gateways"] = new JsonArray { new JsonObject { ["id"] = GatewayId, ["mqtt"] = new JsonObject { ["host"] = "127.0.0.1", ["port"] = 1883 }, ["links"] = links, ["devices"] = list } },
        };
        if (options.EmergencyTests is { } tests)
        {
            site["emergency_tests"] = tests.DeepClone();
        }

        return site.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>
    /// A longitude where the sun is high now (local solar time near noon), or low (near midnight), so that a test
    /// can have day or night whatever the time it runs. On the equator day and night are twelve hours each.
    /// </summary>
    public static double LongitudeWhereItIs(bool day, DateTimeOffset now)
    {
        var hours = now.UtcDateTime.TimeOfDay.TotalHours;
        var longitude = ((day ? 12 : 0) - hours) * 15;
        while (longitude > 180)
        {
            longitude -= 360;
        }

        while (longitude <= -180)
        {
            longitude += 360;
        }

        return Math.Round(longitude, 4);
    }

    public Task InjectFaultAsync(string device, object fault) => Simulator.InjectFaultAsync(device, fault);

    public Task ClearFaultAsync(string device, string fault) => Simulator.ClearFaultAsync(device, fault);

    public Task ClearFaultsAsync(string device) => Simulator.ClearFaultsAsync(device);

    /// <summary>Writes a command into the simulated device as the gateway would.</summary>
    public Task CommandDeviceAsync(string device, string point, object value, int? circuit = null) => Simulator.CommandDeviceAsync(device, point, value, circuit);

    /// <summary>Makes a simulated value read as given until released.</summary>
    public Task SetValueAsync(string device, string name, object value) => Simulator.SetValueAsync(device, name, value);

    /// <summary>A client of the Api signed in as an operator of the rig (with a bearer token), once Api runs.</summary>
    public HttpClient ApiClient { get; private set; } = new();

    /// <summary>A client of the Api signed in as a crew member of every crew of the rig's devices (with a bearer token), once Api runs.</summary>
    public HttpClient CrewClient { get; private set; } = new();

    /// <summary>A client of the Api signed in as a new user <paramref name="name"/> of <paramref name="role"/>, once Api runs.</summary>
    public Task<HttpClient> SignInAsync(string name, string role) =>
        SignInAsync(Api ?? throw new InvalidOperationException("the rig runs without Rules and Api"), DatabasePath, name, ["--role", role]);

    /// <summary>
    /// Adds a user to the rig's Api with the Api's own users command (<paramref name="arguments"/>: <c>--role</c>,
    /// <c>--crew</c>...) and a password made now, which it returns.
    /// </summary>
    public Task<string> AddUserAsync(string name, params string[] arguments) => AddUserAsync(DatabasePath, name, arguments);

    private static async Task<string> AddUserAsync(string database, string name, IReadOnlyList<string> arguments)
    {
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var added = await ExternalCommand.RunAsync("dotnet", [ServiceProcess.DllOf("Api"), "users", "set", name, .. arguments, "--database", database], standardInput: password + "\n");
        if (added.ExitCode != 0)
        {
            throw new InvalidOperationException($"the users command failed: {added.StandardOutput}{added.StandardError}");
        }

        return password;
    }

    /// <summary>Adds a user with the Api's own users command and takes a bearer token for it, as an API client would.</summary>
    private static async Task<HttpClient> SignInAsync(ServiceProcess api, string database, string name, IReadOnlyList<string> roles)
    {
        var password = await AddUserAsync(database, name, roles);
        using var issued = await Http.PostAsync(new Uri(api.HealthUrl, "/api/auth/tokens"), new StringContent(
            JsonSerializer.Serialize(new { name, password, client = "test rig" }), System.Text.Encoding.UTF8, "application/json"));
        issued.EnsureSuccessStatusCode();
        using var token = JsonDocument.Parse(await issued.Content.ReadAsStringAsync());
        var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.RootElement.GetProperty("token").GetString());
        return client;
    }

    /// <summary>The tickets Api serves (<c>GET /api/tickets</c> with the query given).</summary>
    public async Task<IReadOnlyList<JsonElement>> TicketsAsync(string query = "")
    {
        var api = Api ?? throw new InvalidOperationException("the rig runs without Rules and Api");
        var uri = new Uri(api.HealthUrl, "/api/tickets" + (query.Length > 0 ? "?" + query : ""));
        using var document = JsonDocument.Parse(await ApiClient.GetStringAsync(uri));
        return [.. document.RootElement.GetProperty("tickets").EnumerateArray().Select(t => t.Clone())];
    }

    /// <summary>
    /// Changes service-level terms through the running Api as <paramref name="admin"/> would, every other term as it is
    /// in force, and waits until Rules has taken them; returns the terms' new version.
    /// </summary>
    public async Task<long> ChangeServiceLevelsAsync(HttpClient admin, IReadOnlyDictionary<string, long?> changes, string reason)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(changes);
        var levels = new Uri((Api ?? throw new InvalidOperationException("the rig runs without Rules and Api")).HealthUrl, "/api/service-levels");
        using var current = JsonDocument.Parse(await admin.GetStringAsync(levels));
        var body = new JsonObject();
        foreach (var term in current.RootElement.GetProperty("terms").EnumerateObject())
        {
            body[term.Name] = JsonNode.Parse(term.Value.GetRawText());
        }

        foreach (var (name, minutes) in changes)
        {
            body[name] = minutes;
        }

        body["reason"] = reason;
        using var changed = await admin.PutAsync(levels, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var answer = await changed.Content.ReadAsStringAsync();
        if (!changed.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the service levels were refused: {(int)changed.StatusCode} {answer}");
        }

        using var stored = JsonDocument.Parse(answer);
        var version = stored.RootElement.GetProperty("version").GetInt64();
        await Eventually.TrueAsync(
            () => Task.FromResult(Rules!.Output.Contains($"Service-level terms in force at version {version}", StringComparison.Ordinal)),
            "Rules takes the new terms",
            explain: Logs);
        return version;
    }

    public async Task<JsonElement> TicketAsync(string number)
    {
        var api = Api ?? throw new InvalidOperationException("the rig runs without Rules and Api");
        using var document = JsonDocument.Parse(await ApiClient.GetStringAsync(new Uri(api.HealthUrl, "/api/tickets/" + number)));
        return document.RootElement.Clone();
    }

    public IReadOnlyList<GatewayEvent> Events() =>
        [.. Recorder.Messages.Where(m => m.Topic.EndsWith("/event", StringComparison.Ordinal))
            .Select(m => JsonSerializer.Deserialize(m.Payload.Span, ContractsJson.Default.GatewayEvent)!)];

    public string Logs() =>
        $"gateway:\n{Tail(Gateway?.Output)}\nsimulator:\n{Tail(Simulator?.Output)}\ningest:\n{Tail(Ingest?.Output)}\nrules:\n{Tail(Rules?.Output)}\napi:\n{Tail(Api?.Output)}";

    private static string Tail(string? text) => text is null ? "" : text[Math.Max(0, text.Length - 6000)..];

    public ValueTask DisposeAsync() => PlantProcesses.DisposeAllAsync(Gateway, Rules, Api, Recorder, Simulator, Ingest, Influx, Broker, Bus);
}

public sealed class BrokerRecorder : IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly ConcurrentQueue<MqttApplicationMessage> _messages = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private BrokerRecorder(MqttClient client)
    {
        _client = client;
        _loop = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in _client.Messages.ReadAllAsync(_stop.Token))
                {
                    _messages.Enqueue(message.Message);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public IReadOnlyList<MqttApplicationMessage> Messages => [.. _messages];

    public static async Task<BrokerRecorder> StartAsync(MosquittoServer broker, string filter)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var client = new MqttClient(broker.ClientOptions(MosquittoServer.Harness) with { ClientId = "recorder-" + Guid.NewGuid().ToString("N")[..8], CleanStart = true });
        await client.ConnectAsync(CancellationToken.None);
        await client.SubscribeAsync([new MqttSubscription { TopicFilter = filter }, new MqttSubscription { TopicFilter = "elsewhere/#" }], CancellationToken.None);
        return new BrokerRecorder(client);
    }

    /// <summary>Where the rig's gateway answers the tests: under its own reply tree.</summary>
    public static string ReplyTopic => $"lighting/{PlantRig.SiteId}/{PlantRig.GatewayId}/reply/test";

    /// <summary>
    /// Sends a command to a device of the rig's gateway and waits for the answer with the same correlation data. The
    /// envelope (a fresh id, issuer <c>rig.tests</c>, issued now, expiring in a minute) is added where the JSON has none.
    /// </summary>
    public async Task<JsonElement> CommandAsync(string device, string json, TimeSpan? timeout = null)
    {
        var correlation = await PublishCommandAsync(device, WithEnvelope(json), ReplyTopic);
        return await AnswerAsync(correlation, json, timeout);
    }

    /// <summary>Publishes <paramref name="payload"/> as it is on the device's command topic; the correlation data it carries.</summary>
    public async Task<byte[]> PublishCommandAsync(string device, string payload, string? responseTopic)
    {
        var correlation = Guid.NewGuid().ToByteArray();
        await _client.PublishAsync(
            new MqttApplicationMessage
            {
                Topic = $"lighting/{PlantRig.SiteId}/{PlantRig.GatewayId}/cmd/{device}",
                Payload = Encoding.UTF8.GetBytes(payload),
                QualityOfService = MqttQualityOfService.AtLeastOnce,
                ResponseTopic = responseTopic,
                CorrelationData = correlation,
            },
            CancellationToken.None);
        return correlation;
    }

    /// <summary>The answer with <paramref name="correlation"/> on the rig's reply topic, once it came.</summary>
    public async Task<JsonElement> AnswerAsync(byte[] correlation, string what, TimeSpan? timeout = null)
    {
        var reply = await Eventually.ValueAsync(
            () => Task.FromResult(_messages.FirstOrDefault(m => m.Topic == ReplyTopic && m.CorrelationData is { } c && c.Span.SequenceEqual(correlation))),
            m => m is not null,
            $"the answer to {what}",
            timeout ?? TimeSpan.FromSeconds(20));
        using var document = JsonDocument.Parse(reply!.Payload);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// <paramref name="json"/> with the envelope fields it lacks: a fresh id, issuer <c>rig.tests</c>, issued now and
    /// expiring <paramref name="lifetime"/> later (a minute by default). JSON that is not an object is left as it is.
    /// </summary>
    public static string WithEnvelope(string json, TimeSpan? lifetime = null, DateTimeOffset? issued = null)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return json;
        }

        if (node is not JsonObject command)
        {
            return json;
        }

        var now = issued ?? DateTimeOffset.UtcNow;
        command.TryAdd("id", Guid.NewGuid().ToString("N"));
        command.TryAdd("issuer", "rig.tests");
        command.TryAdd("issued", CommandEnvelope.FormatTime(now));
        command.TryAdd("expires", CommandEnvelope.FormatTime(now + (lifetime ?? TimeSpan.FromMinutes(1))));
        return command.ToJsonString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _client.DisposeAsync();
        await _loop;
        _stop.Dispose();
    }
}
