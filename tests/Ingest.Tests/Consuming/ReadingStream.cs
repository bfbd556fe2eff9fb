using System.Globalization;
using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Mqtt;
using Telemetry.Testing;

namespace Telemetry.Ingest.Tests.Consuming;

/// <summary>
/// A gateway's stream for delivery tests: batches of high-mast readings, every reading its own series point
/// (device and millisecond), so that the count stored in InfluxDB says whether any was lost or doubled.
/// </summary>
internal sealed class ReadingStream(MosquittoServer broker, string gateway, int readingsPerBatch)
{
    private readonly DateTimeOffset _origin = DateTimeOffset.UtcNow.AddHours(-1);

    public const int Devices = 50;

    public static ReadingBatch Batch(string gateway, long seq, int readingsPerBatch, DateTimeOffset origin) => new()
    {
        Gateway = gateway,
        Site = "north",
        Seq = seq,
        Sent = origin.AddMilliseconds(seq),
        Readings = [.. Enumerable.Range(0, readingsPerBatch).Select(i =>
        {
            var index = (seq * readingsPerBatch) + i;
            return new Reading
            {
                Device = string.Create(CultureInfo.InvariantCulture, $"mast-{index % Devices:00}"),
                Family = DeviceFamily.HighMast,
                Ts = origin.AddMilliseconds(index / Devices),
                Values = new Dictionary<string, ReadingValue> { ["lamps_lit"] = index % 13, ["voltage_v"] = 229.5 },
            };
        })],
    };

    public byte[] Payload(long seq) => JsonSerializer.SerializeToUtf8Bytes(Batch(gateway, seq, readingsPerBatch, _origin), ContractsJson.Default.ReadingBatch);

    public string Topic => $"lighting/north/{gateway}/telemetry";

    /// <summary>Publishes batches [from, to) at QoS 1 and returns when the broker has acknowledged them all.</summary>
    public async Task PublishAsync(long from, long to, TimeSpan? pace = null, CancellationToken cancellationToken = default)
    {
        await using var client = new MqttClient(new MqttClientOptions { Host = broker.Host, Port = broker.Port, ClientId = $"{gateway}-{Guid.NewGuid():N}" });
        await client.ConnectAsync(cancellationToken);
        var pending = new List<Task<MqttPublishResult>>();
        for (var seq = from; seq < to; seq++)
        {
            pending.Add(client.PublishAsync(new MqttApplicationMessage { Topic = Topic, Payload = Payload(seq), QualityOfService = MqttQualityOfService.AtLeastOnce }, cancellationToken));
            if (pace is { } p)
            {
                await Task.Delay(p, cancellationToken);
            }
        }

        foreach (var result in await Task.WhenAll(pending))
        {
            Assert.True(result.IsSuccess, $"the broker refused a publish: {result.ReasonCode}");
        }

        await client.DisconnectAsync(cancellationToken);
    }
}

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
