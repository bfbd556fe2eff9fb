using Telemetry.Mqtt.Tests.Support;
using Telemetry.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Telemetry.Mqtt.Tests.Integration;

/// <summary>Each test starts its own broker, because it kills it.</summary>
public sealed class BrokerRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task After_the_broker_is_killed_and_restarted_the_client_reconnects_resubscribes_and_pending_publishes_complete()
    {
        await using var server = await MosquittoServer.StartAsync(new MosquittoOptions { Anonymous = true });
        await using var subscriber = await TestClients.ConnectAsync(TestClients.Options(server, "restart-sub"), output);
        await subscriber.SubscribeAsync([new MqttSubscription { TopicFilter = "restart/#" }], TestClients.Cancel());
        await using var publisher = await TestClients.ConnectAsync(TestClients.Options(server, "restart-pub"), output);
        var subscriberChanges = subscriber.RecordStateChanges();

        // A burst in flight when the broker dies, then more while it is down.
        var inFlightAtKill = Enumerable.Range(0, 500).Select(i => publisher.PublishAsync(TestClients.Message("restart/burst", $"{i}"), TestClients.Cancel())).ToList();
        server.Kill();
        await publisher.WaitForStateAsync(MqttConnectionState.Reconnecting);
        var whileDown = Enumerable.Range(0, 20).Select(i => publisher.PublishAsync(TestClients.Message("restart/down", $"{i}"), CancellationToken.None)).ToList();
        await subscriberChanges.NextAsync(MqttConnectionState.Reconnecting);

        await server.StartAgainAsync();

        var results = await Task.WhenAll(inFlightAtKill.Concat(whileDown)).WaitAsync(TestClients.Timeout);
        Assert.All(results, r => Assert.True(r.IsSuccess, $"{r.ReasonCode}"));
        await subscriberChanges.NextAsync(MqttConnectionState.Connected);
        Assert.True(publisher.GetStatistics().Reconnects >= 1);

        // The broker lost the non-persistent session, so the subscription exists only if the client made it again.
        using var cts = new CancellationTokenSource(TestClients.Timeout);
        var probe = 0;
        while (true)
        {
            await publisher.PublishAsync(TestClients.Message("restart/probe", $"{probe++}"), cts.Token);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
            wait.CancelAfter(TimeSpan.FromMilliseconds(200));
            try
            {
                var message = await subscriber.Messages.ReadAsync(wait.Token);
                output.WriteLine($"subscriber got {message.Message.Topic} after {probe} probes");
                break;
            }
            catch (OperationCanceledException) when (!cts.IsCancellationRequested)
            {
                // Not re-subscribed yet; probe again.
            }
        }
    }

    [Fact]
    public async Task A_shared_subscription_of_a_persistent_session_still_delivers_after_a_broker_restart()
    {
        // Mosquitto 2.0 restores the session but not its shared subscriptions; the client subscribes again.
        await using var server = await MosquittoServer.StartAsync(new MosquittoOptions { Anonymous = true });
        var options = TestClients.Options(server, "shared-across-restart") with { CleanStart = false, SessionExpiryInterval = TimeSpan.FromHours(1) };
        await using var subscriber = await TestClients.ConnectAsync(options, output);
        await subscriber.SubscribeAsync([new MqttSubscription { TopicFilter = "$share/workers/jobs/+" }], TestClients.Cancel());
        var changes = subscriber.RecordStateChanges();

        await server.StopAsync();
        await changes.NextAsync(MqttConnectionState.Reconnecting);
        await server.StartAgainAsync();
        await changes.NextAsync(MqttConnectionState.Connected);

        await using var publisher = await TestClients.ConnectAsync(TestClients.Options(server, "shared-restart-pub"), output);
        using var cts = new CancellationTokenSource(TestClients.Timeout);
        for (var probe = 0; ; probe++)
        {
            await publisher.PublishAsync(TestClients.Message("jobs/a", $"{probe}"), cts.Token);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
            wait.CancelAfter(TimeSpan.FromMilliseconds(200));
            try
            {
                Assert.Equal("jobs/a", (await subscriber.Messages.ReadAsync(wait.Token)).Message.Topic);
                break;
            }
            catch (OperationCanceledException) when (!cts.IsCancellationRequested)
            {
                // The SUBSCRIBE sent on reconnect may not be acknowledged yet.
            }
        }
    }

    [Fact]
    public async Task A_persistent_subscriber_keeps_its_queued_messages_across_a_graceful_broker_restart()
    {
        await using var server = await MosquittoServer.StartAsync(new MosquittoOptions { Anonymous = true });
        // CleanStart=false: Mosquitto writes only such sessions to its persistence file.
        var options = TestClients.Options(server, "persistent-across-restart") with { CleanStart = false, SessionExpiryInterval = TimeSpan.FromHours(1), ManualAcknowledgement = true };
        await using var subscriber = await TestClients.ConnectAsync(options, output);
        await subscriber.SubscribeAsync([new MqttSubscription { TopicFilter = "durable" }], TestClients.Cancel());
        await using var publisher = await TestClients.ConnectAsync(TestClients.Options(server, "durable-pub"), output);
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => publisher.PublishAsync(TestClients.Message("durable", $"{i}"), TestClients.Cancel())));
        var first = await subscriber.ReceiveAsync(10); // none acknowledged

        await server.StopAsync(); // SIGTERM: mosquitto saves its state
        await server.StartAgainAsync();

        var again = await subscriber.ReceiveAsync(10);
        Assert.Equal(first.Select(m => m.Text()), again.Select(m => m.Text()));
        Assert.All(again, m => Assert.True(m.ConnectionGeneration > first[0].ConnectionGeneration));
        foreach (var message in first)
        {
            await subscriber.AcknowledgeAsync(message, TestClients.Cancel()); // from the old connection: dropped
        }

        foreach (var message in again)
        {
            await subscriber.AcknowledgeAsync(message, TestClients.Cancel());
        }

        Assert.Equal(0, subscriber.GetStatistics().UnacknowledgedReceivedMessages);
    }
}
