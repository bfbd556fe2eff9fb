using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Telemetry.Testing;

namespace Telemetry.Bench.Chaos;

/// <summary>
/// The demo plant with every part real and on loopback: the simulator playing <c>hardware/sites/demo.json</c> (its links
/// moved to free ports and a pseudo-terminal pair of the run's own, every device polled every second or two), Mosquitto
/// with TLS and the stack's principals, influxd, and Ingest, Rules, Api and the gateway compiled to native code, each its
/// own process that the run can kill, start again, pause and continue. The run's files are in <see cref="Directory"/>.
/// </summary>
internal sealed class ChaosPlant : IAsyncDisposable
{
    public const string Site = "demo";
    public const string GatewayId = "gw-demo-01";

    private ChaosPlant(string directory) => Directory = directory;

    public string Directory { get; }

    public string SiteFile => Path.Combine(Directory, "site.json");

    public string GatewayState => Path.Combine(Directory, "gateway");

    /// <summary>The gateway's archive of the batches it produced, by seq: the run's journal of what was sent.</summary>
    public string GatewayArchive => Path.Combine(GatewayState, "archive");

    public string Database => Path.Combine(Directory, "maintenance.db");

    /// <summary>Where Rules keeps the seqs it has judged (<c>Sequences:File</c>), once it keeps them.</summary>
    public string RulesSequences => Path.Combine(Directory, "rules-sequences.json");

    public string IngestSequences => Path.Combine(Directory, "ingest-sequences.json");

    public MosquittoServer Broker { get; private set; } = null!;

    public InfluxServer Influx { get; private set; } = null!;

    public ServiceProcess Ingest { get; private set; } = null!;

    public ServiceProcess Rules { get; private set; } = null!;

    public ServiceProcess Api { get; private set; } = null!;

    public ServiceProcess Gateway { get; private set; } = null!;

    public SimulatorProcess Simulator { get; private set; } = null!;

    private PseudoTerminalPair? Bus { get; set; }

    public static async Task<ChaosPlant> StartAsync(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var plant = new ChaosPlant(directory);
        try
        {
            await plant.InitializeAsync();
            return plant;
        }
        catch
        {
            await plant.DisposeAsync();
            throw;
        }
    }

    private async Task InitializeAsync()
    {
        var cabinets = FreePort.Next();
        var boxes = FreePort.Next();
        Bus = await PseudoTerminalPair.StartAsync(Path.Combine(Directory, "pty", "rs485-1-gw"), Path.Combine(Directory, "pty", "rs485-1-sim"));
        await File.WriteAllTextAsync(SiteFile, SiteJson(cabinets, boxes, Bus.A));

        // The demo site is among hardware/sites, so the broker already has its gateway's and crews' principals.
        Broker = await MosquittoServer.StartAsync(new MosquittoOptions { Tls = true, RequireCertificate = true });
        Influx = await InfluxServer.StartAsync();
        var profiles = Path.Combine(RepositoryPaths.Hardware, "profiles");
        var quiet = new Dictionary<string, string> { ["Serilog:MinimumLevel:Default"] = "Information" };

        Ingest = await ServiceProcess.StartAsync("Ingest", With(await Broker.TlsServiceSettingsAsync("ingest"), quiet, new()
        {
            ["Mqtt:ClientId"] = "ingest-chaos",
            ["Influx:Url"] = Influx.Url.ToString(),
            ["Influx:Linger"] = "00:00:00.050",
            ["DeadLetters:File"] = Path.Combine(Directory, "deadletters", "ingest-.jsonl"),
            ["Sequences:File"] = IngestSequences,
        }));
        Rules = await ServiceProcess.StartAsync("Rules", With(await Broker.TlsServiceSettingsAsync("rules"), quiet, new()
        {
            ["Mqtt:ClientId"] = "rules-chaos",
            ["Influx:Url"] = Influx.Url.ToString(),
            ["Rules:SiteFiles:0"] = SiteFile,
            ["Rules:ProfilesDirectory"] = profiles,
            ["Rules:Database"] = Database,
            ["Rules:TimeZone"] = "Asia/Shanghai",
            ["Rules:StateSaveInterval"] = "00:00:02",
            ["DeadLetters:File"] = Path.Combine(Directory, "deadletters", "rules-.jsonl"),
            ["Sequences:File"] = RulesSequences,
        }));
        Api = await ServiceProcess.StartAsync("Api", With(await Broker.TlsServiceSettingsAsync("api"), quiet, new()
        {
            ["Mqtt:ClientId"] = "api-chaos",
            ["Influx:Url"] = Influx.Url.ToString(),
            ["Api:Database"] = Database,
            ["Api:TimeZone"] = "Asia/Shanghai",
            ["Api:SiteFiles:0"] = SiteFile,
            ["Api:ProfilesDirectory"] = profiles,
        }));

        // Lamps that do not fail by themselves, so that every ticket about a device is one of the injected faults.
        Simulator = await SimulatorProcess.StartAsync(SiteFile, new Dictionary<string, string>
        {
            ["Simulator:Profiles"] = profiles,
            ["Simulator:Tcp:tcp-cabinets"] = cabinets.ToString(CultureInfo.InvariantCulture),
            ["Simulator:Tcp:tcp-boxes"] = boxes.ToString(CultureInfo.InvariantCulture),
            ["Simulator:Serial:rs485-1"] = Bus.B,
            ["Simulator:WireTiming"] = "false",
            ["Simulator:Physics:LampMtbfHours"] = "1000000000",
        });

        var native = Path.Combine(RepositoryPaths.Root, "artifacts", "gateway", "Telemetry.Gateway");
        if (!File.Exists(native))
        {
            throw new FileNotFoundException($"{native} is not built; run scripts/build gateway first", native);
        }

        Gateway = await ServiceProcess.StartAsync("Gateway", With(await Broker.TlsGatewaySettingsAsync(Site, GatewayId), quiet, new()
        {
            ["Gateway:SiteFile"] = SiteFile,
            ["Gateway:ProfilesDirectory"] = profiles,
            ["Gateway:StateDirectory"] = GatewayState,
            ["Gateway:StatisticsInterval"] = "00:00:05",
        }), native);
    }

    private static Dictionary<string, string> With(params Dictionary<string, string>[] parts)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            foreach (var (key, value) in part)
            {
                settings[key] = value;
            }
        }

        return settings;
    }

    /// <summary>
    /// The demo site as the run plays it: links on the run's ports and pseudo-terminal, devices on Modbus TCP polled every
    /// second and on the RS-485 line every two, and no emergency test plan (a test's outcome would be a ticket of its own).
    /// </summary>
    private static string SiteJson(int cabinets, int boxes, string busPath)
    {
        var site = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Hardware, "sites", "demo.json")))!.AsObject();
        site.Remove("$schema");
        site.Remove("emergency_tests");
        var gateway = site["gateways"]![0]!.AsObject();
        foreach (var link in gateway["links"]!.AsArray().Select(l => l!.AsObject()))
        {
            switch ((string?)link["id"])
            {
                case "tcp-cabinets":
                    link["tcp"]!["port"] = cabinets;
                    break;
                case "tcp-boxes":
                    link["tcp"]!["port"] = boxes;
                    break;
                case "rs485-1":
                    link["rtu"]!["device"] = busPath;
                    link["rtu"]!["baud"] = 19200;
                    break;
                default:
                    throw new InvalidOperationException($"the demo site has a link the chaos run does not know: {link["id"]}");
            }
        }

        foreach (var device in gateway["devices"]!.AsArray().Select(d => d!.AsObject()))
        {
            device["poll_interval_s"] = (string?)device["link"] == "rs485-1" ? 2 : 1;
        }

        return site.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public void Kill(ChaosTarget target)
    {
        switch (target)
        {
            case ChaosTarget.Mosquitto:
                Broker.Kill();
                break;
            case ChaosTarget.Influxd:
                Influx.Kill();
                break;
            default:
                Service(target).Kill();
                break;
        }
    }

    public Task StartAgainAsync(ChaosTarget target) => target switch
    {
        ChaosTarget.Mosquitto => Broker.StartAgainAsync(),
        ChaosTarget.Influxd => Influx.StartAgainAsync(),
        _ => Service(target).StartAgainAsync(),
    };

    public void Pause(ChaosTarget target)
    {
        switch (target)
        {
            case ChaosTarget.Mosquitto:
                Broker.Pause();
                break;
            case ChaosTarget.Influxd:
                Influx.Pause();
                break;
            default:
                Service(target).Pause();
                break;
        }
    }

    public void Resume(ChaosTarget target)
    {
        switch (target)
        {
            case ChaosTarget.Mosquitto:
                Broker.Resume();
                break;
            case ChaosTarget.Influxd:
                Influx.Resume();
                break;
            default:
                Service(target).Resume();
                break;
        }
    }

    public bool IsRunning(ChaosTarget target) => target switch
    {
        ChaosTarget.Mosquitto => Broker.IsRunning,
        ChaosTarget.Influxd => Influx.IsRunning,
        _ => Service(target).IsRunning,
    };

    private ServiceProcess Service(ChaosTarget target) => target switch
    {
        ChaosTarget.Ingest => Ingest,
        ChaosTarget.Rules => Rules,
        ChaosTarget.Api => Api,
        ChaosTarget.Gateway => Gateway,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "not a service"),
    };

    /// <summary>The output of every run of each process, under <c>logs/</c>, for reading after the run.</summary>
    public async Task WriteLogsAsync()
    {
        var logs = Path.Combine(Directory, "logs");
        System.IO.Directory.CreateDirectory(logs);
        foreach (var (name, service) in new[] { ("ingest", Ingest), ("rules", Rules), ("api", Api), ("gateway", Gateway) })
        {
            if (service is not null)
            {
                await File.WriteAllTextAsync(Path.Combine(logs, name + ".log"), service.OutputOfAllRuns);
            }
        }

        if (Simulator is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(logs, "simulator.log"), Simulator.Output);
        }

        if (Broker is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(logs, "mosquitto.log"), Broker.Log);
        }
    }

    public ValueTask DisposeAsync() => PlantProcesses.DisposeAllAsync(Gateway, Simulator, Api, Rules, Ingest, Influx, Broker, Bus);
}
