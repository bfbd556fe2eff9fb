using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Contracts;
using Telemetry.Gateway.Buffering;
using Telemetry.Gateway.Publishing;
using Telemetry.Mqtt;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Integration;

/// <summary>A device of a generated test site.</summary>
internal sealed record RigDevice(string Id, string Profile, string Family, bool OnBus, int Unit, double PollIntervalSeconds);

/// <summary>A batch as the gateway queued it: its seq and how many readings it carries.</summary>
internal sealed record QueuedBatch(long Seq, int Readings);

/// <summary>One point InfluxDB holds for a reading.</summary>
internal sealed record StoredPoint(string Measurement, string Device, string? Circuit, long TimeMs);

/// <summary>
/// A plant for one test: a generated site file (TCP devices on one link, RTU devices on a socat pty pair), the
/// simulator playing it, a real Mosquitto, optionally Ingest and InfluxDB, and the real gateway process.
/// </summary>
internal sealed partial class GatewayRig : IAsyncDisposable
{
    /// <summary>The families a reading can be stored under (one measurement each).</summary>
    public static readonly IReadOnlyList<string> Families = ["street_controller", "distribution_box", "light_time_controller", "high_mast", "emergency_battery"];

    public const string SiteId = "rig";
    public const string GatewayId = "gw-rig";

    private BrokerRecorder? _recorder;

    private GatewayRig(string directory) => Directory = directory;

    public string Directory { get; }

    public string SiteFile => Path.Combine(Directory, "site.json");

    public string StateDirectory => Path.Combine(Directory, "state");

    public MosquittoServer Broker { get; private set; } = null!;

    public InfluxServer? Influx { get; private set; }

    public ServiceProcess? Ingest { get; private set; }

    public ServiceProcess? Rules { get; private set; }

    public string DatabasePath => Path.Combine(Directory, "maintenance.db");

    public SimulatorProcess Simulator { get; private set; } = null!;

    public PseudoTerminalPair? Bus { get; private set; }

    public ServiceProcess Gateway { get; private set; } = null!;

    /// <summary>Everything published under the gateway's topics, when the rig was started with a recorder.</summary>
    public BrokerRecorder Recorder => _recorder ?? throw new InvalidOperationException("this rig was started without a recorder");

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
        IDictionary<string, string>? simulatorSettings = null,
        bool record = true,
        IReadOnlyList<RigDevice>? simulated = null,
        bool withRules = false)
    {
        var rig = new GatewayRig(RepositoryPaths.NewScratchDirectory("gateway-rig"));
        try
        {
            await rig.InitializeAsync(devices, simulated ?? devices, withIngest, gatewaySettings, simulatorSettings, record, withRules);
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    private async Task InitializeAsync(
        IReadOnlyList<RigDevice> devices, IReadOnlyList<RigDevice> simulated, bool withIngest, IDictionary<string, string>? gatewaySettings, IDictionary<string, string>? simulatorSettings, bool record, bool withRules)
    {
        Devices = devices;
        TcpPort = FreePort.Next();
        if (simulated.Any(d => d.OnBus))
        {
            Bus = await PseudoTerminalPair.StartAsync(Path.Combine(Directory, "pty", "bus-gw"), Path.Combine(Directory, "pty", "bus-sim"));
        }

        await File.WriteAllTextAsync(SiteFile, SiteJson(devices, Bus?.A, TcpPort));
        var simulatedSite = SiteFile;
        if (!ReferenceEquals(simulated, devices))
        {
            // The plant may hold devices the gateway is not (yet) told about.
            simulatedSite = Path.Combine(Directory, "simulated-site.json");
            await File.WriteAllTextAsync(simulatedSite, SiteJson(simulated, Bus?.A, TcpPort));
        }

        Broker = await MosquittoServer.StartAsync(new MosquittoOptions { SiteFiles = { SiteFile } });
        if (withIngest)
        {
            Influx = await InfluxServer.StartAsync();
            Ingest = await PlantProcesses.StartIngestAsync(Broker, Influx, Directory);
        }

        if (withRules)
        {
            // Before the gateway, so that it judges the stream from its first batch.
            Rules = await ServiceProcess.StartAsync("Rules", new Dictionary<string, string>(Broker.ServiceSettings("rules"))
            {
                ["Mqtt:ClientId"] = "rules-rig",
                ["Rules:SiteFiles:0"] = SiteFile,
                ["Rules:ProfilesDirectory"] = Path.Combine(RepositoryPaths.Hardware, "profiles"),
                ["Rules:Database"] = DatabasePath,
                ["DeadLetters:File"] = Path.Combine(Directory, "deadletters", "rules-.jsonl"),
            });
            await Eventually.TrueAsync(async () => (await Rules.HealthAsync()).Contains("\"status\": \"healthy\"", StringComparison.Ordinal), "Rules subscribes");
        }

        Simulator = await PlantProcesses.StartSimulatorAsync(simulatedSite, TcpPort, Bus, simulatorSettings ?? new Dictionary<string, string>());
        if (record)
        {
            _recorder = await BrokerRecorder.StartAsync(Broker, $"lighting/{SiteId}/{GatewayId}/#");
        }

        var settings = new Dictionary<string, string>
        {
            // Each batch queued is logged, so that tests know from the gateway's side what entered its queue.
            [$"Serilog:MinimumLevel:Override:{BatchAssemblerCategory}"] = "Debug",
            [$"Logging:LogLevel:{BatchAssemblerCategory}"] = "Debug",
        };
        foreach (var (key, value) in gatewaySettings ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        Gateway = await PlantProcesses.StartGatewayAsync(SiteFile, StateDirectory, Broker, settings);
    }

    /// <summary>The shared test site (<see cref="PlantRig.SiteJson"/>) with these devices.</summary>
    public static string SiteJson(IReadOnlyList<RigDevice> devices, string? busPath, int tcpPort) =>
        PlantRig.SiteJson(
            new PlantRigOptions { Devices = [.. devices.Select(d => new PlantDevice(d.Id, d.Profile, d.Family, d.OnBus, d.Unit, d.PollIntervalSeconds))] },
            busPath,
            tcpPort);

    /// <summary>Rewrites the gateway's site file in place, as an editor saving it would.</summary>
    /// <remarks>
    /// Truncated and written back to back on this thread, as an editor saves in place. Written asynchronously, the
    /// truncation happens at the open and the text waits for a thread of the (busy) test host: a fresh-clone run
    /// once counted a refused reload there, as if the file had stood empty past the gateway's settle time.
    /// </remarks>
    public void EditSiteFile(string json) => File.WriteAllText(SiteFile, json);

    /// <summary>The site file for <paramref name="devices"/> on this rig's links.</summary>
    public string SiteJsonFor(IReadOnlyList<RigDevice> devices) => SiteJson(devices, Bus?.A, TcpPort);

    public async Task<JsonDocument> GatewayHealthAsync() => JsonDocument.Parse(await Gateway.HealthAsync());

    public async Task<JsonElement> DeviceHealthAsync(string device)
    {
        using var health = await GatewayHealthAsync();
        return health.RootElement.GetProperty("gateway").GetProperty("devices").GetProperty(device).Clone();
    }

    public Task InjectFaultAsync(string device, object fault) => Simulator.InjectFaultAsync(device, fault);

    public Task ClearFaultsAsync(string device) => Simulator.ClearFaultsAsync(device);

    public Task<JsonElement> SimulatedDeviceAsync(string device) => Simulator.DeviceAsync(device);

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
        $"gateway:\n{Tail(Gateway?.OutputOfAllRuns)}\nsimulator:\n{Tail(Simulator?.Output)}\ningest:\n{Tail(Ingest?.OutputOfAllRuns)}\nrules:\n{Tail(Rules?.OutputOfAllRuns)}\nbroker:\n{Tail(Broker?.Log)}";

    /// <summary>Every batch the gateway queued since the rig started, across restarts, from its log.</summary>
    public IReadOnlyDictionary<long, QueuedBatch> QueuedBatches() =>
        QueuedLine().Matches(Gateway.OutputOfAllRuns)
            .Select(m => new QueuedBatch(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .ToDictionary(b => b.Seq);

    /// <summary>
    /// What a stopped gateway left in its state folder: the batches still in its queue (not acknowledged by the
    /// broker) and the last seq it handed out. Reads the files the way the gateway reads them when it starts.
    /// </summary>
    public (IReadOnlyList<QueuedBatch> Pending, long LastSeq) StateLeftBehind()
    {
        if (Gateway.IsRunning)
        {
            throw new InvalidOperationException("the gateway is running; its state folder is in use");
        }

        var pending = new List<QueuedBatch>();
        using (var queue = StoreAndForwardQueue.Open(new QueueOptions { Directory = Path.Combine(StateDirectory, "queue") }, NullLogger.Instance, TimeProvider.System))
        {
            foreach (var record in queue.ReadBatch(int.MaxValue))
            {
                if (OutboundQueue.Open(record.Payload) is (OutboundKind.Telemetry, var json))
                {
                    var batch = JsonSerializer.Deserialize(json.Span, ContractsJson.Default.ReadingBatch)!;
                    pending.Add(new QueuedBatch(batch.Seq, batch.Readings.Count));
                }
            }
        }

        using var sequence = SequenceCounter.Open(Path.Combine(StateDirectory, "seq"), NullLogger.Instance, TimeProvider.System);
        return (pending, sequence.Last);
    }

    /// <summary>The batches InfluxDB holds: seq and the readings Ingest stored with it, one entry per point.</summary>
    public async Task<IReadOnlyList<QueuedBatch>> StoredBatchesAsync()
    {
        var rows = await QueryAsync("SELECT seq, readings FROM batches");
        return [.. rows.Select(r => new QueuedBatch(long.Parse(r["seq"], CultureInfo.InvariantCulture), int.Parse(r["readings"], CultureInfo.InvariantCulture)))];
    }

    /// <summary>Every reading point InfluxDB holds, in every family's measurement.</summary>
    public async Task<IReadOnlyList<StoredPoint>> StoredPointsAsync()
    {
        var points = new List<StoredPoint>();
        foreach (var family in Families)
        {
            foreach (var row in await QueryAsync($"SELECT * FROM {family}"))
            {
                points.Add(new StoredPoint(family, row["device"], row.GetValueOrDefault("circuit") is { Length: > 0 } circuit ? circuit : null, long.Parse(row["time"], CultureInfo.InvariantCulture)));
            }
        }

        return points;
    }

    /// <summary>Rows of an InfluxQL query, by column name (time in Unix milliseconds).</summary>
    private async Task<IReadOnlyList<Dictionary<string, string>>> QueryAsync(string query)
    {
        var result = await Influx!.RunCliAsync("-database", "telemetry", "-format", "csv", "-precision", "ms", "-execute", query);
        result.EnsureSuccess($"influx {query}");
        var rows = new List<Dictionary<string, string>>();
        string[]? header = null;
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var cells = line.Split(',');
            if (cells[0] == "name")
            {
                header = cells;
                continue;
            }

            if (header is null || cells.Length != header.Length)
            {
                throw new InvalidOperationException($"unexpected line from influx for {query}: {line}");
            }

            rows.Add(header.Zip(cells).ToDictionary(c => c.First, c => c.Second, StringComparer.Ordinal));
        }

        return rows;
    }

    /// <summary>The end of a log without stack frames, which would crowd out the lines that say what happened.</summary>
    private static string Tail(string? text)
    {
        if (text is null)
        {
            return "";
        }

        var lines = text.Split('\n').Where(l => !l.StartsWith("   at ", StringComparison.Ordinal) && !l.StartsWith("--- End of", StringComparison.Ordinal));
        var kept = string.Join('\n', lines);
        return kept[Math.Max(0, kept.Length - 8000)..];
    }

    private const string BatchAssemblerCategory = "Telemetry.Gateway.Publishing.BatchAssembler";

    [GeneratedRegex(@"Batch (\d+) queued with (\d+) readings")]
    private static partial Regex QueuedLine();

    public ValueTask DisposeAsync() => PlantProcesses.DisposeAllAsync(Gateway, _recorder, Simulator, Rules, Ingest, Influx, Broker, Bus);
}
