using System.Diagnostics;
using System.Globalization;
using Telemetry.Testing;
using Xunit.Abstractions;

namespace Telemetry.Ingest.Tests.Consuming;

/// <summary>A message that once stopped Ingest for good is set aside, and the stream goes on (the null attribute of gw-demo-01).</summary>
public sealed class PoisonMessageTests(BrokerAndDatabase servers, ITestOutputHelper output) : IClassFixture<BrokerAndDatabase>
{
    private readonly MosquittoServer _broker = servers.Broker;
    private readonly InfluxServer _influx = servers.Influx;

    [Fact]
    public async Task An_event_with_a_null_attribute_is_dead_lettered_whole_and_the_reading_published_after_it_is_stored()
    {
        var now = DateTimeOffset.UtcNow;
        var deadLetters = Path.Combine(_influx.Directory, "poison", "ingest-.jsonl");
        await using var ingest = await IngestProcess.StartAsync(_broker, _influx, "ingest-poison", new Dictionary<string, string> { ["DeadLetters:File"] = deadLetters });
        await using var watcher = await DeadLetterWatcher.StartAsync(_broker);

        var poison = $$$"""{"v":1,"kind":"device_error","ts":"{{{Time(now)}}}","attributes":{"k":null}}""";
        await PublishAsync("lighting/north/gw-x/event", poison);
        var published = Stopwatch.StartNew();
        await PublishAsync("lighting/north/gw-x/telemetry", $$$"""
            {"v":1,"gateway":"gw-x","site":"north","seq":1,"sent":"{{{Time(now)}}}",
             "readings":[{"device":"mast-01","family":"high_mast","ts":"{{{Time(now)}}}","quality":"good","values":{"lamps_lit":9}}]}
            """);

        await Eventually.TrueAsync(
            async () => await IngestProcess.QueryCountAsync(_influx, "SELECT COUNT(lamps_lit) FROM high_mast WHERE gateway = 'gw-x'") == 1,
            "the reading after the poison is stored",
            TimeSpan.FromSeconds(30),
            () => IngestProcess.Tail(ingest));
        output.WriteLine($"The reading published after the poison was stored {published.ElapsedMilliseconds} ms after its publish began.");

        var letter = await Eventually.ValueAsync(() => Task.FromResult(watcher.Letters), l => l.Count > 0, "the dead letter on lighting/deadletter/ingest");
        var rejection = Assert.Single(letter).GetProperty("rejections")[0];
        Assert.Equal("malformed_json", rejection.GetProperty("reason").GetString());
        Assert.StartsWith("$.attributes.k", rejection.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(poison, letter[0].GetProperty("payload").GetString());
        Assert.Equal("lighting/north/gw-x/event", letter[0].GetProperty("topic").GetString());

        var line = Assert.Single(Directory.GetFiles(Path.GetDirectoryName(deadLetters)!).SelectMany(File.ReadAllLines));
        Assert.Contains("$.attributes.k", line, StringComparison.Ordinal);
        Assert.Contains("\"payload_bytes\":" + poison.Length.ToString(CultureInfo.InvariantCulture), line, StringComparison.Ordinal);

        // Both messages acknowledged, the poison counted, and nothing left that makes Ingest less than healthy.
        using var health = await Eventually.ValueAsync(
            () => IngestProcess.HealthAsync(ingest),
            h => h.Figure("messages_acknowledged") == 2 && h.Status == "healthy",
            "both messages acknowledged and Ingest healthy");
        Assert.Equal(200, health.StatusCode);
        Assert.Equal(2, health.Figure("messages_received"));
        Assert.Equal(0, health.Figure("held_messages"));
        Assert.Equal(new Dictionary<string, long> { ["malformed_json"] = 1 }, health.DeadLetters);
        Assert.Equal("healthy", health.Ingest.GetProperty("status").GetString());
        Assert.True(ingest.IsRunning);
    }

    private async Task PublishAsync(string topic, string payload) =>
        (await ExternalCommand.RunAsync("mosquitto_pub", [.. _broker.CommandLineArguments(MosquittoServer.Harness), "-V", "5", "-q", "1", "-t", topic, "-m", payload]))
            .EnsureSuccess("mosquitto_pub");

    private static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
