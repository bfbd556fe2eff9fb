using System.Globalization;
using System.Text.Json;

namespace Telemetry.Testing;

/// <summary>The steps the end-to-end rigs share to start the product's processes on one test plant, and to stop them.</summary>
public static class PlantProcesses
{
    /// <summary>Ingest on the broker (its TLS listener when <paramref name="tls"/>) and database, writing soon (50 ms linger), once it has subscribed.</summary>
    public static async Task<ServiceProcess> StartIngestAsync(MosquittoServer broker, InfluxServer influx, string directory, bool tls = false)
    {
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(influx);
        var login = tls ? await broker.TlsServiceSettingsAsync("ingest") : broker.ServiceSettings("ingest");
        var ingest = await ServiceProcess.StartAsync("Ingest", new Dictionary<string, string>(login)
        {
            ["Mqtt:ClientId"] = "ingest-rig",
            ["Influx:Url"] = influx.Url.ToString(),
            ["Influx:Linger"] = "00:00:00.050",
            ["DeadLetters:File"] = Path.Combine(directory, "deadletters", "ingest-.jsonl"),
            ["Sequences:File"] = Path.Combine(directory, "sequences", "ingest.json"),
        });
        await Eventually.TrueAsync(async () => (await ingest.HealthAsync()).Contains("\"subscribed\": true", StringComparison.Ordinal), "Ingest subscribes");
        return ingest;
    }

    /// <summary>The simulator serving <paramref name="siteFile"/>'s link <c>tcp-1</c> on <paramref name="tcpPort"/> and <c>bus-1</c> on the bus, if any.</summary>
    public static Task<SimulatorProcess> StartSimulatorAsync(string siteFile, int tcpPort, PseudoTerminalPair? bus, IEnumerable<KeyValuePair<string, string>> settings)
    {
        var simulator = new Dictionary<string, string>
        {
            ["Simulator:Profiles"] = Path.Combine(RepositoryPaths.Hardware, "profiles"),
            ["Simulator:Tcp:tcp-1"] = tcpPort.ToString(CultureInfo.InvariantCulture),
            ["Simulator:WireTiming"] = "false",
        };
        if (bus is not null)
        {
            simulator["Simulator:Serial:bus-1"] = bus.B;
        }

        foreach (var (key, value) in settings)
        {
            simulator[key] = value;
        }

        return SimulatorProcess.StartAsync(siteFile, simulator);
    }

    /// <summary>
    /// The gateway on <paramref name="siteFile"/> (on the broker's TLS listener when <paramref name="tls"/>), with <paramref name="settings"/> over the rigs' defaults. It returns
    /// once the gateway has subscribed to its command topic: health answers before that, and a command sent in
    /// between would reach no one.
    /// </summary>
    public static async Task<ServiceProcess> StartGatewayAsync(
        string siteFile, string stateDirectory, MosquittoServer broker, IEnumerable<KeyValuePair<string, string>> settings, bool tls = false)
    {
        ArgumentNullException.ThrowIfNull(broker);
        // The gateway logs in as itself: the principal of the site file's (first) gateway.
        using var site = JsonDocument.Parse(await File.ReadAllTextAsync(siteFile));
        var siteId = site.RootElement.GetProperty("site").GetString()!;
        var gatewayId = site.RootElement.GetProperty("gateways")[0].GetProperty("id").GetString()!;
        var login = tls ? await broker.TlsGatewaySettingsAsync(siteId, gatewayId) : broker.GatewaySettings(siteId, gatewayId);
        var gateway = new Dictionary<string, string>(login)
        {
            ["Gateway:SiteFile"] = siteFile,
            ["Gateway:ProfilesDirectory"] = Path.Combine(RepositoryPaths.Hardware, "profiles"),
            ["Gateway:StateDirectory"] = stateDirectory,
            ["Gateway:StatisticsInterval"] = "00:00:05",
        };
        foreach (var (key, value) in settings)
        {
            gateway[key] = value;
        }

        var process = await ServiceProcess.StartAsync("Gateway", gateway);
        await Eventually.TrueAsync(async () => (await process.HealthAsync()).Contains("\"commands_listening\": true", StringComparison.Ordinal), "the gateway listens for commands");
        return process;
    }

    /// <summary>Disposes each part that was started, in the order given.</summary>
    public static async ValueTask DisposeAllAsync(params IAsyncDisposable?[] parts)
    {
        foreach (var part in parts)
        {
            if (part is not null)
            {
                await part.DisposeAsync();
            }
        }
    }
}
