using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Telemetry.Contracts;
using Telemetry.Mqtt;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Integration;

/// <summary>A device of a generated test site.</summary>
internal sealed record RigDevice(string Id, string Profile, string Family, bool OnBus, int Unit, double PollIntervalSeconds);

/// <summary>
/// A plant for one test: a generated site file (TCP devices on one link, RTU devices on a socat pty pair), the
/// simulator playing it, a real Mosquitto, optionally Ingest and InfluxDB, and the real gateway process.
/// </summary>
internal sealed class GatewayRig : IAsyncDisposable
{
    public const string SiteId = "rig";
    public const string GatewayId = "gw-rig";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private GatewayRig(string directory) => Directory = directory;

    public string Directory { get; }

    public string SiteFile => Path.Combine(Directory, "site.json");

    public string StateDirectory => Path.Combine(Directory, "state");

    public MosquittoServer Broker { get; private set; } = null!;

    public InfluxServer? Influx { get; private set; }

    public ServiceProcess? Ingest { get; private set; }

    public SimulatorProcess Simulator { get; private set; } = null!;

    public PseudoTerminalPair? Bus { get; private set; }

    public ServiceProcess Gateway { get; private set; } = null!;

    public MessageRecorder Recorder { get; private set; } = null!;

    public IReadOnlyList<RigDevice> Devices { get; private set; } = [];

    public int TcpPort { get; private set; }

    public static IReadOnlyList<RigDevice> Mixed(int tcpDevices, int busDevices, double interval = 1, double busInterval = 2)
    {
        string[] tcpProfiles = ["hg-lcu2", "mg-slc4", "ak-dbm300", "sk-ltc4"];
        string[] tcpFamilies = ["street_controller", "street_controller", "distribution_box", "light_time_controller"];
        string[] busProfiles = ["jg-hmc24", "yd-eps1k", "kg-316m", "mg-slc4"];
        string[] busFamilies = ["high_mast", "emergency_battery", "light_time_controller", "street_controller"];
        var devices = new List<RigDevice>();
        for (var i = 0; i < tcpDevices; i++)
        {
            devices.Add(new RigDevice($"tcp-{i + 1:D3}", tcpProfiles[i % 4], tcpFamilies[i % 4], false, i + 1, interval));
        }

        for (var i = 0; i < busDevices; i++)
        {
            devices.Add(new RigDevice($"bus-{i + 1:D2}", busProfiles[i % 4], busFamilies[i % 4], true, i + 1, busInterval));
        }

        return devices;
    }

    public static async Task<GatewayRig> StartAsync(
        IReadOnlyList<RigDevice> devices,
        bool withIngest = false,
        IDictionary<string, string>? gatewaySettings = null,
        IDictionary<string, string>? simulatorSettings = null)
    {
        var rig = new GatewayRig(RepositoryPaths.NewScratchDirectory("gateway-rig"));
        try
        {
            await rig.InitializeAsync(devices, withIngest, gatewaySettings, simulatorSettings);
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    private async Task InitializeAsync(IReadOnlyList<RigDevice> devices, bool withIngest, IDictionary<string, string>? gatewaySettings, IDictionary<string, string>? simulatorSettings)
    {
        Devices = devices;
        TcpPort = FreePort.Next();
        if (devices.Any(d => d.OnBus))
        {
            Bus = await PseudoTerminalPair.StartAsync(Path.Combine(Directory, "pty", "bus-gw"), Path.Combine(Directory, "pty", "bus-sim"));
        }

        await File.WriteAllTextAsync(SiteFile, SiteJson(devices, Bus?.A, TcpPort));
        Broker = await MosquittoServer.StartAsync();
        if (withIngest)
        {
            Influx = await InfluxServer.StartAsync();
            Ingest = await ServiceProcess.StartAsync("Ingest", new Dictionary<string, string>
            {
                ["Mqtt:Port"] = Broker.Port.ToString(CultureInfo.InvariantCulture),
                ["Mqtt:ClientId"] = "ingest-rig",
                ["Influx:Url"] = Influx.Url.ToString(),
                ["Influx:Linger"] = "00:00:00.050",
                ["DeadLetters:File"] = Path.Combine(Directory, "deadletters", "ingest-.jsonl"),
            });
            await Eventually.TrueAsync(async () => (await Ingest.HealthAsync()).Contains("\"subscribed\": true", StringComparison.Ordinal), "Ingest subscribes");
        }

        var simulator = new Dictionary<string, string>
        {
            ["Simulator:Profiles"] = Path.Combine(RepositoryPaths.Hardware, "profiles"),
            ["Simulator:Tcp:tcp-1"] = TcpPort.ToString(CultureInfo.InvariantCulture),
            ["Simulator:WireTiming"] = "false",
        };
        if (Bus is not null)
        {
            simulator["Simulator:Serial:bus-1"] = Bus.B;
        }

        foreach (var (key, value) in simulatorSettings ?? new Dictionary<string, string>())
        {
            simulator[key] = value;
        }

        Simulator = await SimulatorProcess.StartAsync(SiteFile, simulator);
        Recorder = await MessageRecorder.StartAsync(Broker, $"lighting/{SiteId}/{GatewayId}/#");
        var settings = new Dictionary<string, string>
        {
            ["Gateway:SiteFile"] = SiteFile,
            ["Gateway:ProfilesDirectory"] = Path.Combine(RepositoryPaths.Hardware, "profiles"),
            ["Gateway:StateDirectory"] = StateDirectory,
            ["Gateway:Mqtt:Port"] = Broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Gateway:StatisticsInterval"] = "00:00:05",
        };
        foreach (var (key, value) in gatewaySettings ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        Gateway = await ServiceProcess.StartAsync("Gateway", settings);
    }

    public static string SiteJson(IReadOnlyList<RigDevice> devices, string? busPath, int tcpPort)
    {
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
        foreach (var d in devices)
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
            };
            if (d.Family is "street_controller" or "high_mast")
            {
                device["lamps_installed"] = 12;
            }

            list.Add(device);
        }

        var site = new JsonObject
        {
            ["site"] = SiteId,
            ["name"] = "Gateway test rig",
            ["latitude"] = 31.2304,
            ["longitude"] = 121.4737,
            ["time_zone"] = "Asia/Shanghai",
            ["gateways"] = new JsonArray { new JsonObject { ["id"] = GatewayId, ["mqtt"] = new JsonObject { ["host"] = "127.0.0.1", ["port"] = 1883 }, ["links"] = links, ["devices"] = list } },
        };
        return site.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public async Task<JsonDocument> GatewayHealthAsync() => JsonDocument.Parse(await Gateway.HealthAsync());

    public async Task<JsonElement> DeviceHealthAsync(string device)
    {
        using var health = await GatewayHealthAsync();
        return health.RootElement.GetProperty("gateway").GetProperty("devices").GetProperty(device).Clone();
    }

    public async Task InjectFaultAsync(string device, object fault)
    {
        using var response = await Http.PostAsJsonAsync(new Uri(Simulator.BaseAddress, $"devices/{device}/faults"), fault);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync(string device)
    {
        using var response = await Http.DeleteAsync(new Uri(Simulator.BaseAddress, $"devices/{device}/faults"));
        response.EnsureSuccessStatusCode();
    }

    public async Task<JsonElement> SimulatedDeviceAsync(string device)
    {
        using var document = JsonDocument.Parse(await Http.GetStringAsync(new Uri(Simulator.BaseAddress, $"devices/{device}")));
        return document.RootElement.Clone();
    }

    /// <summary>Every reading batch recorded so far.</summary>
    public IReadOnlyList<ReadingBatch> Batches() =>
        [.. Recorder.Messages.Where(m => m.Topic.EndsWith("/telemetry", StringComparison.Ordinal))
            .Select(m => JsonSerializer.Deserialize(m.Payload.Span, ContractsJson.Default.ReadingBatch)!)];

    public IReadOnlyList<GatewayEvent> Events() =>
        [.. Recorder.Messages.Where(m => m.Topic.EndsWith("/event", StringComparison.Ordinal))
            .Select(m => JsonSerializer.Deserialize(m.Payload.Span, ContractsJson.Default.GatewayEvent)!)];

    public async Task<long> InfluxCountAsync(string query)
    {
        var output = (await Influx!.RunCliAsync("-database", "telemetry", "-format", "csv", "-execute", query)).StandardOutput;
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).FirstOrDefault();
        return line is null ? 0 : long.Parse(line.Split(',')[^1], CultureInfo.InvariantCulture);
    }

    public string Logs() =>
        $"gateway:\n{Tail(Gateway?.Output)}\nsimulator:\n{Tail(Simulator?.Output)}\ningest:\n{Tail(Ingest?.Output)}";

    private static string Tail(string? text) => text is null ? "" : text[Math.Max(0, text.Length - 6000)..];

    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        if (Recorder is not null)
        {
            await Recorder.DisposeAsync();
        }

        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }

        if (Ingest is not null)
        {
            await Ingest.DisposeAsync();
        }

        if (Influx is not null)
        {
            await Influx.DisposeAsync();
        }

        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        if (Bus is not null)
        {
            await Bus.DisposeAsync();
        }
    }
}

/// <summary>Subscribes to a filter and keeps everything that arrives; also sends commands with a response topic.</summary>
internal sealed class MessageRecorder : IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly ConcurrentQueue<MqttApplicationMessage> _messages = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private MessageRecorder(MqttClient client)
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

    public static async Task<MessageRecorder> StartAsync(MosquittoServer broker, string filter)
    {
        var client = new MqttClient(new MqttClientOptions { Host = broker.Host, Port = broker.Port, ClientId = "recorder-" + Guid.NewGuid().ToString("N")[..8], CleanStart = true });
        await client.ConnectAsync(CancellationToken.None);
        await client.SubscribeAsync([new MqttSubscription { TopicFilter = filter }, new MqttSubscription { TopicFilter = "replies/#" }], CancellationToken.None);
        return new MessageRecorder(client);
    }

    /// <summary>Sends a command and waits for the answer with the same correlation data.</summary>
    public async Task<JsonElement> CommandAsync(string device, string json, TimeSpan? timeout = null)
    {
        var correlation = Guid.NewGuid().ToByteArray();
        await _client.PublishAsync(
            new MqttApplicationMessage
            {
                Topic = $"lighting/{GatewayRig.SiteId}/{GatewayRig.GatewayId}/cmd/{device}",
                Payload = Encoding.UTF8.GetBytes(json),
                QualityOfService = MqttQualityOfService.AtLeastOnce,
                ResponseTopic = "replies/test",
                CorrelationData = correlation,
            },
            CancellationToken.None);
        var reply = await Eventually.ValueAsync(
            () => Task.FromResult(_messages.FirstOrDefault(m => m.Topic == "replies/test" && m.CorrelationData is { } c && c.Span.SequenceEqual(correlation))),
            m => m is not null,
            $"the answer to {json}",
            timeout ?? TimeSpan.FromSeconds(20));
        using var document = JsonDocument.Parse(reply!.Payload);
        return document.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _client.DisposeAsync();
        await _loop;
        _stop.Dispose();
    }
}
