using System.Globalization;
using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Mqtt;

namespace Telemetry.Testing;

/// <summary>
/// A gateway's stream for delivery tests and benchmarks: batches of high-mast readings, every reading its own series point
/// (device and millisecond), so that the count stored in InfluxDB says whether any was lost or doubled.
/// </summary>
public sealed class GatewayStream(MosquittoServer broker, string gateway, int readingsPerBatch)
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
        await using var client = new MqttClient(broker.ClientOptions(MosquittoServer.Harness) with { ClientId = $"{gateway}-{Guid.NewGuid():N}" });
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
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException($"the broker refused a publish: {result.ReasonCode}");
            }
        }

        await client.DisconnectAsync(cancellationToken);
    }
}

