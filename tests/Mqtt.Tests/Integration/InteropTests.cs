using Telemetry.Mqtt.Tests.Support;
using Telemetry.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Telemetry.Mqtt.Tests.Integration;

/// <summary>Our client against the reference command-line clients shipped with Mosquitto.</summary>
public sealed class InteropTests(PlainBrokerFixture broker, ITestOutputHelper output) : IClassFixture<PlainBrokerFixture>
{
    [Fact]
    public async Task Messages_from_mosquitto_pub_reach_our_subscriber_with_their_properties()
    {
        await using var subscriber = await TestClients.ConnectAsync(TestClients.Options(broker.Server, "interop-sub"), output);
        await subscriber.SubscribeAsync([new MqttSubscription { TopicFilter = "interop/in" }], TestClients.Cancel());

        (await ExternalCommand.RunAsync("mosquitto_pub", [
            "-V", "5", "-h", broker.Server.Host, "-p", $"{broker.Server.Port}", "-i", "reference-pub", "-q", "1",
            "-t", "interop/in", "-m", "from mosquitto_pub",
            "-D", "publish", "content-type", "text/plain",
            "-D", "publish", "user-property", "origin", "cli",
            "-D", "publish", "response-topic", "interop/reply",
            "-D", "publish", "correlation-data", "c0ffee",
        ], TestClients.Timeout)).EnsureSuccess("mosquitto_pub");

        var received = await subscriber.ReceiveAsync();
        Assert.Equal("from mosquitto_pub", received.Text());
        Assert.Equal(MqttQualityOfService.AtLeastOnce, received.Message.QualityOfService);
        Assert.Equal("text/plain", received.Message.ContentType);
        Assert.Equal([new MqttUserProperty("origin", "cli")], received.Message.UserProperties);
        Assert.Equal("interop/reply", received.Message.ResponseTopic);
        Assert.Equal("c0ffee"u8.ToArray(), received.Message.CorrelationData!.Value.ToArray());
    }

    [Fact]
    public async Task Messages_from_our_publisher_reach_mosquitto_sub_with_their_properties()
    {
        await using var publisher = await TestClients.ConnectAsync(TestClients.Options(broker.Server, "interop-pub"), output);
        var message = TestClients.Message("interop/out", "from Telemetry.Mqtt") with
        {
            Retain = true, // so that mosquitto_sub gets it whenever it subscribes
            ContentType = "application/x-test",
            ResponseTopic = "interop/answer",
            PayloadFormatIndicator = MqttPayloadFormatIndicator.Utf8,
            UserProperties = [new MqttUserProperty("k1", "v1"), new MqttUserProperty("k2", "v2")],
        };
        Assert.True((await publisher.PublishAsync(message, TestClients.Cancel())).IsSuccess);

        var result = await ExternalCommand.RunAsync("mosquitto_sub", [
            "-V", "5", "-h", broker.Server.Host, "-p", $"{broker.Server.Port}", "-i", "reference-sub", "-q", "1",
            "-t", "interop/out", "-C", "1", "-W", "10", "-F", "%t|%p|%C|%P|%R|%F|%q|%r",
        ], TestClients.Timeout);

        result.EnsureSuccess("mosquitto_sub");
        Assert.Equal("interop/out|from Telemetry.Mqtt|application/x-test|k1:v1 k2:v2|interop/answer|1|1|1", result.StandardOutput.Trim());
        await publisher.PublishAsync(TestClients.Message("interop/out", "") with { Retain = true }, TestClients.Cancel());
    }
}
