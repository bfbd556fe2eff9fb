using System.Globalization;
using Telemetry.Testing;

namespace Telemetry.Ingest.Tests.Consuming;

/// <summary>Starts the real Ingest process against given servers.</summary>
internal static class IngestProcess
{
    public static async Task<ServiceProcess> StartAsync(MosquittoServer broker, InfluxServer influx, string clientId, IDictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Mqtt:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:ClientId"] = clientId,
            ["Influx:Url"] = influx.Url.ToString(),
            ["Influx:Linger"] = "00:00:00.050",
            ["DeadLetters:File"] = Path.Combine(influx.Directory, $"deadletters-{clientId}", "ingest-.jsonl"),
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var ingest = await ServiceProcess.StartAsync("Ingest", settings);
        await Eventually.TrueAsync(async () => (await ingest.HealthAsync()).Contains("\"subscribed\": true", StringComparison.Ordinal), "Ingest subscribes");
        return ingest;
    }

    public static async Task<long> CountAsync(InfluxServer influx, string measurement = "high_mast", string field = "lamps_lit")
    {
        var output = (await influx.RunCliAsync("-database", "telemetry", "-format", "csv", "-execute", $"SELECT COUNT({field}) FROM {measurement}")).StandardOutput;
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).FirstOrDefault();
        return line is null ? 0 : long.Parse(line.Split(',')[^1], CultureInfo.InvariantCulture);
    }

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
}
