using System.Globalization;
using System.Text;
using Telemetry.Mqtt;
using Telemetry.Testing;

namespace Telemetry.Ingest.Tests.Consuming;

/// <summary>Points InfluxDB refuses for what they are (400) are the data's fault: only the messages that hold them are dead-lettered.</summary>
public sealed class DatabaseRefusalTests(BrokerAndDatabase servers) : IClassFixture<BrokerAndDatabase>
{
    private readonly MosquittoServer _broker = servers.Broker;
    private readonly InfluxServer _influx = servers.Influx;

    [Fact]
    public async Task A_message_whose_points_conflict_with_a_field_type_in_InfluxDB_is_dead_lettered_and_every_message_around_it_is_stored()
    {
        const int good = 40;
        var now = DateTimeOffset.UtcNow;
        await using var ingest = await IngestProcess.StartAsync(_broker, _influx, "ingest-conflict", new Dictionary<string, string> { ["Influx:Linger"] = "00:00:00.500" });
        await using var watcher = await DeadLetterWatcher.StartAsync(_broker);

        // probe_x is text in InfluxDB already; the one message that sends it as a number is refused by InfluxDB.
        (await _influx.RunCliAsync("-database", "telemetry", "-execute", "INSERT high_mast,site=north,gateway=gw-other,device=mast-99 probe_x=\"text\""))
            .EnsureSuccess("INSERT");
        await using (var client = new MqttClient(_broker.ClientOptions(MosquittoServer.Harness) with { ClientId = "gw-c" }))
        {
            await client.ConnectAsync(CancellationToken.None);
            var publishes = new List<Task<MqttPublishResult>>();
            for (var i = 0; i <= good; i++)
            {
                var values = i == good / 2 ? "\"probe_x\":3" : "\"lamps_lit\":7";
                var ts = Time(now.AddMilliseconds(-i));
                var payload = $$$"""{"v":1,"gateway":"gw-c","site":"north","seq":{{{i}}},"sent":"{{{ts}}}","readings":[{"device":"mast-{{{i:00}}}","family":"high_mast","ts":"{{{ts}}}","values":{{{{values}}}}}]}""";
                publishes.Add(client.PublishAsync(new MqttApplicationMessage { Topic = "lighting/north/gw-c/telemetry", Payload = Encoding.UTF8.GetBytes(payload), QualityOfService = MqttQualityOfService.AtLeastOnce }, CancellationToken.None));
            }

            Assert.All(await Task.WhenAll(publishes), p => Assert.True(p.IsSuccess));
        }

        await Eventually.TrueAsync(
            async () => await IngestProcess.QueryCountAsync(_influx, "SELECT COUNT(lamps_lit) FROM high_mast WHERE gateway = 'gw-c'") == good,
            $"the {good} good readings stored",
            TimeSpan.FromSeconds(30),
            () => IngestProcess.Tail(ingest));
        var letter = await Eventually.ValueAsync(() => Task.FromResult(watcher.Letters), l => l.Count > 0, "the dead letter of the conflicting message");
        var rejection = Assert.Single(letter).GetProperty("rejections")[0];
        Assert.Equal("rejected_by_database", rejection.GetProperty("reason").GetString());
        Assert.Contains("field type conflict", rejection.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("probe_x", letter[0].GetProperty("payload").GetString(), StringComparison.Ordinal);

        using var health = await Eventually.ValueAsync(
            () => IngestProcess.HealthAsync(ingest),
            h => h.Figure("messages_acknowledged") == good + 1 && h.Status == "healthy",
            "every message acknowledged and Ingest healthy",
            explain: () => IngestProcess.Tail(ingest));
        Assert.Equal(new Dictionary<string, long> { ["rejected_by_database"] = 1 }, health.DeadLetters);
        Assert.Contains("one message at a time", ingest.Output, StringComparison.Ordinal);
    }

    private static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
