using System.Globalization;
using System.Text;
using System.Text.Json;
using Telemetry.Mqtt;
using Telemetry.Testing;

namespace Telemetry.Ingest.Tests.Consuming;

/// <summary>Bad messages in a stream are dead-lettered with their reasons; every good reading around them is stored.</summary>
public sealed class DeadLetterTests(BrokerAndDatabase servers) : IClassFixture<BrokerAndDatabase>
{
    private readonly MosquittoServer _broker = servers.Broker;
    private readonly InfluxServer _influx = servers.Influx;

    [Fact]
    public async Task One_percent_malformed_messages_are_dead_lettered_and_every_valid_reading_is_stored()
    {
        const int messages = 2_000, perBatch = 20;
        var stream = new GatewayStream(_broker, "gw-mixed", perBatch);
        var deadLetterFile = Path.Combine(_influx.Directory, "dead", "ingest-.jsonl");
        await using var ingest = await IngestProcess.StartAsync(_broker, _influx, "ingest-mixed", new Dictionary<string, string>
        {
            ["Validation:MaxPayloadBytes"] = "65536",
            ["DeadLetters:File"] = deadLetterFile,
        });

        // Every 100th message is bad, in one of five ways.
        var future = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var bad = new Func<long, (byte[] Payload, string Reason)>[]
        {
            seq => (Encoding.UTF8.GetBytes("{\"v\":1,\"gateway\":\"gw-mixed\",\"site\":\"north\",\"seq\":" + seq + ",\"readings\":[{"), "malformed_json"),
            seq => (Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(stream.Payload(seq)).Replace("229.5", "NaN", StringComparison.Ordinal)), "malformed_json"),
            seq => (Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(stream.Payload(seq)).Replace("\"mast-", "\"mast \\n,x=1 ", StringComparison.Ordinal)), "invalid_identifier"),
            seq => (Encoding.UTF8.GetBytes("{\"v\":1,\"pad\":\"" + new string('x', 100_000) + "\"}"), "too_large"),
            seq => (Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Replace(Encoding.UTF8.GetString(stream.Payload(seq)), "\"ts\":\"[^\"]+\"", $"\"ts\":\"{future}\"")), "timestamp_out_of_range"),
        };

        await using var watcher = ExternalCommand.Start("mosquitto_sub", [.. _broker.CommandLineArguments(MosquittoServer.Harness), "-V", "5", "-q", "1", "-t", "lighting/deadletter/ingest"]);
        await Task.Delay(500);
        await using (var client = new MqttClient(_broker.ClientOptions(MosquittoServer.Harness) with { ClientId = "gw-mixed" }))
        {
            await client.ConnectAsync(CancellationToken.None);
            var pending = new List<Task<MqttPublishResult>>();
            for (var seq = 0L; seq < messages; seq++)
            {
                var payload = seq % 100 == 99 ? bad[(int)(seq / 100 % bad.Length)](seq).Payload : stream.Payload(seq);
                pending.Add(client.PublishAsync(new MqttApplicationMessage { Topic = stream.Topic, Payload = payload, QualityOfService = MqttQualityOfService.AtLeastOnce }, CancellationToken.None));
            }

            await Task.WhenAll(pending);
        }

        const int badMessages = messages / 100;
        await IngestProcess.WaitForCountAsync(_influx, (messages - badMessages) * perBatch, TimeSpan.FromMinutes(1), ingest);

        var letters = await Eventually.ValueAsync(
            () => Task.FromResult(watcher.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)),
            lines => lines.Length >= badMessages,
            "a dead letter per bad message on the MQTT topic");
        Assert.Equal(badMessages, letters.Length);
        var reasons = letters.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("rejections")[0].GetProperty("reason").GetString()).ToList();
        var expected = Enumerable.Range(0, badMessages).Select(i => bad[i % bad.Length](0).Reason).ToList();
        Assert.Equal(expected.Order(), reasons.Order());

        using var health = JsonDocument.Parse(await ingest.HealthAsync());
        var counted = health.RootElement.GetProperty("ingest").GetProperty("dead_letters");
        Assert.Equal(8, counted.GetProperty("malformed_json").GetInt64());
        Assert.Equal(4, counted.GetProperty("too_large").GetInt64());
        Assert.Equal(4 * perBatch, counted.GetProperty("invalid_identifier").GetInt64());
        Assert.Equal(4 * perBatch, counted.GetProperty("timestamp_out_of_range").GetInt64());

        // The good batches take the fast path; the 16 bad telemetry messages that reach the encoder (too large ones
        // are refused before it) take the general one, which says why.
        Assert.Equal(16, health.RootElement.GetProperty("ingest").GetProperty("messages_general_path").GetInt64());

        // Every write is in both histograms, and the points per write add up to the points written. A write is
        // counted and then recorded, so the document is read again until the last write is in both.
        var document = await Eventually.ValueAsync(
            async () => JsonDocument.Parse(await ingest.HealthAsync()),
            d => d.RootElement.GetProperty("ingest").GetProperty("write_ms").GetProperty("count").GetInt64() == d.RootElement.GetProperty("ingest").GetProperty("writes").GetInt64(),
            "the histograms hold every write");
        using (document)
        {
            var figures = document.RootElement.GetProperty("ingest");
            var writes = figures.GetProperty("writes").GetInt64();
            Assert.InRange(writes, 1, messages);
            Assert.Equal(writes, figures.GetProperty("write_ms").GetProperty("buckets").GetProperty("+Inf").GetInt64());
            Assert.Equal(writes, figures.GetProperty("batch_points").GetProperty("count").GetInt64());
            Assert.Equal(writes, figures.GetProperty("batch_points").GetProperty("buckets").GetProperty("+Inf").GetInt64());
            Assert.Equal(figures.GetProperty("points_written").GetInt64(), figures.GetProperty("batch_points").GetProperty("sum").GetDouble());
            Assert.True(figures.GetProperty("write_ms").GetProperty("p99").GetDouble() >= figures.GetProperty("write_ms").GetProperty("p50").GetDouble());
        }

        var fileLines = Directory.GetFiles(Path.GetDirectoryName(deadLetterFile)!).SelectMany(File.ReadAllLines).ToList();
        Assert.Equal(badMessages, fileLines.Count);
        Assert.True(ingest.IsRunning);
    }
}
