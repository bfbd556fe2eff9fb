using System.Globalization;
using System.Text.Json;
using Telemetry.Testing;

namespace Telemetry.Ingest.Tests.Consuming;

/// <summary>Starts the real Ingest process against given servers.</summary>
internal static class IngestProcess
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static Task<ServiceProcess> StartAsync(MosquittoServer broker, InfluxServer influx, string clientId, IDictionary<string, string>? more = null) =>
        StartAsync(broker, influx.Url, influx.Directory, clientId, more);

    /// <summary>Starts Ingest against the InfluxDB at <paramref name="influxUrl"/>, its dead letters under <paramref name="scratch"/> unless told otherwise.</summary>
    public static async Task<ServiceProcess> StartAsync(MosquittoServer broker, Uri influxUrl, string scratch, string clientId, IDictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Mqtt:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:Username"] = "ingest",
            ["Mqtt:Password"] = broker.Credentials("ingest").Password,
            ["Mqtt:ClientId"] = clientId,
            ["Influx:Url"] = influxUrl.ToString(),
            ["Influx:Linger"] = "00:00:00.050",
            ["DeadLetters:File"] = Path.Combine(scratch, $"deadletters-{clientId}", "ingest-.jsonl"),
            ["Sequences:File"] = Path.Combine(scratch, $"sequences-{clientId}.json"),
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var ingest = await ServiceProcess.StartAsync("Ingest", settings);
        await Eventually.TrueAsync(async () => (await ingest.HealthAsync()).Contains("\"subscribed\": true", StringComparison.Ordinal), "Ingest subscribes");
        return ingest;
    }

    /// <summary>The health document with its HTTP status: 503 when Ingest is unhealthy.</summary>
    public static async Task<IngestHealth> HealthAsync(ServiceProcess ingest)
    {
        using var response = await Http.GetAsync(ingest.HealthUrl);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new IngestHealth((int)response.StatusCode, document);
    }

    public static async Task<long> CountAsync(InfluxServer influx, string measurement = "high_mast", string field = "lamps_lit") =>
        await QueryCountAsync(influx, $"SELECT COUNT({field}) FROM {measurement}");

    /// <summary>The number a <c>SELECT COUNT(...)</c> answers, 0 when nothing matches (or the database is missing).</summary>
    public static async Task<long> QueryCountAsync(InfluxServer influx, string select, string database = "telemetry") =>
        Count((await influx.RunCliAsync("-database", database, "-format", "csv", "-execute", select)).StandardOutput);

    /// <summary>The same, with the influx CLI against the server on <paramref name="port"/>.</summary>
    public static async Task<long> QueryCountAsync(int port, string select, string database = "telemetry") =>
        Count((await ExternalCommand.RunAsync("influx", ["-host", "127.0.0.1", "-port", port.ToString(CultureInfo.InvariantCulture), "-database", database, "-format", "csv", "-execute", select])).StandardOutput);

    public static async Task WaitForCountAsync(InfluxServer influx, long expected, TimeSpan timeout, params ServiceProcess[] ingests)
    {
        try
        {
            await Eventually.TrueAsync(async () => await CountAsync(influx) == expected, $"{expected} readings in InfluxDB", timeout);
        }
        catch (TimeoutException ex)
        {
            var logs = string.Join("\n---\n", ingests.Select(i => i.Output[Math.Max(0, i.Output.Length - 4000)..]));
            throw new TimeoutException($"{ex.Message}; stored {await CountAsync(influx)}; Ingest said:\n{logs}", ex);
        }
    }

    /// <summary>The end of Ingest's log, to explain a timeout.</summary>
    public static string Tail(ServiceProcess ingest) => ingest.OutputOfAllRuns[Math.Max(0, ingest.OutputOfAllRuns.Length - 6000)..];

    private static long Count(string csv)
    {
        var line = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).FirstOrDefault();
        return line is null ? 0 : long.Parse(line.Split(',')[^1], CultureInfo.InvariantCulture);
    }
}

/// <summary>Ingest's <c>/healthz</c> answer.</summary>
internal sealed class IngestHealth(int statusCode, JsonDocument document) : IDisposable
{
    public int StatusCode { get; } = statusCode;

    public JsonElement Root => document.RootElement;

    public JsonElement Ingest => Root.GetProperty("ingest");

    public string Status => Root.GetProperty("status").GetString()!;

    public IReadOnlyList<string> Reasons => [.. Root.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!)];

    /// <summary>Dead letters counted by reason.</summary>
    public IReadOnlyDictionary<string, long> DeadLetters =>
        Ingest.GetProperty("dead_letters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());

    public long Figure(string name) => Ingest.GetProperty(name).GetInt64();

    public void Dispose() => document.Dispose();

    public override string ToString() => $"{StatusCode} {Root}";
}
