using System.Text;
using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Mqtt;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Integration;

/// <summary>
/// The real gateway answering replay requests through a real Mosquitto with the generated ACL: a consumer group gets
/// the batches it asks for again, byte for byte as first sent, marked with its request, and a summary; no other group
/// gets them; bad requests are refused by reason and the next good one is answered; what is past the retention time is
/// named as no longer held.
/// </summary>
public sealed class ReplayTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Ingest_gets_the_batches_it_asks_for_again_unchanged_and_marked_and_rules_never_sees_them()
    {
        await using var rig = await GatewayRig.StartAsync(
            GatewayRig.Mixed(tcpDevices: 4, busDevices: 0, interval: 1),
            gatewaySettings: new Dictionary<string, string> { ["Gateway:BatchInterval"] = "00:00:00.5", ["Gateway:Replay:MaxBatchesPerRequest"] = "50" });
        await Eventually.TrueAsync(() => Task.FromResult(rig.Batches().Count >= 10), $"ten batches published\n{rig.Logs()}");

        await using var ingest = await Subscribed(rig, "ingest", "lighting/rig/gw-rig/replayed/ingest");
        await using var rules = await Subscribed(rig, "rules", "lighting/+/+/replayed/#", "lighting/rig/gw-rig/telemetry");
        var first = rig.Batches().Min(b => b.Seq);

        // Hostile and wrong requests first: each refused with its reason, in a summary to Ingest only.
        await RequestAsync(ingest, "not json at all");
        Assert.Equal("invalid", (await SummaryAsync(ingest)).Refused);
        await RequestAsync(ingest, Request("r-big", first, first + 50));
        Assert.Equal(("r-big", "too_many"), await SummaryAsync(ingest) is var big ? (big.Id, big.Refused) : default);
        await RequestAsync(ingest, Request("r-old", first, first + 1, expires: DateTimeOffset.UtcNow.AddSeconds(-1)));
        Assert.Equal(("r-old", "expired"), await SummaryAsync(ingest) is var old ? (old.Id, old.Refused) : default);

        // Then a good one: five batches exactly as first sent, marked, and the summary.
        await RequestAsync(ingest, Request("r-1", first + 2, first + 6));
        var replayed = new List<MqttApplicationMessage>();
        for (var i = 0; i < 5; i++)
        {
            replayed.Add(await NextAsync(ingest));
        }

        var summary = await SummaryAsync(ingest);
        Assert.Equal(("r-1", null, 5L), (summary.Id, summary.Refused, summary.Sent));
        Assert.Empty(summary.Missing);
        Assert.Equal(first, summary.HeldFrom);
        var recorded = rig.Recorder.Messages.Where(m => m.Topic == "lighting/rig/gw-rig/telemetry").GroupBy(m => Seq(m.Payload)).ToDictionary(g => g.Key, g => g.First().Payload.ToArray());
        Assert.Equal(Enumerable.Range(2, 5).Select(i => first + i), replayed.Select(m => Seq(m.Payload)));
        Assert.All(replayed, m =>
        {
            Assert.Equal(recorded[Seq(m.Payload)], m.Payload.ToArray());
            Assert.Contains(m.UserProperties, p => p == new MqttUserProperty(ReplayProperties.Replay, "r-1"));
        });

        // Numbers not yet sent are named as not held; the live stream goes on meanwhile.
        var last = rig.Batches().Max(b => b.Seq);
        await RequestAsync(ingest, Request("r-ahead", last + 40, last + 45));
        var ahead = await SummaryAsync(ingest);
        Assert.Equal([[last + 40, last + 45]], ahead.Missing);

        // Rules, a second consumer group on the same gateway, got no replayed message: the first it holds are live batches.
        var live = await NextAsync(rules);
        Assert.Equal("lighting/rig/gw-rig/telemetry", live.Topic);
        while (rules.Messages.TryRead(out var more))
        {
            Assert.Equal("lighting/rig/gw-rig/telemetry", more.Message.Topic);
        }

        using var health = await rig.GatewayHealthAsync();
        var replay = health.RootElement.GetProperty("replay");
        Assert.Equal(2, replay.GetProperty("answered").GetInt64());
        Assert.Equal(5, replay.GetProperty("batches_sent").GetInt64());
        Assert.Equal(1, replay.GetProperty("refused").GetProperty("invalid").GetInt64());
        Assert.Equal(1, replay.GetProperty("refused").GetProperty("too_many").GetInt64());
        Assert.Equal(1, replay.GetProperty("refused").GetProperty("expired").GetInt64());
    }

    [Fact]
    public async Task Batches_past_the_retention_time_are_named_as_no_longer_held_and_the_rest_are_sent()
    {
        await using var rig = await GatewayRig.StartAsync(
            GatewayRig.Mixed(tcpDevices: 2, busDevices: 0, interval: 1),
            gatewaySettings: new Dictionary<string, string> { ["Gateway:BatchInterval"] = "00:00:00.5", ["Gateway:Replay:Retention"] = "00:00:04" });
        var first = 0L;
        await Eventually.TrueAsync(() => Task.FromResult(rig.Batches().Count > 0), $"a batch published\n{rig.Logs()}");
        first = rig.Batches().Min(b => b.Seq);

        // Well past the retention time, the first batches' file has gone.
        await Task.Delay(TimeSpan.FromSeconds(10));
        await using var ingest = await Subscribed(rig, "ingest", "lighting/rig/gw-rig/replayed/ingest");
        var last = rig.Batches().Max(b => b.Seq);
        await RequestAsync(ingest, Request("r-1", first, last));

        var sent = new List<long>();
        ReplaySummary? summary = null;
        while (summary is null)
        {
            var message = await NextAsync(ingest);
            if (message.UserProperties.Any(p => p.Name == ReplayProperties.Summary))
            {
                summary = JsonSerializer.Deserialize(message.Payload.Span, ContractsJson.Default.ReplaySummary);
            }
            else
            {
                sent.Add(Seq(message.Payload));
            }
        }

        var missing = Assert.Single(summary!.Missing);
        Assert.Equal(first, missing[0]);
        Assert.True(summary.HeldFrom > first, $"held from {summary.HeldFrom}");
        Assert.Equal(summary.HeldFrom - 1, missing[1]);
        Assert.Equal(Enumerable.Range(0, (int)(last - summary.HeldFrom!.Value + 1)).Select(i => summary.HeldFrom.Value + i), sent);
        using var health = await rig.GatewayHealthAsync();
        Assert.True(health.RootElement.GetProperty("replay").GetProperty("archive").GetProperty("dropped").GetInt64() >= missing[1] - missing[0] + 1);
    }

    private static string Request(string id, long from, long to, DateTimeOffset? expires = null) =>
        JsonSerializer.Serialize(new ReplayRequest { V = 1, Id = id, From = from, To = to, Issued = DateTimeOffset.UtcNow, Expires = expires ?? DateTimeOffset.UtcNow.AddMinutes(1) }, ContractsJson.Default.ReplayRequest);

    private static async Task RequestAsync(MqttClient client, string payload)
    {
        var result = await client.PublishAsync(
            new MqttApplicationMessage { Topic = "lighting/rig/gw-rig/replay/ingest", Payload = Encoding.UTF8.GetBytes(payload), QualityOfService = MqttQualityOfService.AtLeastOnce },
            Cancel());
        Assert.True(result.IsSuccess, $"{result.ReasonCode}");
    }

    private static async Task<MqttClient> Subscribed(GatewayRig rig, string principal, params string[] filters)
    {
        var client = new MqttClient(rig.Broker.ClientOptions(principal, $"{principal}-replay-test"));
        await client.ConnectAsync(Cancel());
        await client.SubscribeAsync([.. filters.Select(f => new MqttSubscription { TopicFilter = f, MaximumQoS = MqttQualityOfService.AtLeastOnce })], Cancel());
        return client;
    }

    private static async Task<MqttApplicationMessage> NextAsync(MqttClient client) => (await client.Messages.ReadAsync(Cancel())).Message;

    private static async Task<ReplaySummary> SummaryAsync(MqttClient client)
    {
        var message = await NextAsync(client);
        Assert.Contains(message.UserProperties, p => p.Name == ReplayProperties.Summary);
        return JsonSerializer.Deserialize(message.Payload.Span, ContractsJson.Default.ReplaySummary)!;
    }

    private static long Seq(ReadOnlyMemory<byte> payload) => JsonDocument.Parse(payload).RootElement.GetProperty("seq").GetInt64();

    private static CancellationToken Cancel() => new CancellationTokenSource(Wait).Token;
}
