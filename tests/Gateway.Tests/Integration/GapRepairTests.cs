using System.Globalization;
using System.Text;
using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Mqtt;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Integration;

/// <summary>
/// Delivery end to end through the broker's own failures: Ingest and Rules both subscribed, Mosquitto stopped (SIGTERM) and
/// then killed (SIGKILL) under the gateway's load. Mosquitto does not keep shared subscriptions across its restart, and a
/// kill loses what it acknowledged and had not saved; the consumer groups notice their gaps by seq and ask the gateway for
/// them again. The account: every batch the gateway queued is in InfluxDB once with all its readings, Rules judged each
/// once, and a third consumer group never hears a replay.
/// </summary>
public sealed class GapRepairTests
{
    [Fact]
    public async Task Mosquitto_stopped_and_killed_under_load_loses_no_batch_for_Ingest_or_Rules_and_replays_reach_no_other_group()
    {
        await using var rig = await GatewayRig.StartAsync(GatewayRig.Mixed(tcpDevices: 30, busDevices: 0, interval: 1), withIngest: true, record: false, withRules: true);
        await using var replays = await BrokerRecorder.StartAsync(rig.Broker, "lighting/+/+/replayed/+");
        await using var third = await ThirdGroup.StartAsync(rig.Broker);
        await DeliveryTests.WaitForStoredAsync(rig, minimum: 20);

        await rig.Broker.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await rig.Broker.StartAgainAsync();
        await Task.Delay(TimeSpan.FromSeconds(8));

        rig.Broker.Kill();
        await Eventually.TrueAsync(() => Task.FromResult(!rig.Broker.IsRunning), "the broker exits");
        await Task.Delay(TimeSpan.FromSeconds(2));
        await rig.Broker.StartAgainAsync();

        // Both groups hold every batch up to one queued well after the kill: gaps found, asked for and filled.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var settled = await DeliveryTests.LastSeqAsync(rig);
        await Eventually.TrueAsync(
            async () => await FloorAsync(rig.Ingest!) >= settled && await FloorAsync(rig.Rules!) >= settled,
            $"Ingest and Rules hold every batch up to {settled}",
            TimeSpan.FromSeconds(120),
            () => $"Ingest: {Sequences(rig.Ingest!).Result}\nRules: {Sequences(rig.Rules!).Result}\n{rig.Logs()}");

        // A replay asked for as Ingest asks: stored again, nothing doubled; heard by Ingest's group alone.
        await AskAsIngestAsync(rig.Broker, settled - 19, settled);
        await Eventually.TrueAsync(
            async () => (await SequencesAsync(rig.Ingest!)).GetProperty("replayed_batches").GetInt64() >= 20,
            "Ingest stores the replayed batches",
            TimeSpan.FromSeconds(30));

        var (queued, _, _) = await DeliveryTests.AssertEverythingQueuedIsStoredOnceAsync(rig);

        // Rules judged each queued batch once: every one handled, none judged twice.
        await Eventually.TrueAsync(async () => await FloorAsync(rig.Rules!) >= queued.Keys.Max(), "Rules judges the last batches", TimeSpan.FromSeconds(60));
        using var rules = JsonDocument.Parse(await rig.Rules!.HealthAsync());
        var judged = rules.RootElement.GetProperty("rules").GetProperty("batches").GetInt64();
        var sequences = rules.RootElement.GetProperty("sequences");
        Assert.True(judged == queued.Count, $"Rules judged {judged} batches for {queued.Count} queued\n{sequences}");
        Assert.Equal(queued.Count, sequences.GetProperty("handled").GetInt64());
        Assert.Equal(0, sequences.GetProperty("lost").GetInt64());
        Assert.Equal(0, sequences.GetProperty("open_gaps").GetInt32());
        var ingest = await SequencesAsync(rig.Ingest!);
        Assert.Equal(0, ingest.GetProperty("lost").GetInt64());

        // The replays went out on the groups' own topics, and the third group, reading all it may, heard none of them.
        Assert.True(replays.Messages.Count(m => m.Topic.EndsWith("/replayed/ingest", StringComparison.Ordinal)) >= 20, $"{replays.Messages.Count} replay messages");
        Assert.True(third.Messages.Any(m => m.Topic.EndsWith("/telemetry", StringComparison.Ordinal)), "the third group hears the stream");
        var leaked = third.Messages.Where(m => m.Topic.Contains("/replay", StringComparison.Ordinal) || GapRepairFacts.IsReplay(m)).ToList();
        Assert.True(leaked.Count == 0, $"the third group heard {leaked.Count} replay messages, e.g. {leaked.FirstOrDefault()?.Topic}");

        // The counts an operator sees: gaps noticed and replays asked for on both consumers' health.
        foreach (var group in new[] { ingest, sequences })
        {
            foreach (var count in new[] { "gaps_opened", "recovered", "replays_requested", "replayed_batches", "duplicates", "skipped" })
            {
                Assert.True(group.GetProperty(count).GetInt64() >= 0);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"queued {queued.Count} batches; Ingest {ingest}; Rules {sequences}"));
    }

    private static async Task<long> FloorAsync(ServiceProcess service)
    {
        var sequences = await SequencesAsync(service);
        var streams = sequences.GetProperty("streams");
        return streams.GetArrayLength() == 0 ? 0 : streams[0].GetProperty("floor").GetInt64();
    }

    private static async Task<JsonElement> SequencesAsync(ServiceProcess service)
    {
        using var health = JsonDocument.Parse(await service.HealthAsync());
        return health.RootElement.GetProperty("sequences").Clone();
    }

    private static async Task<string> Sequences(ServiceProcess service)
    {
        try
        {
            return (await SequencesAsync(service)).ToString();
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or KeyNotFoundException or TaskCanceledException)
        {
            return ex.Message;
        }
    }

    private static async Task AskAsIngestAsync(MosquittoServer broker, long from, long to)
    {
        await using var client = new MqttClient(broker.ClientOptions("ingest") with { ClientId = "ingest-asks", CleanStart = true });
        await client.ConnectAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        var request = new ReplayRequest { V = 1, Id = "test-replay", From = from, To = to, Issued = now, Expires = now.AddMinutes(1) };
        var result = await client.PublishAsync(
            new MqttApplicationMessage
            {
                Topic = $"lighting/{GatewayRig.SiteId}/{GatewayRig.GatewayId}/replay/ingest",
                Payload = JsonSerializer.SerializeToUtf8Bytes(request, ContractsJson.Default.ReplayRequest),
                QualityOfService = MqttQualityOfService.AtLeastOnce,
                ResponseTopic = $"lighting/{GatewayRig.SiteId}/{GatewayRig.GatewayId}/replayed/ingest",
                CorrelationData = Encoding.UTF8.GetBytes(request.Id),
            },
            CancellationToken.None);
        Assert.True(result.IsSuccess, $"the replay request was refused: {result.ReasonCode}");
        await client.DisconnectAsync(CancellationToken.None);
    }

    /// <summary>A consumer of a third group (the Api's principal), subscribed to everything its account may read.</summary>
    private sealed class ThirdGroup : IAsyncDisposable
    {
        private readonly MqttClient _client;
        private readonly List<MqttApplicationMessage> _messages = [];
        private readonly Task _loop;

        private ThirdGroup(MqttClient client)
        {
            _client = client;
            _loop = Task.Run(async () =>
            {
                await foreach (var message in _client.Messages.ReadAllAsync())
                {
                    lock (_messages)
                    {
                        _messages.Add(message.Message);
                    }
                }
            });
        }

        public IReadOnlyList<MqttApplicationMessage> Messages
        {
            get
            {
                lock (_messages)
                {
                    return [.. _messages];
                }
            }
        }

        public static async Task<ThirdGroup> StartAsync(MosquittoServer broker)
        {
            var client = new MqttClient(broker.ClientOptions("api") with { ClientId = "third-group", CleanStart = true });
            await client.ConnectAsync(CancellationToken.None);
            await client.SubscribeAsync(
                [
                    new MqttSubscription { TopicFilter = "lighting/#", MaximumQoS = MqttQualityOfService.AtLeastOnce },
                    new MqttSubscription { TopicFilter = "$share/third/lighting/#", MaximumQoS = MqttQualityOfService.AtLeastOnce },
                ],
                CancellationToken.None);
            return new ThirdGroup(client);
        }

        public async ValueTask DisposeAsync()
        {
            await _client.DisposeAsync();
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}

/// <summary>What marks a replayed message.</summary>
internal static class GapRepairFacts
{
    public static bool IsReplay(MqttApplicationMessage message) =>
        message.UserProperties.Any(p => p.Name is ReplayProperties.Replay or ReplayProperties.Summary);
}
