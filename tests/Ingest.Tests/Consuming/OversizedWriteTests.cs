using System.Globalization;
using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Mqtt;
using Telemetry.Testing;

namespace Telemetry.Ingest.Tests.Consuming;

/// <summary>A write InfluxDB finds too large (413) is split along message boundaries until it passes; only a message too large on its own is set aside.</summary>
public sealed class OversizedWriteTests : IAsyncLifetime
{
    private const int BodyLimit = 64 * 1024;
    private MosquittoServer _broker = null!;
    private RunningCommand _influx = null!;
    private string _directory = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoServer.StartAsync();
        _directory = RepositoryPaths.NewScratchDirectory("influxd-small-bodies");
        _port = FreePort.Next();
        var config = Path.Combine(_directory, "influxdb.conf");
        await File.WriteAllTextAsync(config, RepositoryPaths.FillTemplate("influxdb.conf", new Dictionary<string, string>
        {
            ["PORT"] = _port.ToString(CultureInfo.InvariantCulture),
            ["RPCPORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["DIR"] = _directory,
        }));

        // influxd takes its settings from the environment over its file: here, a body limit small enough to meet.
        _influx = ExternalCommand.Start("influxd", ["run", "-config", config], new Dictionary<string, string>
        {
            ["INFLUXDB_HTTP_MAX_BODY_SIZE"] = BodyLimit.ToString(CultureInfo.InvariantCulture),
        });
        await Eventually.TrueAsync(
            async () => (await ExternalCommand.RunAsync("influx", ["-host", "127.0.0.1", "-port", _port.ToString(CultureInfo.InvariantCulture), "-execute", "SHOW DATABASES"])).ExitCode == 0,
            "influxd answers",
            explain: () => _influx.Output);
    }

    public async Task DisposeAsync()
    {
        await _influx.DisposeAsync();
        await _broker.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A scratch folder left behind in /tmp is harmless.
        }
    }

    [Fact]
    public async Task Writes_larger_than_InfluxDB_takes_are_split_until_every_reading_is_stored_and_a_message_too_large_alone_is_dead_lettered()
    {
        const int batches = 400, perBatch = 50;
        await using var ingest = await IngestProcess.StartAsync(_broker, new Uri($"http://127.0.0.1:{_port}/"), _directory, "ingest-413", new Dictionary<string, string>
        {
            ["Influx:Linger"] = "00:00:00.500",
            ["Influx:BatchBytes"] = (1 << 20).ToString(CultureInfo.InvariantCulture),
        });
        await using var watcher = await DeadLetterWatcher.StartAsync(_broker);

        // Published at once, they make writes of up to a megabyte, sixteen times what InfluxDB takes.
        var stream = new GatewayStream(_broker, "gw-big", perBatch);
        await stream.PublishAsync(0, batches);

        // 1,500 readings in one message: some 150 KB of points, more than InfluxDB takes in one write; then one more that fits.
        var huge = JsonSerializer.SerializeToUtf8Bytes(GatewayStream.Batch("gw-huge", 0, 1_500, DateTimeOffset.UtcNow.AddHours(-1)), ContractsJson.Default.ReadingBatch);
        await using (var client = new MqttClient(_broker.ClientOptions(MosquittoServer.Harness) with { ClientId = "gw-huge" }))
        {
            await client.ConnectAsync(CancellationToken.None);
            var published = await client.PublishAsync(new MqttApplicationMessage { Topic = "lighting/north/gw-huge/telemetry", Payload = huge, QualityOfService = MqttQualityOfService.AtLeastOnce }, CancellationToken.None);
            Assert.True(published.IsSuccess);
        }

        await stream.PublishAsync(batches, batches + 1);

        await Eventually.TrueAsync(
            async () => await CountAsync("gw-big") == (batches + 1) * perBatch,
            $"all {(batches + 1) * perBatch} readings of gw-big stored",
            TimeSpan.FromMinutes(1),
            () => IngestProcess.Tail(ingest));
        var letter = await Eventually.ValueAsync(() => Task.FromResult(watcher.Letters), l => l.Count > 0, "the dead letter of the huge message");
        var rejection = Assert.Single(letter).GetProperty("rejections")[0];
        Assert.Equal("too_large", rejection.GetProperty("reason").GetString());
        Assert.Contains("413", rejection.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("lighting/north/gw-huge/telemetry", letter[0].GetProperty("topic").GetString());
        Assert.Equal(huge.Length, letter[0].GetProperty("payload_bytes").GetInt32());

        using var health = await Eventually.ValueAsync(
            () => IngestProcess.HealthAsync(ingest),
            h => h.Figure("messages_acknowledged") == batches + 2 && h.Status == "healthy",
            "every message acknowledged and Ingest healthy",
            explain: () => IngestProcess.Tail(ingest));
        Assert.Equal(new Dictionary<string, long> { ["too_large"] = 1 }, health.DeadLetters);
        Assert.True(health.Ingest.GetProperty("batch_points").GetProperty("count").GetInt64() > 0);
        Assert.Contains("as too large", ingest.Output, StringComparison.Ordinal);
    }

    private Task<long> CountAsync(string gateway) =>
        IngestProcess.QueryCountAsync(_port, $"SELECT COUNT(lamps_lit) FROM high_mast WHERE gateway = '{gateway}'");
}
