using Telemetry.Mqtt;
using Telemetry.Testing;

namespace Telemetry.BrokerAccess.Tests.Integration;

/// <summary>
/// The generated password file and ACL on a real Mosquitto 2.0. A refused publish is never seen by a subscriber: each
/// test then sends a message that is allowed and checks it is the first one the subscriber gets, which proves the
/// refused one did not arrive without waiting for it.
/// </summary>
public sealed class AccessControlTests(ClosedBrokerFixture fixture) : IClassFixture<ClosedBrokerFixture>
{
    private MosquittoServer Broker => fixture.Broker;

    [Fact]
    public async Task Anonymous_client_is_refused()
    {
        await using var anonymous = new MqttClient(Broker.ClientOptions(principal: null) with { ClientId = "anonymous" });

        var refused = await Assert.ThrowsAsync<MqttConnectException>(() => anonymous.ConnectAsync(Clients.Cancel()));

        Assert.Equal(MqttConnectReasonCode.NotAuthorized, refused.ReasonCode);
        await using var observer = await Clients.ConnectAsync(Broker.ClientOptions("observer"));
        Assert.Equal(MqttConnectionState.Connected, observer.State);
    }

    [Fact]
    public async Task A_wrong_password_is_refused()
    {
        await using var impostor = new MqttClient(Broker.ClientOptions(Clients.GatewayA) with { ClientId = "impostor", Password = "not-the-password-at-all" });

        var refused = await Assert.ThrowsAsync<MqttConnectException>(() => impostor.ConnectAsync(Clients.Cancel()));

        Assert.Equal(MqttConnectReasonCode.NotAuthorized, refused.ReasonCode);
        await using var gateway = await Clients.ConnectAsync(Broker.ClientOptions(Clients.GatewayA));
        Assert.Equal(MqttConnectionState.Connected, gateway.State);
    }

    [Fact]
    public async Task A_gateway_cannot_publish_a_reading_as_another_gateway()
    {
        await using var ingest = await Clients.SubscribedAsync(Broker.ClientOptions("ingest"), "$share/ingest/lighting/+/+/telemetry");
        await using var gatewayA = await Clients.ConnectAsync(Broker.ClientOptions(Clients.GatewayA));

        var spoofed = await gatewayA.PublishAsync("lighting/test-small/gw-test-01/telemetry", "spoofed");
        var own = await gatewayA.PublishAsync("lighting/demo/gw-demo-01/telemetry", "own");

        Assert.Equal(MqttPublishReasonCode.NotAuthorized, spoofed.ReasonCode);
        Assert.True(own.IsSuccess, $"{own.ReasonCode}");
        var first = await ingest.NextAsync();
        Assert.Equal(("lighting/demo/gw-demo-01/telemetry", "own"), (first.Topic, first.Text()));
    }

    [Fact]
    public async Task A_gateway_cannot_set_another_gateways_retained_state()
    {
        await using var observer = await Clients.SubscribedAsync(Broker.ClientOptions("observer"), "lighting/test-small/gw-test-01/state", "lighting/demo/gw-demo-01/state");
        await using var gatewayA = await Clients.ConnectAsync(Broker.ClientOptions(Clients.GatewayA));

        var spoofed = await gatewayA.PublishAsync("lighting/test-small/gw-test-01/state", """{"state":"offline"}""", retain: true);
        var own = await gatewayA.PublishAsync("lighting/demo/gw-demo-01/state", """{"state":"online"}""", retain: true);

        Assert.Equal(MqttPublishReasonCode.NotAuthorized, spoofed.ReasonCode);
        Assert.True(own.IsSuccess, $"{own.ReasonCode}");
        Assert.Equal("lighting/demo/gw-demo-01/state", (await observer.NextAsync()).Topic);

        // Nothing was retained for B: a late subscriber to both gets A's state only, then the next live message.
        await using var late = await Clients.SubscribedAsync(Broker.ClientOptions("observer"), "lighting/test-small/gw-test-01/state", "lighting/demo/gw-demo-01/state", "lighting/demo/gw-demo-01/event");
        Assert.Equal("lighting/demo/gw-demo-01/state", (await late.NextAsync()).Topic);
        await gatewayA.PublishAsync("lighting/demo/gw-demo-01/event", "after");
        Assert.Equal("lighting/demo/gw-demo-01/event", (await late.NextAsync()).Topic);
    }

    [Fact]
    public async Task A_gateway_never_receives_another_gateways_commands()
    {
        // Mosquitto 2.0's acl_file grants every SUBSCRIBE and checks read access on each message it would deliver,
        // so the subscription to B's commands is accepted and stays empty.
        await using var gatewayA = await Clients.SubscribedAsync(Broker.ClientOptions(Clients.GatewayA), "lighting/test-small/gw-test-01/cmd/#", "lighting/demo/gw-demo-01/cmd/#");
        await using var gatewayB = await Clients.SubscribedAsync(Broker.ClientOptions(Clients.GatewayB), "lighting/test-small/gw-test-01/cmd/#");
        await using var api = await Clients.ConnectAsync(Broker.ClientOptions("api"));

        Assert.True((await api.PublishAsync("lighting/test-small/gw-test-01/cmd/lamp-01", "for B")).IsSuccess);
        Assert.True((await api.PublishAsync("lighting/demo/gw-demo-01/cmd/sc-01", "for A")).IsSuccess);

        Assert.Equal("for B", (await gatewayB.NextAsync()).Text());
        Assert.Equal("for A", (await gatewayA.NextAsync()).Text());
    }

    [Fact]
    public async Task Ingest_cannot_publish_commands_and_the_api_can()
    {
        await using var gateway = await Clients.SubscribedAsync(Broker.ClientOptions(Clients.GatewayA), "lighting/demo/gw-demo-01/cmd/#");
        await using var ingest = await Clients.ConnectAsync(Broker.ClientOptions("ingest"));
        await using var api = await Clients.ConnectAsync(Broker.ClientOptions("api"));

        var forged = await ingest.PublishAsync("lighting/demo/gw-demo-01/cmd/sc-01", "forged");
        var real = await api.PublishAsync("lighting/demo/gw-demo-01/cmd/sc-01", "real");

        Assert.Equal(MqttPublishReasonCode.NotAuthorized, forged.ReasonCode);
        Assert.True(real.IsSuccess, $"{real.ReasonCode}");
        Assert.Equal("real", (await gateway.NextAsync()).Text());
    }

    [Fact]
    public async Task A_gateway_answers_a_command_under_its_own_tree_and_only_the_api_reads_it()
    {
        await using var api = await Clients.SubscribedAsync(Broker.ClientOptions("api"), "lighting/+/+/reply/#");
        await using var gatewayA = await Clients.ConnectAsync(Broker.ClientOptions(Clients.GatewayA));

        var forged = await gatewayA.PublishAsync("lighting/test-small/gw-test-01/reply/api-1", "forged");
        var own = await gatewayA.PublishAsync("lighting/demo/gw-demo-01/reply/api-1", "done");

        Assert.Equal(MqttPublishReasonCode.NotAuthorized, forged.ReasonCode);
        Assert.True(own.IsSuccess, $"{own.ReasonCode}");
        Assert.Equal("done", (await api.NextAsync()).Text());
    }

    [Fact]
    public async Task A_consumer_group_alone_asks_a_gateway_for_a_replay_and_alone_reads_it()
    {
        await using var gatewayA = await Clients.SubscribedAsync(Broker.ClientOptions(Clients.GatewayA), "lighting/demo/gw-demo-01/replay/+");
        await using var ingest = await Clients.SubscribedAsync(Broker.ClientOptions("ingest"), "lighting/+/+/replayed/#");
        await using var rules = await Clients.SubscribedAsync(Broker.ClientOptions("rules"), "lighting/+/+/replayed/#");
        await using var api = await Clients.SubscribedAsync(Broker.ClientOptions("api"), "lighting/+/+/replayed/#", "lighting/+/+/event");

        // Rules cannot ask in Ingest's name, nor the Api at all; Ingest asks for itself.
        await using var rulesSender = await Clients.ConnectAsync(Broker.ClientOptions("rules"));
        await using var apiSender = await Clients.ConnectAsync(Broker.ClientOptions("api"));
        await using var ingestSender = await Clients.ConnectAsync(Broker.ClientOptions("ingest"));
        Assert.Equal(MqttPublishReasonCode.NotAuthorized, (await rulesSender.PublishAsync("lighting/demo/gw-demo-01/replay/ingest", "forged")).ReasonCode);
        Assert.Equal(MqttPublishReasonCode.NotAuthorized, (await apiSender.PublishAsync("lighting/demo/gw-demo-01/replay/api", "api")).ReasonCode);
        Assert.True((await ingestSender.PublishAsync("lighting/demo/gw-demo-01/replay/ingest", "own")).IsSuccess);
        var request = await gatewayA.NextAsync();
        Assert.Equal(("lighting/demo/gw-demo-01/replay/ingest", "own"), (request.Topic, request.Text()));

        // The gateway answers each group on its own topic, only under its own tree; each group reads its own answer
        // first, and the Api none: the first it gets is the event sent after.
        await using var gatewaySender = await Clients.ConnectAsync(Broker.ClientOptions(Clients.GatewayA));
        Assert.Equal(MqttPublishReasonCode.NotAuthorized, (await gatewaySender.PublishAsync("lighting/test-small/gw-test-01/replayed/ingest", "as another gateway")).ReasonCode);
        Assert.True((await gatewaySender.PublishAsync("lighting/demo/gw-demo-01/replayed/rules", "for rules")).IsSuccess);
        Assert.True((await gatewaySender.PublishAsync("lighting/demo/gw-demo-01/replayed/ingest", "for ingest")).IsSuccess);
        Assert.True((await gatewaySender.PublishAsync("lighting/demo/gw-demo-01/event", "after")).IsSuccess);
        Assert.Equal("for ingest", (await ingest.NextAsync()).Text());
        Assert.Equal("for rules", (await rules.NextAsync()).Text());
        Assert.Equal(("lighting/demo/gw-demo-01/event", "after"), ((await api.NextAsync()) is var first ? (first.Topic, first.Text()) : default));
    }

    [Fact]
    public async Task Rules_may_publish_alerts_and_a_gateway_may_not()
    {
        await using var crew = await Clients.SubscribedAsync(Broker.ClientOptions("alerts-crew-north"), "lighting/alerts/crew-north");
        await using var gateway = await Clients.ConnectAsync(Broker.ClientOptions(Clients.GatewayA));
        await using var rules = await Clients.ConnectAsync(Broker.ClientOptions("rules"));

        var forged = await gateway.PublishAsync("lighting/alerts/crew-north", "forged");
        var real = await rules.PublishAsync("lighting/alerts/crew-north", "ticket");

        Assert.Equal(MqttPublishReasonCode.NotAuthorized, forged.ReasonCode);
        Assert.True(real.IsSuccess, $"{real.ReasonCode}");
        Assert.Equal("ticket", (await crew.NextAsync()).Text());
    }

    [Fact]
    public async Task A_crew_reads_its_own_alerts_and_not_another_crews()
    {
        await using var north = await Clients.SubscribedAsync(Broker.ClientOptions("alerts-crew-north"), "lighting/alerts/#");
        await using var rules = await Clients.ConnectAsync(Broker.ClientOptions("rules"));

        Assert.True((await rules.PublishAsync("lighting/alerts/crew-central", "for central")).IsSuccess);
        Assert.True((await rules.PublishAsync("lighting/alerts/crew-north", "for north")).IsSuccess);

        var first = await north.NextAsync();
        Assert.Equal(("lighting/alerts/crew-north", "for north"), (first.Topic, first.Text()));
    }

    [Fact]
    public async Task The_observer_reads_everything_and_cannot_publish()
    {
        await using var observer = await Clients.SubscribedAsync(Broker.ClientOptions("observer"), "lighting/demo/gw-demo-01/event");
        await using var gateway = await Clients.ConnectAsync(Broker.ClientOptions(Clients.GatewayA));

        var forged = await observer.PublishAsync("lighting/demo/gw-demo-01/event", "forged");
        Assert.True((await gateway.PublishAsync("lighting/demo/gw-demo-01/event", "real")).IsSuccess);

        Assert.Equal(MqttPublishReasonCode.NotAuthorized, forged.ReasonCode);
        Assert.Equal("real", (await observer.NextAsync()).Text());
    }
}
