using System.Text;
using Telemetry.Mqtt.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Telemetry.Mqtt.Tests.Integration;

/// <summary>The usage examples of src/Mqtt/README.md, run for real so they stay correct.</summary>
public sealed class UsageExampleTests(PlainBrokerFixture broker, ITestOutputHelper output) : IClassFixture<PlainBrokerFixture>
{
    [Fact]
    public async Task Readme_examples_a_manual_ack_shared_consumer_processes_what_a_publisher_sends()
    {
        var processed = new List<string>();
        using var stop = new CancellationTokenSource(TestClients.Timeout);

        // --- consumer (README) ---
        await using var consumer = new MqttClient(new MqttClientOptions
        {
            Host = broker.Server.Host,
            Port = broker.Server.Port,
            ClientId = "consumer-1",                      // fixed: the session outlives the process
            CleanStart = false,
            SessionExpiryInterval = TimeSpan.FromHours(1),
            ManualAcknowledgement = true,
        }, new XunitLogger<MqttClient>(output, "consumer"));
        await consumer.ConnectAsync(stop.Token);
        await consumer.SubscribeAsync(
            [new MqttSubscription { TopicFilter = "$share/consumers/site/+/data", MaximumQoS = MqttQualityOfService.AtLeastOnce }],
            stop.Token);
        var consuming = Task.Run(async () =>
        {
            await foreach (var received in consumer.Messages.ReadAllAsync(stop.Token))
            {
                processed.Add(Encoding.UTF8.GetString(received.Message.Payload.Span)); // process first...
                await consumer.AcknowledgeAsync(received, stop.Token);                // ...then acknowledge
                if (processed.Count == 3)
                {
                    return;
                }
            }
        });

        // --- publisher (README) ---
        await using var publisher = new MqttClient(new MqttClientOptions
        {
            Host = broker.Server.Host,
            Port = broker.Server.Port,
            ClientId = "publisher-1",
        }, new XunitLogger<MqttClient>(output, "publisher"));
        await publisher.ConnectAsync(stop.Token);
        var pending = new List<Task<MqttPublishResult>>();
        for (var i = 0; i < 3; i++)
        {
            pending.Add(publisher.PublishAsync(new MqttApplicationMessage
            {
                Topic = "site/7/data",
                Payload = Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"),
                QualityOfService = MqttQualityOfService.AtLeastOnce,
                ContentType = "application/json",
            }, stop.Token));
        }

        foreach (var result in await Task.WhenAll(pending)) // pipelined: all in flight together
        {
            Assert.True(result.IsSuccess, $"{result.ReasonCode} {result.ReasonString}");
        }

        await publisher.DisconnectAsync(stop.Token);
        await consuming;
        Assert.Equal(["{\"n\":0}", "{\"n\":1}", "{\"n\":2}"], processed);
    }
}
