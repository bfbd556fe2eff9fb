namespace Telemetry.Mqtt;

/// <summary>The state of an <see cref="IMqttClient"/>.</summary>
public enum MqttConnectionState
{
    /// <summary>Not connected: before <see cref="IMqttClient.ConnectAsync"/>, after a failed first connect, or after <see cref="IMqttClient.DisconnectAsync"/>.</summary>
    Disconnected,

    /// <summary>The first connection is being established.</summary>
    Connecting,

    /// <summary>Connected; operations flow.</summary>
    Connected,

    /// <summary>The connection was lost and the client is reconnecting; operations wait for the new connection.</summary>
    Reconnecting,

    /// <summary>The client has been disposed.</summary>
    Disposed,
}

/// <summary>The outcome of a successful connect: the CONNACK and the limits the server announced.</summary>
public sealed record MqttConnectResult
{
    /// <summary>Whether the server resumed an existing session.</summary>
    public bool SessionPresent { get; init; }

    /// <summary>The client identifier in use (assigned by the server when <see cref="MqttClientOptions.ClientId"/> was empty).</summary>
    public required string ClientId { get; init; }

    /// <summary>The Assigned Client Identifier, if the server assigned one.</summary>
    public string? AssignedClientIdentifier { get; init; }

    /// <summary>The server's Receive Maximum: how many QoS 1 publishes may await PUBACK at once (65535 if not announced).</summary>
    public ushort ReceiveMaximum { get; init; } = ushort.MaxValue;

    /// <summary>The largest packet the server accepts, or <see langword="null"/> for the protocol limit.</summary>
    public uint? MaximumPacketSize { get; init; }

    /// <summary>The highest QoS the server supports.</summary>
    public MqttQualityOfService MaximumQoS { get; init; } = MqttQualityOfService.ExactlyOnce;

    /// <summary>Whether the server supports retained messages.</summary>
    public bool RetainAvailable { get; init; } = true;

    /// <summary>The server's Topic Alias Maximum (this client does not use topic aliases).</summary>
    public ushort TopicAliasMaximum { get; init; }

    /// <summary>Whether wildcard subscriptions are available.</summary>
    public bool WildcardSubscriptionAvailable { get; init; } = true;

    /// <summary>Whether subscription identifiers are available.</summary>
    public bool SubscriptionIdentifiersAvailable { get; init; } = true;

    /// <summary>Whether shared subscriptions are available.</summary>
    public bool SharedSubscriptionAvailable { get; init; } = true;

    /// <summary>The keep alive in force (the Server Keep Alive if the server sent one).</summary>
    public TimeSpan KeepAlive { get; init; }

    /// <summary>The session expiry in force (the server's value if it sent one).</summary>
    public TimeSpan SessionExpiryInterval { get; init; }

    /// <summary>The Reason String, if any.</summary>
    public string? ReasonString { get; init; }

    /// <summary>The Response Information, if any.</summary>
    public string? ResponseInformation { get; init; }

    /// <summary>The Server Reference, if any.</summary>
    public string? ServerReference { get; init; }

    /// <summary>The CONNACK user properties.</summary>
    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];
}

/// <summary>The outcome of a publish. For QoS 1 it reflects the PUBACK.</summary>
public sealed record MqttPublishResult
{
    /// <summary>The PUBACK reason code; <see cref="MqttPublishReasonCode.Success"/> for QoS 0 once written.</summary>
    public MqttPublishReasonCode ReasonCode { get; init; }

    /// <summary>The PUBACK Reason String, if any.</summary>
    public string? ReasonString { get; init; }

    /// <summary>The PUBACK user properties.</summary>
    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];

    /// <summary>The packet identifier used (0 for QoS 0).</summary>
    public ushort PacketIdentifier { get; init; }

    /// <summary>Whether the server accepted the message (reason code below 0x80).</summary>
    public bool IsSuccess => (byte)ReasonCode < 0x80;
}

/// <summary>The outcome for one topic filter of a subscribe.</summary>
/// <param name="TopicFilter">The requested topic filter.</param>
/// <param name="ReasonCode">The granted QoS or the refusal.</param>
public sealed record MqttSubscribeResultItem(string TopicFilter, MqttSubscribeReasonCode ReasonCode)
{
    /// <summary>Whether the subscription was made (reason code below 0x80).</summary>
    public bool IsSuccess => (byte)ReasonCode < 0x80;
}

/// <summary>The outcome of a subscribe: one item per requested filter, in request order.</summary>
public sealed record MqttSubscribeResult
{
    /// <summary>The per-filter results.</summary>
    public IReadOnlyList<MqttSubscribeResultItem> Items { get; init; } = [];

    /// <summary>The SUBACK Reason String, if any.</summary>
    public string? ReasonString { get; init; }

    /// <summary>The SUBACK user properties.</summary>
    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];
}

/// <summary>The outcome for one topic filter of an unsubscribe.</summary>
/// <param name="TopicFilter">The topic filter.</param>
/// <param name="ReasonCode">The result.</param>
public sealed record MqttUnsubscribeResultItem(string TopicFilter, MqttUnsubscribeReasonCode ReasonCode);

/// <summary>The outcome of an unsubscribe: one item per filter, in request order.</summary>
public sealed record MqttUnsubscribeResult
{
    /// <summary>The per-filter results.</summary>
    public IReadOnlyList<MqttUnsubscribeResultItem> Items { get; init; } = [];

    /// <summary>The UNSUBACK Reason String, if any.</summary>
    public string? ReasonString { get; init; }

    /// <summary>The UNSUBACK user properties.</summary>
    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];
}

/// <summary>A received PUBLISH, as queued to <see cref="IMqttClient.Messages"/>.</summary>
public sealed class MqttReceivedMessage
{
    /// <summary>Creates a received message (the client creates them; public for test doubles).</summary>
    /// <param name="message">The application message.</param>
    /// <param name="duplicate">The DUP flag: the server may have delivered it before.</param>
    /// <param name="packetIdentifier">The packet identifier (0 for QoS 0).</param>
    /// <param name="subscriptionIdentifiers">The subscription identifiers of the matching subscriptions.</param>
    /// <param name="connectionGeneration">The connection it arrived on.</param>
    public MqttReceivedMessage(
        MqttApplicationMessage message,
        bool duplicate,
        ushort packetIdentifier,
        IReadOnlyList<uint> subscriptionIdentifiers,
        long connectionGeneration)
    {
        Message = message;
        Duplicate = duplicate;
        PacketIdentifier = packetIdentifier;
        SubscriptionIdentifiers = subscriptionIdentifiers;
        ConnectionGeneration = connectionGeneration;
    }

    /// <summary>The application message.</summary>
    public MqttApplicationMessage Message { get; }

    /// <summary>The DUP flag: this may be a redelivery of a message delivered before.</summary>
    public bool Duplicate { get; }

    /// <summary>
    /// When the client received it, as a timestamp of the client's <see cref="TimeProvider"/>: how long a message has
    /// waited for its acknowledgement tells whether a consumer is making progress.
    /// </summary>
    public long ReceivedTimestamp { get; init; }

    /// <summary>The packet identifier (0 for QoS 0). Only meaningful on the connection it arrived on.</summary>
    public ushort PacketIdentifier { get; }

    /// <summary>The Subscription Identifiers of the subscriptions that matched.</summary>
    public IReadOnlyList<uint> SubscriptionIdentifiers { get; }

    /// <summary>
    /// The connection it arrived on: 1 for the first connection, incremented by each reconnect. An acknowledgement
    /// for an earlier connection is dropped, because the server redelivers the message on the new one.
    /// </summary>
    public long ConnectionGeneration { get; }
}

/// <summary>Describes a change of <see cref="IMqttClient.State"/>.</summary>
public sealed class MqttConnectionStateChangedEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    /// <param name="previousState">The state before.</param>
    /// <param name="state">The state now.</param>
    /// <param name="disconnectReason">The DISCONNECT reason code, when a DISCONNECT (sent or received) caused the change.</param>
    /// <param name="reasonString">The server's reason string, or a description of the cause.</param>
    /// <param name="exception">The error that caused the change, if any.</param>
    public MqttConnectionStateChangedEventArgs(
        MqttConnectionState previousState,
        MqttConnectionState state,
        MqttDisconnectReasonCode? disconnectReason = null,
        string? reasonString = null,
        Exception? exception = null)
    {
        PreviousState = previousState;
        State = state;
        DisconnectReason = disconnectReason;
        ReasonString = reasonString;
        Exception = exception;
    }

    /// <summary>The state before the change.</summary>
    public MqttConnectionState PreviousState { get; }

    /// <summary>The state after the change.</summary>
    public MqttConnectionState State { get; }

    /// <summary>
    /// The DISCONNECT reason code, when the connection ended with one: sent by the server (for example
    /// SessionTakenOver or ServerShuttingDown), or sent by this client (for example MalformedPacket).
    /// </summary>
    public MqttDisconnectReasonCode? DisconnectReason { get; }

    /// <summary>The server's reason string or a description of why the state changed.</summary>
    public string? ReasonString { get; }

    /// <summary>The error that caused the change (network error, protocol violation, refused connect), if any.</summary>
    public Exception? Exception { get; }
}
