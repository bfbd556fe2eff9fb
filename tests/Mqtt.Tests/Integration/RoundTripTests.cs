using System.Text;
using Telemetry.Mqtt.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Telemetry.Mqtt.Tests.Integration;

public sealed class RoundTripTests(PlainBrokerFixture broker, ITestOutputHelper output) : IClassFixture<PlainBrokerFixture>
{
    [Theory]
    [InlineData(MqttQualityOfService.AtMostOnce)]
    [InlineData(MqttQualityOfService.AtLeastOnce)]
    public async Task A_published_message_reaches_a_subscriber(MqttQualityOfService qos)
    {
        var topic = $"round-trip/{qos}";
        await using var subscriber = await TestClients.ConnectAsync(TestClients.Options(broker.Server, $"sub-{qos}"), output);
        await using var publisher = await TestClients.ConnectAsync(TestClients.Options(broker.Server, $"pub-{qos}"), output);
        var subscribed = await subscriber.SubscribeAsync([new MqttSubscription { TopicFilter = "round-trip/+", MaximumQoS = qos }], TestClients.Cancel());
        Assert.Equal((MqttSubscribeReasonCode)qos, subscribed.Items.Single().ReasonCode);

        var result = await publisher.PublishAsync(TestClients.Message(topic, "hello", qos), TestClients.Cancel());

        Assert.True(result.IsSuccess);
        var received = await subscriber.ReceiveAsync();
        Assert.Equal(topic, received.Message.Topic);
        Assert.Equal("hello", received.Text());
        Assert.Equal(qos, received.Message.QualityOfService);
        Assert.Equal(qos == MqttQualityOfService.AtLeastOnce, received.PacketIdentifier != 0);
    }

    [Fact]
    public async Task Mqtt5_properties_survive_the_round_trip_through_the_broker()
    {
        await using var subscriber = await TestClients.ConnectAsync(TestClients.Options(broker.Server, "sub-props"), output);
        await using var publisher = await TestClients.ConnectAsync(TestClients.Options(broker.Server, "pub-props"), output);
        await subscriber.SubscribeAsync([new MqttSubscription { TopicFilter = "props/#" }], TestClients.Cancel());
        var message = TestClients.Message("props/a", "{\"v\":1}") with
        {
            ContentType = "application/json",
            PayloadFormatIndicator = MqttPayloadFormatIndicator.Utf8,
            ResponseTopic = "props/reply",
            CorrelationData = new byte[] { 1, 2, 3 },
            MessageExpiryInterval = TimeSpan.FromMinutes(10),
            UserProperties = [new MqttUserProperty("unit", "kWh"), new MqttUserProperty("unit", "again"), new MqttUserProperty("é", "漢")],
        };

        Assert.True((await publisher.PublishAsync(message, TestClients.Cancel())).IsSuccess);

        var received = (await subscriber.ReceiveAsync()).Message;
        Assert.Equal("application/json", received.ContentType);
        Assert.Equal(MqttPayloadFormatIndicator.Utf8, received.PayloadFormatIndicator);
        Assert.Equal("props/reply", received.ResponseTopic);
        Assert.Equal([1, 2, 3], received.CorrelationData!.Value.ToArray());
        Assert.InRange(received.MessageExpiryInterval!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.Equal(message.UserProperties, received.UserProperties);
    }

    [Fact]
    public async Task A_byte_limit_on_the_message_queue_holds_the_rest_back_until_taken_and_still_lets_a_large_message_through()
    {
        await using var subscriber = await TestClients.ConnectAsync(TestClients.Options(broker.Server, "sub-bytes") with { MessageQueueBytes = 10_000 }, output);
        await using var publisher = await TestClients.ConnectAsync(TestClients.Options(broker.Server, "pub-bytes"), output);
        await subscriber.SubscribeAsync([new MqttSubscription { TopicFilter = "bytes/#", MaximumQoS = MqttQualityOfService.AtLeastOnce }], TestClients.Cancel());
        var texts = Enumerable.Range(0, 50).Select(i => i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + new string('x', 996)).ToList();

        foreach (var text in texts)
        {
            Assert.True((await publisher.PublishAsync(TestClients.Message("bytes/small", text), TestClients.Cancel())).IsSuccess);
        }

        // Ten 1,000-byte messages fill the queue; the rest wait at the broker (or in the socket) until some are taken.
        for (var waited = 0; subscriber.Messages.Count < 10 && waited < 100; waited++)
        {
            await Task.Delay(50);
        }

        await Task.Delay(300);
        Assert.Equal(10, subscriber.Messages.Count);
        var received = await subscriber.ReceiveAsync(texts.Count);
        Assert.Equal(texts, received.Select(m => m.Text()));

        var large = new string('y', 30_000);
        Assert.True((await publisher.PublishAsync(TestClients.Message("bytes/large", large), TestClients.Cancel())).IsSuccess);
        Assert.Equal(large, (await subscriber.ReceiveAsync()).Text());
    }

    [Fact]
    public async Task Thousands_of_pipelined_qos1_publishes_all_complete_and_arrive_in_order()
    {
        const int count = 5000;
        await using var subscriber = await TestClients.ConnectAsync(TestClients.Options(broker.Server, "sub-bulk") with { MessageQueueCapacity = 10_000 }, output);
        await using var publisher = await TestClients.ConnectAsync(TestClients.Options(broker.Server, "pub-bulk"), output);
        await subscriber.SubscribeAsync([new MqttSubscription { TopicFilter = "bulk" }], TestClients.Cancel());

        var publishes = new Task<MqttPublishResult>[count];
        for (var i = 0; i < count; i++)
        {
            publishes[i] = publisher.PublishAsync(TestClients.Message("bulk", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), TestClients.Cancel());
        }

        var results = await Task.WhenAll(publishes);
        Assert.All(results, r => Assert.True(r.IsSuccess));
        var received = await subscriber.ReceiveAsync(count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), received.Select(m => m.Text()));
        var statistics = publisher.GetStatistics();
        Assert.Equal(0, statistics.PublishesInFlight);
        Assert.True(statistics.PacketsSent > count);
        Assert.True(statistics.PeakPublishesInFlight > 1, "publishes are pipelined");
    }

    [Fact]
    public async Task Large_payloads_up_to_the_maximum_packet_size_round_trip()
    {
        var payload = new byte[500_000];
        Random.Shared.NextBytes(payload);
        await using var subscriber = await TestClients.ConnectAsync(TestClients.Options(broker.Server, "sub-large"), output);
        await using var publisher = await TestClients.ConnectAsync(TestClients.Options(broker.Server, "pub-large"), output);
        await subscriber.SubscribeAsync([new MqttSubscription { TopicFilter = "large" }], TestClients.Cancel());

        await publisher.PublishAsync(new MqttApplicationMessage { Topic = "large", Payload = payload, QualityOfService = MqttQualityOfService.AtLeastOnce }, TestClients.Cancel());

        Assert.Equal(payload, (await subscriber.ReceiveAsync()).Message.Payload.ToArray());
    }

    [Fact]
    public async Task Retained_messages_are_delivered_to_a_new_subscriber_and_unsubscribe_stops_delivery()
    {
        await using var publisher = await TestClients.ConnectAsync(TestClients.Options(broker.Server, "pub-retain"), output);
        await publisher.PublishAsync(TestClients.Message("retained/x", "kept") with { Retain = true }, TestClients.Cancel());
        await using var subscriber = await TestClients.ConnectAsync(TestClients.Options(broker.Server, "sub-retain"), output);

        await subscriber.SubscribeAsync([new MqttSubscription { TopicFilter = "retained/#" }], TestClients.Cancel());
        var retained = await subscriber.ReceiveAsync();
        Assert.True(retained.Message.Retain);
        Assert.Equal("kept", retained.Text());

        var unsubscribed = await subscriber.UnsubscribeAsync(["retained/#"], TestClients.Cancel());
        Assert.Equal(MqttUnsubscribeReasonCode.Success, unsubscribed.Items.Single().ReasonCode);
        await subscriber.SubscribeAsync([new MqttSubscription { TopicFilter = "after-unsubscribe" }], TestClients.Cancel());
        await publisher.PublishAsync(TestClients.Message("retained/x", "not for you"), TestClients.Cancel());
        await publisher.PublishAsync(TestClients.Message("after-unsubscribe", "marker"), TestClients.Cancel());
        Assert.Equal("marker", (await subscriber.ReceiveAsync()).Text());
        await publisher.PublishAsync(TestClients.Message("retained/x", "") with { Retain = true }, TestClients.Cancel());
    }

    [Fact]
    public async Task A_qos1_publish_without_subscribers_is_acknowledged_with_no_matching_subscribers()
    {
        await using var publisher = await TestClients.ConnectAsync(TestClients.Options(broker.Server, "pub-lonely"), output);

        var result = await publisher.PublishAsync(TestClients.Message("nobody/listens", "x"), TestClients.Cancel());

        Assert.True(result.IsSuccess);
        Assert.Equal(MqttPublishReasonCode.NoMatchingSubscribers, result.ReasonCode);
    }

    [Fact]
    public async Task Graceful_disconnect_and_reconnect_with_the_same_client_works()
    {
        var client = TestClients.Create(TestClients.Options(broker.Server, "again"), output);
        await client.ConnectAsync(TestClients.Cancel());
        await client.DisconnectAsync(TestClients.Cancel());
        Assert.Equal(MqttConnectionState.Disconnected, client.State);

        await client.ConnectAsync(TestClients.Cancel());
        Assert.True((await client.PublishAsync(TestClients.Message("again", Encoding.UTF8.GetString([0x41])), TestClients.Cancel())).IsSuccess);
        await client.DisposeAsync();
        Assert.Equal(MqttConnectionState.Disposed, client.State);
    }
}
