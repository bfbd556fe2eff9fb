using Telemetry.Mqtt.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Telemetry.Mqtt.Tests.Integration;

public sealed class SessionTests(PlainBrokerFixture broker, ITestOutputHelper output) : IClassFixture<PlainBrokerFixture>
{
    [Fact]
    public async Task Unacknowledged_messages_are_redelivered_after_subscriber_dies()
    {
        const string clientId = "dying-subscriber";
        await using var proxy = new TcpProxy(broker.Server.Port);
        var subscriberOptions = TestClients.Options("127.0.0.1", proxy.Port, clientId) with
        {
            CleanStart = true,
            SessionExpiryInterval = TimeSpan.FromHours(1),
            ManualAcknowledgement = true,
            Reconnect = new MqttReconnectOptions { Enabled = false },
        };
        var subscriber = await TestClients.ConnectAsync(subscriberOptions, output);
        await subscriber.SubscribeAsync([new MqttSubscription { TopicFilter = "work/items", MaximumQoS = MqttQualityOfService.AtLeastOnce }], TestClients.Cancel());
        await using var publisher = await TestClients.ConnectAsync(TestClients.Options(broker.Server, "work-publisher"), output);
        for (var i = 0; i < 10; i++)
        {
            await publisher.PublishAsync(TestClients.Message("work/items", $"item-{i}"), TestClients.Cancel());
        }

        var delivered = await subscriber.ReceiveAsync(10);
        foreach (var message in delivered.Take(3))
        {
            await subscriber.AcknowledgeAsync(message, TestClients.Cancel());
        }

        // Make sure the three PUBACKs reached the broker: a QoS 1 round trip on the same connection comes after them.
        await subscriber.PublishAsync(TestClients.Message("work/flush", "x"), TestClients.Cancel());

        proxy.DropConnections(); // the subscriber dies without DISCONNECT
        await subscriber.WaitForStateAsync(MqttConnectionState.Disconnected);
        await subscriber.DisposeAsync();

        await using var restarted = await TestClients.ConnectAsync(subscriberOptions with { CleanStart = false, Port = broker.Server.Port }, output);
        var redelivered = await restarted.ReceiveAsync(7);

        Assert.Equal(Enumerable.Range(3, 7).Select(i => $"item-{i}"), redelivered.Select(m => m.Text()));
        Assert.All(redelivered, m => Assert.True(m.Duplicate));
        foreach (var message in redelivered)
        {
            await restarted.AcknowledgeAsync(message, TestClients.Cancel());
        }

        // Nothing else is pending: the next message is a fresh one.
        await publisher.PublishAsync(TestClients.Message("work/items", "fresh"), TestClients.Cancel());
        var fresh = await restarted.ReceiveAsync();
        Assert.Equal("fresh", fresh.Text());
        Assert.False(fresh.Duplicate);
    }

    [Fact]
    public async Task A_resumed_session_can_subscribe_again_while_its_queued_messages_fill_the_byte_limit()
    {
        var options = TestClients.Options(broker.Server, "byte-limited-subscriber") with
        {
            SessionExpiryInterval = TimeSpan.FromHours(1),
            ManualAcknowledgement = true,
            MessageQueueBytes = 4_000,
        };
        var subscription = new MqttSubscription { TopicFilter = "byte-limited/#", MaximumQoS = MqttQualityOfService.AtLeastOnce };
        var subscriber = await TestClients.ConnectAsync(options, output);
        await subscriber.SubscribeAsync([subscription], TestClients.Cancel());
        await subscriber.DisconnectAsync(TestClients.Cancel());
        await subscriber.DisposeAsync();
        await using var publisher = await TestClients.ConnectAsync(TestClients.Options(broker.Server, "byte-limited-publisher"), output);
        for (var i = 0; i < 40; i++)
        {
            await publisher.PublishAsync(TestClients.Message("byte-limited/x", $"{i:D4}" + new string('x', 996)), TestClients.Cancel());
        }

        // The broker sends the 40 queued messages right after CONNACK; the SUBACK comes behind them, past the 4 kB.
        await using var back = TestClients.Create(options with { CleanStart = false }, output);
        Assert.True((await back.ConnectAsync(TestClients.Cancel())).SessionPresent);
        await back.SubscribeAsync([subscription], TestClients.Cancel());

        var received = await back.ReceiveAsync(40);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"{i:D4}"), received.Select(m => m.Text()[..4]));
    }

    [Fact]
    public async Task Messages_published_while_a_persistent_subscriber_is_offline_are_delivered_when_it_returns()
    {
        var options = TestClients.Options(broker.Server, "offline-subscriber") with { SessionExpiryInterval = TimeSpan.FromHours(1) };
        var subscriber = await TestClients.ConnectAsync(options, output);
        await subscriber.SubscribeAsync([new MqttSubscription { TopicFilter = "offline/#" }], TestClients.Cancel());
        await subscriber.DisconnectAsync(TestClients.Cancel());
        await subscriber.DisposeAsync();
        await using var publisher = await TestClients.ConnectAsync(TestClients.Options(broker.Server, "offline-publisher"), output);
        for (var i = 0; i < 5; i++)
        {
            await publisher.PublishAsync(TestClients.Message("offline/x", $"m{i}"), TestClients.Cancel());
        }

        await using var back = TestClients.Create(options with { CleanStart = false }, output);
        var result = await back.ConnectAsync(TestClients.Cancel());

        Assert.True(result.SessionPresent);
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], (await back.ReceiveAsync(5)).Select(m => m.Text()));
    }

    [Fact]
    public async Task Thousands_of_manual_acknowledgements_may_be_outstanding_and_given_in_any_order()
    {
        const int count = 3000;
        const int batch = 1000; // below our default Receive Maximum (1024), so the broker keeps sending
        await using var subscriber = await TestClients.ConnectAsync(
            TestClients.Options(broker.Server, "bulk-consumer") with { ManualAcknowledgement = true, MessageQueueCapacity = 4096 },
            output);
        await subscriber.SubscribeAsync([new MqttSubscription { TopicFilter = "bulk-acks" }], TestClients.Cancel());
        await using var publisher = await TestClients.ConnectAsync(TestClients.Options(broker.Server, "bulk-ack-publisher"), output);
        var publishing = Task.WhenAll(Enumerable.Range(0, count).Select(i => publisher.PublishAsync(TestClients.Message("bulk-acks", $"{i}"), TestClients.Cancel())));

        var seen = new List<string>();
        while (seen.Count < count)
        {
            var messages = await subscriber.ReceiveAsync(Math.Min(batch, count - seen.Count));
            Assert.True(subscriber.GetStatistics().UnacknowledgedReceivedMessages >= messages.Count);
            seen.AddRange(messages.Select(m => m.Text()));
            foreach (var message in messages.OrderBy(_ => Random.Shared.Next()))
            {
                await subscriber.AcknowledgeAsync(message, TestClients.Cancel());
            }
        }

        await publishing;
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"{i}"), seen);
        Assert.Equal(0, subscriber.GetStatistics().ConnectionsLost);
        Assert.Equal(0, subscriber.GetStatistics().UnacknowledgedReceivedMessages);
    }
}
