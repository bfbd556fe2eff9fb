using System.Globalization;
using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Mqtt;
using Telemetry.Testing;

namespace Telemetry.Ingest.Tests.Consuming;

/// <summary>
/// A database missing is the operator's to fix, not the readings' fault: Ingest says it is unhealthy and why, keeps
/// every reading unacknowledged, dead-letters none, and stores them all once the database exists.
/// </summary>
public sealed class DatabaseDroppedTests(BrokerAndDatabase servers) : IClassFixture<BrokerAndDatabase>
{
    private const int PerBatch = GatewayStream.Devices;
    private readonly MosquittoServer _broker = servers.Broker;
    private readonly InfluxServer _influx = servers.Influx;

    [Fact]
    public async Task A_database_dropped_under_a_flowing_stream_makes_Ingest_unhealthy_and_every_reading_published_after_is_stored_once_it_is_made_again()
    {
        var deadLetters = Path.Combine(_influx.Directory, "dropped", "ingest-.jsonl");
        await using var ingest = await IngestProcess.StartAsync(_broker, _influx, "ingest-dropped", new Dictionary<string, string> { ["DeadLetters:File"] = deadLetters });
        await using var watcher = await DeadLetterWatcher.StartAsync(_broker);
        await using var stream = await PacedStream.StartAsync(_broker, "gw-drop");

        await Eventually.TrueAsync(async () => await stream.StoredAsync(_influx, 0) > 0, "the stream flows into InfluxDB", TimeSpan.FromSeconds(30), () => IngestProcess.Tail(ingest));
        (await _influx.RunCliAsync("-execute", "DROP DATABASE telemetry")).EnsureSuccess("DROP DATABASE");

        // Published after the drop: none of these can have been stored before it, so every one must be stored after.
        var firstAfterDrop = stream.Published;
        using (var unhealthy = await Eventually.ValueAsync(
            () => IngestProcess.HealthAsync(ingest),
            h => h.StatusCode == 503 && h.Reasons.Contains("InfluxDB: database 'telemetry' not found"),
            "Ingest unhealthy, naming the database",
            explain: () => IngestProcess.Tail(ingest)))
        {
            Assert.Equal("unhealthy", unhealthy.Status);
        }

        await Eventually.TrueAsync(() => Task.FromResult(stream.Published >= firstAfterDrop + 200), "the stream goes on while the database is missing");
        using (var waiting = await IngestProcess.HealthAsync(ingest))
        {
            Assert.Equal(503, waiting.StatusCode);
            Assert.Empty(waiting.DeadLetters);
            Assert.True(waiting.Figure("held_messages") > 0, waiting.ToString());
        }

        (await _influx.RunCliAsync("-execute", "CREATE DATABASE telemetry")).EnsureSuccess("CREATE DATABASE");
        await Eventually.TrueAsync(() => Task.FromResult(stream.Published >= firstAfterDrop + 300), "the stream goes on after the database is back");
        var published = await stream.StopAsync();

        var expected = (published - firstAfterDrop) * PerBatch;
        await Eventually.TrueAsync(
            async () => await stream.StoredAsync(_influx, firstAfterDrop) == expected,
            $"the {expected} readings published after the drop stored",
            TimeSpan.FromMinutes(1),
            () => IngestProcess.Tail(ingest));
        Assert.Equal(published - firstAfterDrop, await IngestProcess.QueryCountAsync(_influx, $"SELECT COUNT(seq) FROM batches WHERE gateway = 'gw-drop' AND seq >= {firstAfterDrop}"));
        Assert.InRange(await stream.StoredAsync(_influx, 0), expected, published * PerBatch);

        using var health = await Eventually.ValueAsync(
            () => IngestProcess.HealthAsync(ingest),
            h => h.Status == "healthy" && h.Figure("held_messages") == 0,
            "Ingest healthy again with nothing held",
            explain: () => IngestProcess.Tail(ingest));
        Assert.Equal(published, health.Figure("messages_acknowledged"));
        Assert.Empty(health.DeadLetters);
        Assert.Empty(watcher.Letters);
        Assert.False(Directory.Exists(Path.GetDirectoryName(deadLetters)));
    }
}

public sealed class DatabaseNotMadeTests(BrokerAndDatabase servers) : IClassFixture<BrokerAndDatabase>
{
    private readonly MosquittoServer _broker = servers.Broker;
    private readonly InfluxServer _influx = servers.Influx;

    [Fact]
    public async Task A_start_on_a_database_that_does_not_exist_without_making_it_is_unhealthy_until_the_operator_makes_it_then_every_reading_is_stored()
    {
        const int batches = 100, perBatch = 20;
        var deadLetters = Path.Combine(_influx.Directory, "late", "ingest-.jsonl");
        await using var ingest = await IngestProcess.StartAsync(_broker, _influx, "ingest-late", new Dictionary<string, string>
        {
            ["Influx:Database"] = "telemetry_late",
            ["Influx:CreateDatabase"] = "false",
            ["DeadLetters:File"] = deadLetters,
        });

        using (var before = await Eventually.ValueAsync(
            () => IngestProcess.HealthAsync(ingest),
            h => h.StatusCode == 503 && h.Reasons.Contains("InfluxDB: database 'telemetry_late' not found"),
            "Ingest unhealthy before any message, naming the database",
            explain: () => IngestProcess.Tail(ingest)))
        {
            Assert.Equal("unhealthy", before.Status);
        }

        await new GatewayStream(_broker, "gw-late", perBatch).PublishAsync(0, batches);
        using (var waiting = await Eventually.ValueAsync(
            () => IngestProcess.HealthAsync(ingest),
            h => h.Figure("messages_received") == batches,
            "every message reached Ingest"))
        {
            Assert.Equal(503, waiting.StatusCode);
            Assert.Contains("InfluxDB: database 'telemetry_late' not found", waiting.Reasons);
            Assert.Equal(batches, waiting.Figure("held_messages"));
            Assert.Equal(0, waiting.Figure("messages_acknowledged"));
            Assert.Empty(waiting.DeadLetters);
        }

        (await _influx.RunCliAsync("-execute", "CREATE DATABASE telemetry_late")).EnsureSuccess("CREATE DATABASE");
        await Eventually.TrueAsync(
            async () => await IngestProcess.QueryCountAsync(_influx, "SELECT COUNT(lamps_lit) FROM high_mast WHERE gateway = 'gw-late'", "telemetry_late") == batches * perBatch,
            $"all {batches * perBatch} readings stored",
            TimeSpan.FromMinutes(1),
            () => IngestProcess.Tail(ingest));

        using var after = await Eventually.ValueAsync(
            () => IngestProcess.HealthAsync(ingest),
            h => h.Status == "healthy" && h.Figure("messages_acknowledged") == batches,
            "Ingest healthy with every message acknowledged",
            explain: () => IngestProcess.Tail(ingest));
        Assert.Equal(200, after.StatusCode);
        Assert.Empty(after.DeadLetters);
        Assert.False(Directory.Exists(Path.GetDirectoryName(deadLetters)));
        Assert.Equal(0, await IngestProcess.QueryCountAsync(_influx, "SELECT COUNT(lamps_lit) FROM high_mast WHERE gateway = 'gw-late'"));
    }

    [Fact]
    public async Task A_start_with_a_message_age_limit_out_of_range_is_refused_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => IngestProcess.StartAsync(_broker, _influx, "ingest-bad-health", new Dictionary<string, string>
        {
            ["Health:MaxMessageAge"] = "00:00:00.100",
        }));

        Assert.Contains("Health:MaxMessageAge", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>
/// A gateway's stream published at a steady pace until stopped, batch <c>seq</c> holding one reading of each of the
/// 50 devices at <c>origin + seq</c> ms, so that the readings of the batches from a given one on can be counted by time.
/// </summary>
internal sealed class PacedStream : IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly string _gateway;
    private readonly DateTimeOffset _origin = DateTimeOffset.UtcNow.AddHours(-1);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task<MqttPublishResult>> _publishes = [];
    private Task _publishing = Task.CompletedTask;
    private long _published;

    private PacedStream(MqttClient client, string gateway) => (_client, _gateway) = (client, gateway);

    public long Published => Interlocked.Read(ref _published);

    public static async Task<PacedStream> StartAsync(MosquittoServer broker, string gateway)
    {
        var client = new MqttClient(broker.ClientOptions(MosquittoServer.Harness) with { ClientId = $"{gateway}-{Guid.NewGuid():N}" });
        await client.ConnectAsync(CancellationToken.None);
        var stream = new PacedStream(client, gateway);
        stream._publishing = stream.PublishAsync();
        return stream;
    }

    private async Task PublishAsync()
    {
        var topic = $"lighting/north/{_gateway}/telemetry";
        while (!_stop.IsCancellationRequested)
        {
            var seq = Published;
            var payload = JsonSerializer.SerializeToUtf8Bytes(GatewayStream.Batch(_gateway, seq, GatewayStream.Devices, _origin), ContractsJson.Default.ReadingBatch);
            _publishes.Add(_client.PublishAsync(new MqttApplicationMessage { Topic = topic, Payload = payload, QualityOfService = MqttQualityOfService.AtLeastOnce }, CancellationToken.None));
            Interlocked.Increment(ref _published);
            await Task.Delay(10, CancellationToken.None);
        }
    }

    /// <summary>Stops publishing once the broker has every batch; returns how many were published.</summary>
    public async Task<long> StopAsync()
    {
        await _stop.CancelAsync();
        await _publishing;
        foreach (var result in await Task.WhenAll(_publishes))
        {
            Assert.True(result.IsSuccess, $"the broker refused a publish: {result.ReasonCode}");
        }

        return Published;
    }

    /// <summary>The readings stored of batches <paramref name="fromSeq"/> and after.</summary>
    public Task<long> StoredAsync(InfluxServer influx, long fromSeq) =>
        IngestProcess.QueryCountAsync(influx, string.Create(
            CultureInfo.InvariantCulture,
            $"SELECT COUNT(lamps_lit) FROM high_mast WHERE gateway = '{_gateway}' AND time >= {(_origin.ToUnixTimeMilliseconds() + fromSeq) * 1_000_000}"));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _publishing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _client.DisposeAsync();
        _stop.Dispose();
    }
}
