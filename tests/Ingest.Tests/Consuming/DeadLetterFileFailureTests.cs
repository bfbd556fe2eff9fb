using System.Globalization;
using Telemetry.Testing;

namespace Telemetry.Ingest.Tests.Consuming;

/// <summary>A dead letter is on disk before its message is acknowledged: while it cannot be written, the message stays with the broker.</summary>
public sealed class DeadLetterFileFailureTests(BrokerAndDatabase servers) : IClassFixture<BrokerAndDatabase>
{
    private readonly MosquittoServer _broker = servers.Broker;
    private readonly InfluxServer _influx = servers.Influx;

    [Fact]
    public async Task A_refused_message_whose_dead_letter_cannot_be_written_stays_unacknowledged_until_the_directory_is_back_then_its_letter_is_written_once()
    {
        var directory = Path.Combine(_influx.Directory, "unwritable");
        await using var ingest = await IngestProcess.StartAsync(_broker, _influx, "ingest-unwritable", new Dictionary<string, string>
        {
            ["DeadLetters:File"] = Path.Combine(directory, "ingest-.jsonl"),
            ["Health:MaxMessageAge"] = "00:00:05",
        });
        await using var watcher = await DeadLetterWatcher.StartAsync(_broker);

        // The tests run as root, whom permissions do not stop: a file where the directory should be does.
        await File.WriteAllTextAsync(directory, "not a directory");
        var poison = $$$"""{"v":1,"kind":"device_error","ts":"{{{Time(DateTimeOffset.UtcNow)}}}","attributes":{"k":null}}""";
        await PublishAsync("lighting/north/gw-u/event", poison);
        await PublishAsync("lighting/north/gw-u/telemetry", Reading(1, "mast-01"));

        using (var failing = await Eventually.ValueAsync(
            () => IngestProcess.HealthAsync(ingest),
            h => h.Status != "healthy" && h.Reasons.Any(r => r.Contains("write a dead letter", StringComparison.Ordinal)),
            "Ingest says it cannot write the dead letter",
            explain: () => IngestProcess.Tail(ingest)))
        {
            Assert.Contains(failing.Status, new[] { "degraded", "unhealthy" });
            Assert.True(failing.Figure("held_messages") >= 1, failing.ToString());
        }

        // The reading is stored all the same; only acknowledgements wait for the letter.
        await Eventually.TrueAsync(async () => await CountAsync("mast-01") == 1, "the reading after the refused message is stored", explain: () => IngestProcess.Tail(ingest));

        // Restarted while the letter still cannot be written: the broker hands the refused message over again.
        await ingest.StopAsync();
        await ingest.StartAgainAsync();
        using (var again = await Eventually.ValueAsync(
            () => IngestProcess.HealthAsync(ingest),
            h => h.Figure("messages_received") >= 1 && h.Reasons.Any(r => r.Contains("write a dead letter", StringComparison.Ordinal)),
            "the refused message redelivered to the restarted Ingest, whose letter cannot be written either",
            explain: () => IngestProcess.Tail(ingest)))
        {
            Assert.True(again.Figure("held_messages") >= 1, again.ToString());
        }

        Assert.Empty(watcher.Letters);

        File.Delete(directory);
        Directory.CreateDirectory(directory);
        await Eventually.TrueAsync(() => Task.FromResult(watcher.Letters.Count > 0), "the dead letter published once written", TimeSpan.FromSeconds(30), () => IngestProcess.Tail(ingest));
        using (var recovered = await Eventually.ValueAsync(
            () => IngestProcess.HealthAsync(ingest),
            h => h.Status == "healthy" && h.Figure("held_messages") == 0,
            "Ingest healthy with nothing held",
            explain: () => IngestProcess.Tail(ingest)))
        {
            Assert.Equal(recovered.Figure("messages_received"), recovered.Figure("messages_acknowledged"));
        }

        // Acknowledged now: a further restart gets nothing again, and a new reading goes through.
        await ingest.StopAsync();
        await ingest.StartAgainAsync();
        await PublishAsync("lighting/north/gw-u/telemetry", Reading(2, "mast-02"));
        await Eventually.TrueAsync(async () => await CountAsync("mast-02") == 1, "a reading after the restart is stored", explain: () => IngestProcess.Tail(ingest));
        using (var last = await Eventually.ValueAsync(() => IngestProcess.HealthAsync(ingest), h => h.Figure("messages_acknowledged") >= 1, "the new reading acknowledged"))
        {
            Assert.Equal(1, last.Figure("messages_received"));
            Assert.Empty(last.DeadLetters);
        }

        var line = Assert.Single(Directory.GetFiles(directory).SelectMany(File.ReadAllLines));
        Assert.Contains("$.attributes.k", line, StringComparison.Ordinal);
        var letter = Assert.Single(watcher.Letters);
        Assert.Equal(poison, letter.GetProperty("payload").GetString());
        Assert.Equal(1, await CountAsync("mast-01"));
    }

    private Task<long> CountAsync(string device) =>
        IngestProcess.QueryCountAsync(_influx, $"SELECT COUNT(lamps_lit) FROM high_mast WHERE gateway = 'gw-u' AND device = '{device}'");

    private async Task PublishAsync(string topic, string payload) =>
        (await ExternalCommand.RunAsync("mosquitto_pub", [.. _broker.CommandLineArguments(MosquittoServer.Harness), "-V", "5", "-q", "1", "-t", topic, "-m", payload]))
            .EnsureSuccess("mosquitto_pub");

    private static string Reading(long seq, string device)
    {
        var now = Time(DateTimeOffset.UtcNow);
        return $$$"""{"v":1,"gateway":"gw-u","site":"north","seq":{{{seq}}},"sent":"{{{now}}}","readings":[{"device":"{{{device}}}","family":"high_mast","ts":"{{{now}}}","quality":"good","values":{"lamps_lit":9}}]}""";
    }

    private static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
