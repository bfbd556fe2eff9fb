using System.Text.Json;
using Telemetry.Testing;

namespace Telemetry.Ingest.Tests.Consuming;

/// <summary>Ingest loses nothing and doubles nothing when it, or InfluxDB, dies mid-stream.</summary>
public sealed class IngestKilledMidStreamTests(BrokerAndDatabase servers) : IClassFixture<BrokerAndDatabase>
{
    private readonly MosquittoServer _broker = servers.Broker;
    private readonly InfluxServer _influx = servers.Influx;

    [Fact]
    public async Task Every_reading_of_a_200000_reading_stream_is_stored_once_after_a_sigkill()
    {
        const int batches = 2_000, perBatch = 100;
        var stream = new GatewayStream(_broker, "gw-kill", perBatch);
        var ingest = await IngestProcess.StartAsync(_broker, _influx, "ingest-kill");
        await using (ingest)
        {
            var publishing = stream.PublishAsync(0, batches, pace: TimeSpan.FromMilliseconds(1));
            await Eventually.TrueAsync(async () => await IngestProcess.CountAsync(_influx) > 20_000, "part of the stream is stored", TimeSpan.FromSeconds(60));
            ingest.Kill();
            var stored = await IngestProcess.CountAsync(_influx);
            Assert.InRange(stored, 20_000, batches * perBatch - 1);

            await publishing;
            await ingest.StartAgainAsync();
            await IngestProcess.WaitForCountAsync(_influx, batches * perBatch, TimeSpan.FromMinutes(2), ingest);
        }

        var seqs = await _influx.RunCliAsync("-database", "telemetry", "-format", "csv", "-execute", "SELECT COUNT(seq) FROM batches WHERE gateway = 'gw-kill'");
        Assert.EndsWith($",{batches}", seqs.StandardOutput.Trim(), StringComparison.Ordinal);
    }
}

public sealed class InfluxOutageTests(BrokerAndDatabase servers) : IClassFixture<BrokerAndDatabase>
{
    private readonly MosquittoServer _broker = servers.Broker;
    private readonly InfluxServer _influx = servers.Influx;

    [Fact]
    public async Task InfluxDB_down_for_30_seconds_loses_nothing_and_holds_no_more_than_the_receive_maximum()
    {
        const int receiveMaximum = 500, perBatch = 50;
        const long memoryBound = 256L << 20;
        var stream = new GatewayStream(_broker, "gw-outage", perBatch);
        await using var ingest = await IngestProcess.StartAsync(_broker, _influx, "ingest-outage", new Dictionary<string, string> { ["Mqtt:ReceiveMaximum"] = "500" });

        await stream.PublishAsync(0, 100);
        await IngestProcess.WaitForCountAsync(_influx, 100 * perBatch, TimeSpan.FromSeconds(30));

        await _influx.StopAsync();
        var outage = DateTime.UtcNow;
        var publishing = stream.PublishAsync(100, 2_100, pace: TimeSpan.FromMilliseconds(10));
        long peakHeld = 0, peakWorkingSet = 0;
        while (DateTime.UtcNow - outage < TimeSpan.FromSeconds(30))
        {
            using var health = JsonDocument.Parse(await ingest.HealthAsync());
            var figures = health.RootElement.GetProperty("ingest");
            peakHeld = Math.Max(peakHeld, figures.GetProperty("held_messages").GetInt64());
            peakWorkingSet = Math.Max(peakWorkingSet, figures.GetProperty("working_set_bytes").GetInt64());
            await Task.Delay(500);
        }

        Assert.InRange(peakHeld, 1, receiveMaximum);
        Assert.InRange(peakWorkingSet, 1, memoryBound);
        await _influx.StartAgainAsync();
        await publishing;
        await IngestProcess.WaitForCountAsync(_influx, 2_100 * perBatch, TimeSpan.FromMinutes(2), ingest);
    }
}

public sealed class SharedSubscriptionTests(BrokerAndDatabase servers) : IClassFixture<BrokerAndDatabase>
{
    private readonly MosquittoServer _broker = servers.Broker;
    private readonly InfluxServer _influx = servers.Influx;

    [Fact]
    public async Task Two_instances_split_one_stream_and_the_union_is_complete()
    {
        const int batches = 1_000, perBatch = 50;
        await using var first = await IngestProcess.StartAsync(_broker, _influx, "ingest-a");
        await using var second = await IngestProcess.StartAsync(_broker, _influx, "ingest-b");

        await new GatewayStream(_broker, "gw-shared", perBatch).PublishAsync(0, batches);
        await IngestProcess.WaitForCountAsync(_influx, batches * perBatch, TimeSpan.FromMinutes(1), first, second);

        var a = await ReceivedAsync(first);
        var b = await ReceivedAsync(second);
        Assert.True(a > 0 && b > 0, $"both instances take part: {a} and {b}");
        Assert.True(a + b >= batches, $"every message reached one of them: {a} + {b}");
    }

    private static async Task<long> ReceivedAsync(ServiceProcess ingest)
    {
        using var health = JsonDocument.Parse(await ingest.HealthAsync());
        return health.RootElement.GetProperty("ingest").GetProperty("messages_received").GetInt64();
    }
}
