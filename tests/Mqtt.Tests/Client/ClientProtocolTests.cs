using System.Text;
using Telemetry.Mqtt.Packets;
using Telemetry.Mqtt.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Telemetry.Mqtt.Tests.Client;

/// <summary>
/// The client against a scripted server that checks every packet and misbehaves on purpose. Deterministic: each
/// step waits for a packet, never for time.
/// </summary>
public sealed class ClientProtocolTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly FakeMqttServer _server = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Connect_packet_carries_the_configured_options()
    {
        var options = Options("configured") with
        {
            CleanStart = false,
            SessionExpiryInterval = TimeSpan.FromHours(1),
            KeepAlive = TimeSpan.FromSeconds(42),
            Username = "alice",
            Password = "secret",
            ReceiveMaximum = 77,
            MaximumPacketSize = 100_000,
            UserProperties = [new MqttUserProperty("site", "north")],
            Will = new MqttWillOptions
            {
                Message = TestClients.Message("status/configured", "offline") with
                {
                    Retain = true,
                    ContentType = "text/plain",
                    UserProperties = [new MqttUserProperty("k", "v")],
                },
                Delay = TimeSpan.FromSeconds(5),
            },
        };
        await using var client = TestClients.Create(options, output);
        var connecting = client.ConnectAsync(TestClients.Cancel());

        var connection = await _server.AcceptAsync();
        var connect = await connection.ReadAsync<ConnectPacket>();
        await connection.SendAsync(new ConnAckPacket());
        await connecting;

        Assert.Equal("configured", connect.ClientId);
        Assert.False(connect.CleanStart);
        Assert.Equal(3600u, connect.SessionExpiryIntervalSeconds);
        Assert.Equal(42, connect.KeepAliveSeconds);
        Assert.Equal("alice", connect.UserName);
        Assert.Equal("secret", Encoding.UTF8.GetString(connect.Password!.Value.Span));
        Assert.Equal((ushort)77, connect.ReceiveMaximum);
        Assert.Equal(100_000u, connect.MaximumPacketSize);
        Assert.Null(connect.TopicAliasMaximum); // 0: the server must not use topic aliases towards us
        Assert.Equal([new MqttUserProperty("site", "north")], connect.UserProperties);
        var will = Assert.IsType<ConnectWill>(connect.Will);
        Assert.Equal(5u, will.DelayIntervalSeconds);
        Assert.Equal("status/configured", will.Message.Topic);
        Assert.Equal("offline", Encoding.UTF8.GetString(will.Message.Payload.Span));
        Assert.Equal(MqttQualityOfService.AtLeastOnce, will.Message.QualityOfService);
        Assert.True(will.Message.Retain);
        Assert.Equal("text/plain", will.Message.ContentType);
        Assert.Equal([new MqttUserProperty("k", "v")], will.Message.UserProperties);
    }

    [Fact]
    public async Task Connect_without_credentials_sends_no_user_name_or_password()
    {
        await using var client = TestClients.Create(Options("anonymous"), output);
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (_, connect) = await _server.AcceptAndConnectAsync();
        await connecting;

        Assert.Null(connect.UserName);
        Assert.Null(connect.Password);
        Assert.Null(connect.Will);
    }

    [Theory]
    [InlineData(MqttConnectReasonCode.BadUserNameOrPassword)]
    [InlineData(MqttConnectReasonCode.NotAuthorized)]
    [InlineData(MqttConnectReasonCode.ServerUnavailable)]
    [InlineData(MqttConnectReasonCode.Banned)]
    public async Task A_refused_connect_throws_a_typed_reason_code(MqttConnectReasonCode reason)
    {
        await using var client = TestClients.Create(Options("refused"), output);
        var connecting = client.ConnectAsync(TestClients.Cancel());
        await _server.AcceptAndConnectAsync(new ConnAckPacket { ReasonCode = reason, ReasonString = "no" });

        var exception = await Assert.ThrowsAsync<MqttConnectException>(() => connecting);

        Assert.Equal(reason, exception.ReasonCode);
        Assert.Equal(reason != MqttConnectReasonCode.ServerUnavailable, exception.IsAuthenticationFailure);
        Assert.Equal("no", exception.ReasonString);
        Assert.Equal(MqttConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task A_server_that_is_not_listening_fails_the_connect_without_a_reason_code()
    {
        var port = _server.Port;
        await _server.DisposeAsync();
        await using var client = TestClients.Create(TestClients.Options("127.0.0.1", port, "nobody-home"), output);

        var exception = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync(TestClients.Cancel()));

        Assert.Null(exception.ReasonCode);
        Assert.NotNull(exception.InnerException);
    }

    [Fact]
    public async Task Connect_result_reports_the_servers_limits_and_assigned_identifier()
    {
        await using var client = TestClients.Create(Options("") with { ClientId = "" }, output);
        var connecting = client.ConnectAsync(TestClients.Cancel());
        await _server.AcceptAndConnectAsync(new ConnAckPacket
        {
            SessionPresent = true,
            AssignedClientIdentifier = "auto-123",
            ReceiveMaximum = 9,
            MaximumPacketSize = 5000,
            TopicAliasMaximum = 10,
            MaximumQoS = MqttQualityOfService.AtLeastOnce,
            RetainAvailable = false,
            SharedSubscriptionAvailable = true,
            ServerKeepAliveSeconds = 7,
        });

        var result = await connecting;

        Assert.True(result.SessionPresent);
        Assert.Equal("auto-123", result.ClientId);
        Assert.Equal("auto-123", client.ClientId);
        Assert.Equal((ushort)9, result.ReceiveMaximum);
        Assert.Equal(5000u, result.MaximumPacketSize);
        Assert.Equal((ushort)10, result.TopicAliasMaximum);
        Assert.False(result.RetainAvailable);
        Assert.Equal(TimeSpan.FromSeconds(7), result.KeepAlive);
        await Assert.ThrowsAsync<NotSupportedException>(() => client.PublishAsync(TestClients.Message("t", "x") with { Retain = true }, TestClients.Cancel()));
        await Assert.ThrowsAsync<ArgumentException>(() => client.PublishAsync(TestClients.Message("t", new string('x', 6000)), TestClients.Cancel()));
    }

    [Fact]
    public async Task The_assigned_client_identifier_is_used_when_reconnecting()
    {
        await using var client = TestClients.Create(Options("") with { ClientId = "" }, output);
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (first, firstConnect) = await _server.AcceptAndConnectAsync(new ConnAckPacket { AssignedClientIdentifier = "assigned-7" });
        await connecting;
        Assert.Equal("", firstConnect.ClientId);

        first.Abort();
        var (_, secondConnect) = await _server.AcceptAndConnectAsync();

        Assert.Equal("assigned-7", secondConnect.ClientId);
        Assert.False(secondConnect.CleanStart); // reconnects resume the session
    }

    [Fact]
    public async Task A_malformed_packet_is_answered_with_disconnect_0x81_and_the_client_reconnects()
    {
        await using var client = TestClients.Create(Options("malformed"), output);
        var changes = client.RecordStateChanges();
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (connection, _) = await _server.AcceptAndConnectAsync();
        await connecting;

        // PUBLISH whose topic is not UTF-8.
        await connection.SendRawAsync([0x30, 0x05, 0x00, 0x02, 0xC3, 0x28, 0x00]);

        var disconnect = await connection.ReadAsync<DisconnectPacket>();
        Assert.Equal(MqttDisconnectReasonCode.MalformedPacket, disconnect.ReasonCode);
        Assert.Contains("UTF-8", disconnect.ReasonString, StringComparison.Ordinal);
        var lost = await changes.NextAsync(MqttConnectionState.Reconnecting);
        Assert.Equal(MqttDisconnectReasonCode.MalformedPacket, lost.DisconnectReason);
        Assert.IsType<MqttProtocolException>(lost.Exception);

        var (_, reconnect) = await _server.AcceptAndConnectAsync();
        await changes.NextAsync(MqttConnectionState.Connected);
        Assert.Equal("malformed", reconnect.ClientId);
        Assert.Equal(1, client.GetStatistics().MalformedPacketsReceived);
        Assert.Equal(1, client.GetStatistics().Reconnects);
    }

    [Fact]
    public async Task A_packet_larger_than_the_maximum_packet_size_is_answered_with_0x95()
    {
        await using var client = TestClients.Create(Options("too-large") with { MaximumPacketSize = 1024 }, output);
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (connection, _) = await _server.AcceptAndConnectAsync();
        await connecting;

        // The fixed header of a PUBLISH announcing 100 MB; the body never comes.
        await connection.SendRawAsync([0x30, 0x80, 0x80, 0x80, 0x30]);

        var disconnect = await connection.ReadAsync<DisconnectPacket>();
        Assert.Equal(MqttDisconnectReasonCode.PacketTooLarge, disconnect.ReasonCode);
        await _server.AcceptAndConnectAsync();
    }

    [Fact]
    public async Task A_protocol_violation_is_answered_with_disconnect_0x82()
    {
        await using var client = TestClients.Create(Options("second-connack"), output);
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (connection, _) = await _server.AcceptAndConnectAsync();
        await connecting;

        await connection.SendAsync(new ConnAckPacket());

        var disconnect = await connection.ReadAsync<DisconnectPacket>();
        Assert.Equal(MqttDisconnectReasonCode.ProtocolError, disconnect.ReasonCode);
        Assert.Equal(1, client.GetStatistics().ProtocolErrors);
    }

    [Fact]
    public async Task A_topic_alias_from_the_server_is_refused_because_none_was_allowed()
    {
        await using var client = TestClients.Create(Options("alias"), output);
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (connection, _) = await _server.AcceptAndConnectAsync();
        await connecting;

        await connection.SendAsync(new PublishPacket(TestClients.Message("a", "x", MqttQualityOfService.AtMostOnce)) { TopicAlias = 1 });

        var disconnect = await connection.ReadAsync<DisconnectPacket>();
        Assert.Equal(MqttDisconnectReasonCode.TopicAliasInvalid, disconnect.ReasonCode);
    }

    [Fact]
    public async Task The_server_disconnect_reason_is_surfaced_in_the_state_changed_event()
    {
        await using var client = TestClients.Create(Options("server-disconnect"), output);
        var changes = client.RecordStateChanges();
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (connection, _) = await _server.AcceptAndConnectAsync();
        await connecting;

        await connection.SendAsync(new DisconnectPacket { ReasonCode = MqttDisconnectReasonCode.ServerShuttingDown, ReasonString = "maintenance" });

        var lost = await changes.NextAsync(MqttConnectionState.Reconnecting);
        Assert.Equal(MqttConnectionState.Connected, lost.PreviousState);
        Assert.Equal(MqttDisconnectReasonCode.ServerShuttingDown, lost.DisconnectReason);
        Assert.Equal("maintenance", lost.ReasonString);
        await _server.AcceptAndConnectAsync();
        await changes.NextAsync(MqttConnectionState.Connected);
    }

    [Fact]
    public async Task A_missing_PINGRESP_ends_the_connection_and_the_client_reconnects()
    {
        await using var client = TestClients.Create(Options("silent-server") with { KeepAlive = TimeSpan.FromSeconds(1) }, output);
        var changes = client.RecordStateChanges();
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (connection, _) = await _server.AcceptAndConnectAsync();
        await connecting;

        await connection.ReadAsync<PingReqPacket>(); // never answered
        var lost = await changes.NextAsync(MqttConnectionState.Reconnecting);

        Assert.Equal(MqttDisconnectReasonCode.KeepAliveTimeout, lost.DisconnectReason);
        Assert.Equal(1, client.GetStatistics().KeepAliveTimeouts);
        var (second, _) = await _server.AcceptAndConnectAsync();
        await second.ReadAsync<PingReqPacket>();
        await second.SendAsync(PingRespPacket.Instance);
        await second.ReadAsync<PingReqPacket>(); // answered, so the connection lives on and pings again
        Assert.Equal(MqttConnectionState.Connected, client.State);
    }

    [Fact]
    public async Task The_server_keep_alive_overrides_the_clients()
    {
        await using var client = TestClients.Create(Options("server-keep-alive") with { KeepAlive = TimeSpan.FromSeconds(600) }, output);
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (connection, _) = await _server.AcceptAndConnectAsync(new ConnAckPacket { ServerKeepAliveSeconds = 1 });
        await connecting;

        await connection.ReadAsync<PingReqPacket>(); // within the 10 s guard, far below 600 s
    }

    [Fact]
    public async Task Qos1_publish_completes_with_the_PUBACK_reason_code_and_reason_string()
    {
        await using var client = TestClients.Create(Options("puback"), output);
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (connection, _) = await _server.AcceptAndConnectAsync();
        await connecting;

        var publishing = client.PublishAsync(TestClients.Message("a/b", "x"), TestClients.Cancel());
        var publish = await connection.ReadAsync<PublishPacket>();
        Assert.False(publish.Duplicate);
        Assert.NotEqual(0, publish.PacketIdentifier);
        await connection.SendAsync(new PubAckPacket { PacketIdentifier = publish.PacketIdentifier, ReasonCode = (byte)MqttPublishReasonCode.NotAuthorized, ReasonString = "acl" });

        var result = await publishing;
        Assert.Equal(MqttPublishReasonCode.NotAuthorized, result.ReasonCode);
        Assert.Equal("acl", result.ReasonString);
        Assert.False(result.IsSuccess);
    }

    [Fact]
    public async Task The_servers_receive_maximum_limits_publishes_in_flight()
    {
        await using var client = TestClients.Create(Options("quota"), output);
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (connection, _) = await _server.AcceptAndConnectAsync(new ConnAckPacket { ReceiveMaximum = 2 });
        await connecting;

        var publishes = Enumerable.Range(0, 5).Select(i => client.PublishAsync(TestClients.Message("q", $"m{i}"), TestClients.Cancel())).ToList();
        var first = await connection.ReadAsync<PublishPacket>();
        var second = await connection.ReadAsync<PublishPacket>();

        // Two in flight, three waiting for a slot: nothing more can have been sent.
        var statistics = client.GetStatistics();
        Assert.Equal(2, statistics.PublishesInFlight);
        Assert.Equal(3, statistics.PublishesWaitingForQuota);

        var received = new List<PublishPacket> { first, second };
        await connection.SendAsync(new PubAckPacket { PacketIdentifier = first.PacketIdentifier });
        received.Add(await connection.ReadAsync<PublishPacket>());
        Assert.Equal(2, client.GetStatistics().PublishesInFlight);
        await connection.SendAsync(new PubAckPacket { PacketIdentifier = second.PacketIdentifier });
        received.Add(await connection.ReadAsync<PublishPacket>());
        await connection.SendAsync(new PubAckPacket { PacketIdentifier = received[2].PacketIdentifier });
        received.Add(await connection.ReadAsync<PublishPacket>());
        await connection.SendAsync(new PubAckPacket { PacketIdentifier = received[3].PacketIdentifier });
        await connection.SendAsync(new PubAckPacket { PacketIdentifier = received[4].PacketIdentifier });

        await Task.WhenAll(publishes);
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], received.Select(p => Encoding.UTF8.GetString(p.Message.Payload.Span)));
        Assert.Equal(2, client.GetStatistics().PeakPublishesInFlight);
    }

    [Fact]
    public async Task With_session_present_unacknowledged_publishes_are_resent_with_dup_and_the_same_packet_identifier()
    {
        await using var client = TestClients.Create(Options("resume") with { SessionExpiryInterval = TimeSpan.FromHours(1) }, output);
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (first, _) = await _server.AcceptAndConnectAsync();
        await connecting;

        var publishing = client.PublishAsync(TestClients.Message("a", "keep me"), TestClients.Cancel());
        var original = await first.ReadAsync<PublishPacket>();
        first.Abort(); // lost before PUBACK

        var (second, connect) = await _server.AcceptAndConnectAsync(new ConnAckPacket { SessionPresent = true });
        Assert.False(connect.CleanStart);
        var resent = await second.ReadAsync<PublishPacket>();
        Assert.True(resent.Duplicate);
        Assert.Equal(original.PacketIdentifier, resent.PacketIdentifier);
        Assert.Equal("keep me", Encoding.UTF8.GetString(resent.Message.Payload.Span));
        Assert.False(publishing.IsCompleted);

        await second.SendAsync(new PubAckPacket { PacketIdentifier = resent.PacketIdentifier });
        Assert.True((await publishing).IsSuccess);
    }

    [Fact]
    public async Task Without_session_present_subscriptions_are_made_again_and_publishes_are_resent_as_new()
    {
        await using var client = TestClients.Create(Options("fresh-session"), output);
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (first, _) = await _server.AcceptAndConnectAsync();
        await connecting;
        var subscribing = client.SubscribeAsync([new MqttSubscription { TopicFilter = "plant/#", MaximumQoS = MqttQualityOfService.AtLeastOnce }], TestClients.Cancel());
        var subscribe = await first.ReadAsync<SubscribePacket>();
        await first.SendAsync(new SubAckPacket { PacketIdentifier = subscribe.PacketIdentifier, ReasonCodes = [MqttSubscribeReasonCode.GrantedQoS1] });
        Assert.True((await subscribing).Items.Single().IsSuccess);

        var publishing = client.PublishAsync(TestClients.Message("a", "again"), TestClients.Cancel());
        await first.ReadAsync<PublishPacket>();
        first.Abort();

        var (second, _) = await _server.AcceptAndConnectAsync(new ConnAckPacket { SessionPresent = false });
        var resubscribe = await second.ReadAsync<SubscribePacket>();
        Assert.Equal("plant/#", resubscribe.Subscriptions.Single().TopicFilter);
        Assert.Equal(MqttQualityOfService.AtLeastOnce, resubscribe.Subscriptions.Single().MaximumQoS);
        var resent = await second.ReadAsync<PublishPacket>();
        Assert.False(resent.Duplicate);
        await second.SendAsync(new SubAckPacket { PacketIdentifier = resubscribe.PacketIdentifier, ReasonCodes = [MqttSubscribeReasonCode.GrantedQoS1] });
        await second.SendAsync(new PubAckPacket { PacketIdentifier = resent.PacketIdentifier });
        Assert.True((await publishing).IsSuccess);
    }

    [Fact]
    public async Task A_subscribe_interrupted_by_a_connection_loss_is_sent_again_and_completes()
    {
        await using var client = TestClients.Create(Options("interrupted-subscribe"), output);
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (first, _) = await _server.AcceptAndConnectAsync();
        await connecting;

        var subscribing = client.SubscribeAsync([new MqttSubscription { TopicFilter = "x/+" }], TestClients.Cancel());
        await first.ReadAsync<SubscribePacket>();
        first.Abort();

        var (second, _) = await _server.AcceptAndConnectAsync(new ConnAckPacket { SessionPresent = true });
        var again = await second.ReadAsync<SubscribePacket>();
        Assert.Equal("x/+", again.Subscriptions.Single().TopicFilter);
        await second.SendAsync(new SubAckPacket { PacketIdentifier = again.PacketIdentifier, ReasonCodes = [MqttSubscribeReasonCode.GrantedQoS1] });
        var result = await subscribing;
        Assert.Equal(MqttSubscribeReasonCode.GrantedQoS1, result.Items.Single().ReasonCode);
    }

    [Fact]
    public async Task Received_qos1_messages_are_acknowledged_automatically_once_queued()
    {
        await using var client = TestClients.Create(Options("auto-ack"), output);
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (connection, _) = await _server.AcceptAndConnectAsync();
        await connecting;

        await connection.SendAsync(new PublishPacket(TestClients.Message("in", "hello")) { PacketIdentifier = 31 });

        var ack = await connection.ReadAsync<PubAckPacket>();
        Assert.Equal(31, ack.PacketIdentifier);
        Assert.Equal(0, ack.ReasonCode);
        var received = await client.ReceiveAsync();
        Assert.Equal("hello", received.Text());
    }

    [Fact]
    public async Task Manual_acknowledgements_may_be_given_out_of_order()
    {
        await using var client = TestClients.Create(Options("manual") with { ManualAcknowledgement = true }, output);
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (connection, _) = await _server.AcceptAndConnectAsync();
        await connecting;

        for (ushort id = 1; id <= 3; id++)
        {
            await connection.SendAsync(new PublishPacket(TestClients.Message("in", $"m{id}")) { PacketIdentifier = id });
        }

        var messages = await client.ReceiveAsync(3);
        Assert.Equal(3, client.GetStatistics().UnacknowledgedReceivedMessages);
        await client.AcknowledgeAsync(messages[2], TestClients.Cancel());
        await client.AcknowledgeAsync(messages[0], TestClients.Cancel());
        await client.AcknowledgeAsync(messages[0], TestClients.Cancel()); // twice: nothing more is sent
        await client.AcknowledgeAsync(messages[1], TestClients.Cancel());

        Assert.Equal(3, (await connection.ReadAsync<PubAckPacket>()).PacketIdentifier);
        Assert.Equal(1, (await connection.ReadAsync<PubAckPacket>()).PacketIdentifier);
        Assert.Equal(2, (await connection.ReadAsync<PubAckPacket>()).PacketIdentifier);
        Assert.Equal(0, client.GetStatistics().UnacknowledgedReceivedMessages);
    }

    [Fact]
    public async Task An_acknowledgement_for_a_message_from_a_previous_connection_is_dropped()
    {
        await using var client = TestClients.Create(Options("stale-ack") with { ManualAcknowledgement = true, SessionExpiryInterval = TimeSpan.FromHours(1) }, output);
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (first, _) = await _server.AcceptAndConnectAsync();
        await connecting;
        await first.SendAsync(new PublishPacket(TestClients.Message("in", "old")) { PacketIdentifier = 7 });
        var old = await client.ReceiveAsync();
        first.Abort();

        // The server redelivers on the new connection; the same packet identifier now means the new delivery.
        var (second, _) = await _server.AcceptAndConnectAsync(new ConnAckPacket { SessionPresent = true });
        await client.WaitForStateAsync(MqttConnectionState.Connected);
        await second.SendAsync(new PublishPacket(TestClients.Message("in", "old")) { PacketIdentifier = 7, Duplicate = true });
        var redelivered = await client.ReceiveAsync();
        Assert.True(redelivered.Duplicate);
        Assert.Equal(old.ConnectionGeneration + 1, redelivered.ConnectionGeneration);

        await client.AcknowledgeAsync(old, TestClients.Cancel()); // dropped
        await client.AcknowledgeAsync(redelivered, TestClients.Cancel());
        await client.PublishAsync(TestClients.Message("marker", "m", MqttQualityOfService.AtMostOnce), TestClients.Cancel());

        // Exactly one PUBACK, then the marker: the stale acknowledgement sent nothing.
        Assert.Equal(7, (await second.ReadAsync<PubAckPacket>()).PacketIdentifier);
        Assert.Equal("marker", (await second.ReadAsync<PublishPacket>()).Message.Topic);
    }

    [Fact]
    public async Task A_server_exceeding_our_receive_maximum_is_tolerated_and_counted()
    {
        // Mosquitto 2.0 overshoots the client's Receive Maximum under load (eclipse-mosquitto#2301): refusing with
        // 0x93 would make the client flap against the very broker it is used with, so the messages are accepted.
        await using var client = TestClients.Create(Options("receive-max") with { ManualAcknowledgement = true, ReceiveMaximum = 2 }, output);
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (connection, _) = await _server.AcceptAndConnectAsync();
        await connecting;

        for (ushort id = 1; id <= 3; id++)
        {
            await connection.SendAsync(new PublishPacket(TestClients.Message("in", $"m{id}")) { PacketIdentifier = id });
        }

        var messages = await client.ReceiveAsync(3);
        Assert.Equal(["m1", "m2", "m3"], messages.Select(m => m.Text()));
        Assert.Equal(1, client.GetStatistics().ReceiveMaximumExceeded);
        Assert.Equal(MqttConnectionState.Connected, client.State);
        foreach (var message in messages)
        {
            await client.AcknowledgeAsync(message, TestClients.Cancel());
        }

        Assert.Equal([1, 2, 3], new[] { await connection.ReadAsync<PubAckPacket>(), await connection.ReadAsync<PubAckPacket>(), await connection.ReadAsync<PubAckPacket>() }.Select(a => (int)a.PacketIdentifier));
    }

    [Fact]
    public async Task Disconnect_waits_for_in_flight_publishes_then_sends_a_normal_disconnect()
    {
        var client = TestClients.Create(Options("graceful"), output);
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (connection, _) = await _server.AcceptAndConnectAsync();
        await connecting;

        var publishing = client.PublishAsync(TestClients.Message("a", "last words"), TestClients.Cancel());
        var disconnecting = client.DisconnectAsync(TestClients.Cancel());
        var publish = await connection.ReadAsync<PublishPacket>();
        await Assert.ThrowsAsync<MqttClientDisconnectedException>(() => client.PublishAsync(TestClients.Message("a", "too late"), TestClients.Cancel()));
        await connection.SendAsync(new PubAckPacket { PacketIdentifier = publish.PacketIdentifier });

        var disconnect = await connection.ReadAsync<DisconnectPacket>();
        Assert.Equal(MqttDisconnectReasonCode.NormalDisconnection, disconnect.ReasonCode);
        await disconnecting;
        Assert.True((await publishing).IsSuccess);
        Assert.Equal(MqttConnectionState.Disconnected, client.State);
        Assert.Empty(await connection.ReadUntilClosedAsync());

        await client.DisposeAsync();
        Assert.Equal(MqttConnectionState.Disposed, client.State);
        Assert.True(client.Messages.Completion.IsCompleted);
    }

    [Fact]
    public async Task Publishes_wait_while_reconnecting_and_go_out_on_the_new_connection()
    {
        await using var client = TestClients.Create(Options("waiting"), output);
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (first, _) = await _server.AcceptAndConnectAsync();
        await connecting;
        first.Abort();
        await client.WaitForStateAsync(MqttConnectionState.Reconnecting);

        var qos1 = client.PublishAsync(TestClients.Message("a", "one"), TestClients.Cancel());
        var qos0 = client.PublishAsync(TestClients.Message("a", "zero", MqttQualityOfService.AtMostOnce), TestClients.Cancel());
        var (second, _) = await _server.AcceptAndConnectAsync();

        var packets = new[] { await second.ReadAsync<PublishPacket>(), await second.ReadAsync<PublishPacket>() };
        var qos1Packet = packets.Single(p => p.Message.QualityOfService == MqttQualityOfService.AtLeastOnce);
        await second.SendAsync(new PubAckPacket { PacketIdentifier = qos1Packet.PacketIdentifier });
        await Task.WhenAll(qos0, qos1);
    }

    [Fact]
    public async Task Operations_on_a_client_that_never_connected_fail_clearly()
    {
        await using var client = TestClients.Create(Options("idle"), output);

        await Assert.ThrowsAsync<MqttClientDisconnectedException>(() => client.PublishAsync(TestClients.Message("a", "x"), TestClients.Cancel()));
        await Assert.ThrowsAsync<MqttClientDisconnectedException>(() => client.SubscribeAsync([new MqttSubscription { TopicFilter = "a" }], TestClients.Cancel()));
        await Assert.ThrowsAsync<NotSupportedException>(() => client.PublishAsync(TestClients.Message("a", "x", MqttQualityOfService.ExactlyOnce), TestClients.Cancel()));
        await Assert.ThrowsAsync<ArgumentException>(() => client.PublishAsync(TestClients.Message("a/#", "x"), TestClients.Cancel()));
        await client.DisconnectAsync(TestClients.Cancel()); // a no-op
    }

    [Fact]
    public async Task Reconnection_can_be_disabled()
    {
        var options = Options("no-reconnect") with { Reconnect = new MqttReconnectOptions { Enabled = false } };
        await using var client = TestClients.Create(options, output);
        var connecting = client.ConnectAsync(TestClients.Cancel());
        var (connection, _) = await _server.AcceptAndConnectAsync();
        await connecting;
        var publishing = client.PublishAsync(TestClients.Message("a", "x"), TestClients.Cancel());
        await connection.ReadAsync<PublishPacket>();

        connection.Abort();

        await client.WaitForStateAsync(MqttConnectionState.Disconnected);
        await Assert.ThrowsAsync<MqttClientDisconnectedException>(() => publishing);
    }

    private MqttClientOptions Options(string clientId) => TestClients.Options("127.0.0.1", _server.Port, clientId);
}
