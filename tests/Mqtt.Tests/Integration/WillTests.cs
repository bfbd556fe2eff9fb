using Telemetry.Mqtt.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Telemetry.Mqtt.Tests.Integration;

public sealed class WillTests(PlainBrokerFixture broker, ITestOutputHelper output) : IClassFixture<PlainBrokerFixture>
{
    [Fact]
    public async Task The_will_is_published_on_abrupt_loss_and_not_on_graceful_disconnect()
    {
        await using var observer = await TestClients.ConnectAsync(TestClients.Options(broker.Server, "will-observer"), output);
        await observer.SubscribeAsync([new MqttSubscription { TopicFilter = "status/+" }], TestClients.Cancel());
        await using var proxy = new TcpProxy(broker.Server.Port);

        // Graceful: DISCONNECT with reason Normal, so no will.
        var graceful = await TestClients.ConnectAsync(WillOptions("127.0.0.1", broker.Server.Port, "graceful"), output);
        await graceful.DisconnectAsync(TestClients.Cancel());
        await graceful.DisposeAsync();
        await WaitForBrokerLogAsync("Client graceful disconnected");

        // Abrupt: the connection dies without DISCONNECT.
        var abrupt = await TestClients.ConnectAsync(WillOptions("127.0.0.1", proxy.Port, "abrupt") with { Reconnect = new MqttReconnectOptions { Enabled = false } }, output);
        proxy.DropConnections();

        var will = await observer.ReceiveAsync();
        Assert.Equal("status/abrupt", will.Message.Topic); // the first message on status/+: graceful left none
        Assert.Equal("offline", will.Text());
        Assert.Equal("text/plain", will.Message.ContentType);
        Assert.Equal([new MqttUserProperty("reason", "connection lost")], will.Message.UserProperties);
        await abrupt.DisposeAsync();
    }

    private static MqttClientOptions WillOptions(string host, int port, string clientId) => TestClients.Options(host, port, clientId) with
    {
        Will = new MqttWillOptions
        {
            Message = TestClients.Message($"status/{clientId}", "offline") with
            {
                ContentType = "text/plain",
                UserProperties = [new MqttUserProperty("reason", "connection lost")],
            },
        },
    };

    private async Task WaitForBrokerLogAsync(string text)
    {
        using var cts = new CancellationTokenSource(TestClients.Timeout);
        while (!broker.Server.Log.Contains(text, StringComparison.Ordinal))
        {
            await Task.Delay(20, cts.Token);
        }
    }
}
