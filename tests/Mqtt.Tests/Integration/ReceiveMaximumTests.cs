using Telemetry.Mqtt.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Telemetry.Mqtt.Tests.Integration;

public sealed class ReceiveMaximumTests(LimitedInflightBrokerFixture broker, ITestOutputHelper output) : IClassFixture<LimitedInflightBrokerFixture>
{
    [Fact]
    public async Task Mosquitto_announces_max_inflight_messages_as_receive_maximum_and_the_client_honours_it()
    {
        await using var publisher = TestClients.Create(TestClients.Options(broker.Server, "limited-pub"), output);
        var connected = await publisher.ConnectAsync(TestClients.Cancel());
        Assert.Equal(LimitedInflightBrokerFixture.MaxInflight, connected.ReceiveMaximum);

        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => publisher.PublishAsync(TestClients.Message("limited", $"{i}"), TestClients.Cancel())));

        Assert.All(results, r => Assert.True(r.IsSuccess));
        var statistics = publisher.GetStatistics();
        Assert.Equal(LimitedInflightBrokerFixture.MaxInflight, statistics.PeakPublishesInFlight);
        Assert.Equal(0, statistics.ConnectionsLost);
    }
}
