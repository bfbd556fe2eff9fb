using Telemetry.Mqtt;
using Telemetry.Testing;

namespace Telemetry.BrokerAccess.Tests.Integration;

/// <summary>The broker as the stack runs it: no anonymous clients, the generated password file and ACL, a TLS listener that requires a client certificate.</summary>
public sealed class ClosedBrokerFixture : IAsyncLifetime
{
    public MosquittoServer Broker { get; private set; } = null!;

    public async Task InitializeAsync() => Broker = await MosquittoServer.StartAsync(new MosquittoOptions { Tls = true, RequireCertificate = true });

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}

/// <summary>What the tests do with clients of the closed broker.</summary>
internal static class Clients
{
    public const string GatewayA = "gateway-demo-gw-demo-01";

    public const string GatewayB = "gateway-test-small-gw-test-01";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static CancellationToken Cancel() => new CancellationTokenSource(Timeout).Token;

    public static async Task<MqttClient> ConnectAsync(MqttClientOptions options)
    {
        var client = new MqttClient(options with { ClientId = options.ClientId.Length > 0 ? options.ClientId : "t-" + Guid.NewGuid().ToString("N")[..12] });
        try
        {
            await client.ConnectAsync(Cancel());
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public static async Task<MqttClient> SubscribedAsync(MqttClientOptions options, params string[] filters)
    {
        var client = await ConnectAsync(options);
        var result = await client.SubscribeAsync([.. filters.Select(f => new MqttSubscription { TopicFilter = f, MaximumQoS = MqttQualityOfService.AtLeastOnce })], Cancel());
        Assert.All(result.Items, item => Assert.True(item.IsSuccess, $"{item.TopicFilter}: {item.ReasonCode}"));
        return client;
    }

    public static Task<MqttPublishResult> PublishAsync(this MqttClient client, string topic, string payload, bool retain = false) =>
        client.PublishAsync(
            new MqttApplicationMessage { Topic = topic, Payload = System.Text.Encoding.UTF8.GetBytes(payload), QualityOfService = MqttQualityOfService.AtLeastOnce, Retain = retain },
            Cancel());

    /// <summary>The next message the client receives.</summary>
    public static async Task<MqttApplicationMessage> NextAsync(this MqttClient client) => (await client.Messages.ReadAsync(Cancel())).Message;

    public static string Text(this MqttApplicationMessage message) => System.Text.Encoding.UTF8.GetString(message.Payload.Span);
}
