using System.Globalization;
using Telemetry.Mqtt.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Telemetry.Mqtt.Tests.Integration;

public sealed class SharedSubscriptionTests(PlainBrokerFixture broker, ITestOutputHelper output) : IClassFixture<PlainBrokerFixture>
{
    [Fact]
    public async Task Two_shared_subscription_members_split_a_stream_with_every_message_delivered_exactly_once()
    {
        const int count = 400;
        var options = TestClients.Options(broker.Server, "member-a") with { ManualAcknowledgement = true };
        await using var memberA = await TestClients.ConnectAsync(options, output);
        await using var memberB = await TestClients.ConnectAsync(options with { ClientId = "member-b" }, output);
        var subscription = new MqttSubscription { TopicFilter = "$share/workers/jobs/#", MaximumQoS = MqttQualityOfService.AtLeastOnce };
        Assert.True((await memberA.SubscribeAsync([subscription], TestClients.Cancel())).Items.Single().IsSuccess);
        Assert.True((await memberB.SubscribeAsync([subscription], TestClients.Cancel())).Items.Single().IsSuccess);
        await using var publisher = await TestClients.ConnectAsync(TestClients.Options(broker.Server, "job-publisher"), output);

        await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            publisher.PublishAsync(TestClients.Message($"jobs/{i % 3}", i.ToString(CultureInfo.InvariantCulture)), TestClients.Cancel())));

        var gotA = new List<string>();
        var gotB = new List<string>();
        var consumers = new[] { ConsumeAsync(memberA, gotA, count), ConsumeAsync(memberB, gotB, count) };
        await _all.Task.WaitAsync(TestClients.Timeout);
        await _stop.CancelAsync();
        await Task.WhenAll(consumers);
        Assert.NotEmpty(gotA);
        Assert.NotEmpty(gotB);
        Assert.Empty(gotA.Intersect(gotB));
        Assert.Equal(Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).Order(), gotA.Concat(gotB).Order());
        output.WriteLine($"member-a got {gotA.Count}, member-b got {gotB.Count}");
    }

    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _total;

    private async Task ConsumeAsync(MqttClient member, List<string> received, int expected)
    {
        try
        {
            await foreach (var message in member.Messages.ReadAllAsync(_stop.Token))
            {
                received.Add(message.Text());
                if (Interlocked.Increment(ref _total) == expected)
                {
                    _all.TrySetResult();
                }

                await member.AcknowledgeAsync(message, CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
