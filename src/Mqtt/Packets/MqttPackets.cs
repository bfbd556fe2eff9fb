namespace Telemetry.Mqtt.Packets;

/// <summary>MQTT control packet types (MQTT 5.0 section 2.1.2).</summary>
internal enum MqttPacketType : byte
{
    Connect = 1,
    ConnAck = 2,
    Publish = 3,
    PubAck = 4,
    PubRec = 5,
    PubRel = 6,
    PubComp = 7,
    Subscribe = 8,
    SubAck = 9,
    Unsubscribe = 10,
    UnsubAck = 11,
    PingReq = 12,
    PingResp = 13,
    Disconnect = 14,
    Auth = 15,
}

/// <summary>A decoded or to-be-encoded MQTT 5 control packet. Plain data: no behaviour.</summary>
internal abstract record MqttPacket
{
    public abstract MqttPacketType Type { get; }
}

/// <summary>The will of a CONNECT packet: an application message plus the Will Delay Interval.</summary>
internal sealed record ConnectWill(MqttApplicationMessage Message, uint DelayIntervalSeconds);

internal sealed record ConnectPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Connect;

    public string ClientId { get; init; } = "";

    public bool CleanStart { get; init; }

    public ushort KeepAliveSeconds { get; init; }

    public string? UserName { get; init; }

    public ReadOnlyMemory<byte>? Password { get; init; }

    public ConnectWill? Will { get; init; }

    /// <summary>0 (the default, property omitted) ends the session with the network connection.</summary>
    public uint SessionExpiryIntervalSeconds { get; init; }

    public ushort? ReceiveMaximum { get; init; }

    public uint? MaximumPacketSize { get; init; }

    public ushort? TopicAliasMaximum { get; init; }

    public bool? RequestResponseInformation { get; init; }

    public bool? RequestProblemInformation { get; init; }

    public string? AuthenticationMethod { get; init; }

    public ReadOnlyMemory<byte>? AuthenticationData { get; init; }

    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];
}

internal sealed record ConnAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.ConnAck;

    public bool SessionPresent { get; init; }

    public MqttConnectReasonCode ReasonCode { get; init; }

    public uint? SessionExpiryIntervalSeconds { get; init; }

    public ushort? ReceiveMaximum { get; init; }

    public MqttQualityOfService? MaximumQoS { get; init; }

    public bool? RetainAvailable { get; init; }

    public uint? MaximumPacketSize { get; init; }

    public string? AssignedClientIdentifier { get; init; }

    public ushort? TopicAliasMaximum { get; init; }

    public string? ReasonString { get; init; }

    public bool? WildcardSubscriptionAvailable { get; init; }

    public bool? SubscriptionIdentifiersAvailable { get; init; }

    public bool? SharedSubscriptionAvailable { get; init; }

    public ushort? ServerKeepAliveSeconds { get; init; }

    public string? ResponseInformation { get; init; }

    public string? ServerReference { get; init; }

    public string? AuthenticationMethod { get; init; }

    public ReadOnlyMemory<byte>? AuthenticationData { get; init; }

    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];
}

/// <summary>A PUBLISH: the application message plus the per-transmission fields.</summary>
internal sealed record PublishPacket(MqttApplicationMessage Message) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Publish;

    /// <summary>Non-zero when the QoS is 1 or 2; 0 for QoS 0.</summary>
    public ushort PacketIdentifier { get; init; }

    public bool Duplicate { get; init; }

    public ushort? TopicAlias { get; init; }

    /// <summary>Subscription identifiers (server to client only).</summary>
    public IReadOnlyList<uint> SubscriptionIdentifiers { get; init; } = [];
}

/// <summary>The common layout of PUBACK, PUBREC, PUBREL and PUBCOMP (MQTT 5.0 sections 3.4 to 3.7).</summary>
internal abstract record PublishResponsePacket : MqttPacket
{
    public ushort PacketIdentifier { get; init; }

    public byte ReasonCode { get; init; }

    public string? ReasonString { get; init; }

    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];
}

internal sealed record PubAckPacket : PublishResponsePacket
{
    public override MqttPacketType Type => MqttPacketType.PubAck;
}

internal sealed record PubRecPacket : PublishResponsePacket
{
    public override MqttPacketType Type => MqttPacketType.PubRec;
}

internal sealed record PubRelPacket : PublishResponsePacket
{
    public override MqttPacketType Type => MqttPacketType.PubRel;
}

internal sealed record PubCompPacket : PublishResponsePacket
{
    public override MqttPacketType Type => MqttPacketType.PubComp;
}

internal sealed record SubscribePacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Subscribe;

    public ushort PacketIdentifier { get; init; }

    public uint? SubscriptionIdentifier { get; init; }

    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];

    public IReadOnlyList<MqttSubscription> Subscriptions { get; init; } = [];
}

internal sealed record SubAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.SubAck;

    public ushort PacketIdentifier { get; init; }

    public string? ReasonString { get; init; }

    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];

    public IReadOnlyList<MqttSubscribeReasonCode> ReasonCodes { get; init; } = [];
}

internal sealed record UnsubscribePacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Unsubscribe;

    public ushort PacketIdentifier { get; init; }

    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];

    public IReadOnlyList<string> TopicFilters { get; init; } = [];
}

internal sealed record UnsubAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.UnsubAck;

    public ushort PacketIdentifier { get; init; }

    public string? ReasonString { get; init; }

    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];

    public IReadOnlyList<MqttUnsubscribeReasonCode> ReasonCodes { get; init; } = [];
}

internal sealed record PingReqPacket : MqttPacket
{
    public static readonly PingReqPacket Instance = new();

    public override MqttPacketType Type => MqttPacketType.PingReq;
}

internal sealed record PingRespPacket : MqttPacket
{
    public static readonly PingRespPacket Instance = new();

    public override MqttPacketType Type => MqttPacketType.PingResp;
}

internal sealed record DisconnectPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Disconnect;

    public MqttDisconnectReasonCode ReasonCode { get; init; }

    public uint? SessionExpiryIntervalSeconds { get; init; }

    public string? ReasonString { get; init; }

    public string? ServerReference { get; init; }

    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];
}

internal sealed record AuthPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Auth;

    /// <summary>0x00 success, 0x18 continue authentication, 0x19 re-authenticate.</summary>
    public byte ReasonCode { get; init; }

    public string? AuthenticationMethod { get; init; }

    public ReadOnlyMemory<byte>? AuthenticationData { get; init; }

    public string? ReasonString { get; init; }

    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];
}
