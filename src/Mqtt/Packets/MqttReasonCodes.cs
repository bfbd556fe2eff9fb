namespace Telemetry.Mqtt;

/// <summary>CONNACK reason codes (MQTT 5.0 section 3.2.2.2). Values of 0x80 and above are refusals.</summary>
public enum MqttConnectReasonCode : byte
{
    /// <summary>0x00: the connection is accepted.</summary>
    Success = 0x00,

    /// <summary>0x80: the server does not wish to reveal the reason, or none of the others apply.</summary>
    UnspecifiedError = 0x80,

    /// <summary>0x81: the CONNECT packet could not be parsed.</summary>
    MalformedPacket = 0x81,

    /// <summary>0x82: the CONNECT packet does not conform to the specification.</summary>
    ProtocolError = 0x82,

    /// <summary>0x83: the CONNECT is valid but not accepted by this server.</summary>
    ImplementationSpecificError = 0x83,

    /// <summary>0x84: the server does not support MQTT 5.</summary>
    UnsupportedProtocolVersion = 0x84,

    /// <summary>0x85: the client identifier is not allowed.</summary>
    ClientIdentifierNotValid = 0x85,

    /// <summary>0x86: the server does not accept the user name or password.</summary>
    BadUserNameOrPassword = 0x86,

    /// <summary>0x87: the client is not authorized to connect.</summary>
    NotAuthorized = 0x87,

    /// <summary>0x88: the server is not available.</summary>
    ServerUnavailable = 0x88,

    /// <summary>0x89: the server is busy; try again later.</summary>
    ServerBusy = 0x89,

    /// <summary>0x8A: the client has been banned by administrative action.</summary>
    Banned = 0x8A,

    /// <summary>0x8C: the authentication method is not supported.</summary>
    BadAuthenticationMethod = 0x8C,

    /// <summary>0x90: the will topic name is not accepted.</summary>
    TopicNameInvalid = 0x90,

    /// <summary>0x95: the CONNECT packet exceeded the maximum permissible size.</summary>
    PacketTooLarge = 0x95,

    /// <summary>0x97: an implementation or administrative quota has been exceeded.</summary>
    QuotaExceeded = 0x97,

    /// <summary>0x99: the will payload does not match the payload format indicator.</summary>
    PayloadFormatInvalid = 0x99,

    /// <summary>0x9A: the server does not support retained messages and the will has Retain set.</summary>
    RetainNotSupported = 0x9A,

    /// <summary>0x9B: the server does not support the QoS of the will.</summary>
    QoSNotSupported = 0x9B,

    /// <summary>0x9C: the client should temporarily use another server.</summary>
    UseAnotherServer = 0x9C,

    /// <summary>0x9D: the client should permanently use another server.</summary>
    ServerMoved = 0x9D,

    /// <summary>0x9F: the connection rate limit has been exceeded.</summary>
    ConnectionRateExceeded = 0x9F,
}

/// <summary>DISCONNECT reason codes (MQTT 5.0 section 3.14.2.1), sent by either side.</summary>
public enum MqttDisconnectReasonCode : byte
{
    /// <summary>0x00: close the connection normally; the will is not published.</summary>
    NormalDisconnection = 0x00,

    /// <summary>0x04: the client disconnects but wants its will published.</summary>
    DisconnectWithWillMessage = 0x04,

    /// <summary>0x80: unspecified error.</summary>
    UnspecifiedError = 0x80,

    /// <summary>0x81: the received packet does not conform to the specification.</summary>
    MalformedPacket = 0x81,

    /// <summary>0x82: an unexpected or out of order packet was received.</summary>
    ProtocolError = 0x82,

    /// <summary>0x83: the packet is valid but cannot be processed by this implementation.</summary>
    ImplementationSpecificError = 0x83,

    /// <summary>0x87: the request is not authorized.</summary>
    NotAuthorized = 0x87,

    /// <summary>0x89: the server is busy.</summary>
    ServerBusy = 0x89,

    /// <summary>0x8B: the server is shutting down.</summary>
    ServerShuttingDown = 0x8B,

    /// <summary>0x8D: no packet was received within 1.5 times the keep alive.</summary>
    KeepAliveTimeout = 0x8D,

    /// <summary>0x8E: another connection with the same client identifier took the session over.</summary>
    SessionTakenOver = 0x8E,

    /// <summary>0x8F: the topic filter is not accepted.</summary>
    TopicFilterInvalid = 0x8F,

    /// <summary>0x90: the topic name is not accepted.</summary>
    TopicNameInvalid = 0x90,

    /// <summary>0x93: more QoS 1 or 2 publishes were received than the announced Receive Maximum.</summary>
    ReceiveMaximumExceeded = 0x93,

    /// <summary>0x94: a topic alias was invalid.</summary>
    TopicAliasInvalid = 0x94,

    /// <summary>0x95: a packet exceeded the Maximum Packet Size.</summary>
    PacketTooLarge = 0x95,

    /// <summary>0x96: the message rate is too high.</summary>
    MessageRateTooHigh = 0x96,

    /// <summary>0x97: a quota has been exceeded.</summary>
    QuotaExceeded = 0x97,

    /// <summary>0x98: the connection is closed by administrative action.</summary>
    AdministrativeAction = 0x98,

    /// <summary>0x99: the payload does not match the payload format indicator.</summary>
    PayloadFormatInvalid = 0x99,

    /// <summary>0x9A: retained messages are not supported.</summary>
    RetainNotSupported = 0x9A,

    /// <summary>0x9B: the QoS is not supported.</summary>
    QoSNotSupported = 0x9B,

    /// <summary>0x9C: the client should temporarily use another server.</summary>
    UseAnotherServer = 0x9C,

    /// <summary>0x9D: the server has moved.</summary>
    ServerMoved = 0x9D,

    /// <summary>0x9E: shared subscriptions are not supported.</summary>
    SharedSubscriptionsNotSupported = 0x9E,

    /// <summary>0x9F: the connection rate limit has been exceeded.</summary>
    ConnectionRateExceeded = 0x9F,

    /// <summary>0xA0: the maximum connection time has been exceeded.</summary>
    MaximumConnectTime = 0xA0,

    /// <summary>0xA1: subscription identifiers are not supported.</summary>
    SubscriptionIdentifiersNotSupported = 0xA1,

    /// <summary>0xA2: wildcard subscriptions are not supported.</summary>
    WildcardSubscriptionsNotSupported = 0xA2,
}

/// <summary>PUBACK reason codes (MQTT 5.0 section 3.4.2.1). Values below 0x80 are successes.</summary>
public enum MqttPublishReasonCode : byte
{
    /// <summary>0x00: the message is accepted.</summary>
    Success = 0x00,

    /// <summary>0x10: the message is accepted but there are no subscribers.</summary>
    NoMatchingSubscribers = 0x10,

    /// <summary>0x80: the receiver does not accept the publish and does not say why.</summary>
    UnspecifiedError = 0x80,

    /// <summary>0x83: the publish is valid but not accepted by the receiver.</summary>
    ImplementationSpecificError = 0x83,

    /// <summary>0x87: the publish is not authorized.</summary>
    NotAuthorized = 0x87,

    /// <summary>0x90: the topic name is not accepted.</summary>
    TopicNameInvalid = 0x90,

    /// <summary>0x91: the packet identifier is already in use.</summary>
    PacketIdentifierInUse = 0x91,

    /// <summary>0x97: a quota has been exceeded.</summary>
    QuotaExceeded = 0x97,

    /// <summary>0x99: the payload does not match the payload format indicator.</summary>
    PayloadFormatInvalid = 0x99,
}

/// <summary>SUBACK reason codes (MQTT 5.0 section 3.9.3), one per requested topic filter.</summary>
public enum MqttSubscribeReasonCode : byte
{
    /// <summary>0x00: subscribed, maximum QoS 0.</summary>
    GrantedQoS0 = 0x00,

    /// <summary>0x01: subscribed, maximum QoS 1.</summary>
    GrantedQoS1 = 0x01,

    /// <summary>0x02: subscribed, maximum QoS 2.</summary>
    GrantedQoS2 = 0x02,

    /// <summary>0x80: not accepted, reason not given.</summary>
    UnspecifiedError = 0x80,

    /// <summary>0x83: valid but not accepted by the server.</summary>
    ImplementationSpecificError = 0x83,

    /// <summary>0x87: the client is not authorized to make this subscription.</summary>
    NotAuthorized = 0x87,

    /// <summary>0x8F: the topic filter is correctly formed but not allowed.</summary>
    TopicFilterInvalid = 0x8F,

    /// <summary>0x91: the packet identifier is already in use.</summary>
    PacketIdentifierInUse = 0x91,

    /// <summary>0x97: a quota has been exceeded.</summary>
    QuotaExceeded = 0x97,

    /// <summary>0x9E: shared subscriptions are not supported.</summary>
    SharedSubscriptionsNotSupported = 0x9E,

    /// <summary>0xA1: subscription identifiers are not supported.</summary>
    SubscriptionIdentifiersNotSupported = 0xA1,

    /// <summary>0xA2: wildcard subscriptions are not supported.</summary>
    WildcardSubscriptionsNotSupported = 0xA2,
}

/// <summary>UNSUBACK reason codes (MQTT 5.0 section 3.11.3), one per topic filter.</summary>
public enum MqttUnsubscribeReasonCode : byte
{
    /// <summary>0x00: the subscription is deleted.</summary>
    Success = 0x00,

    /// <summary>0x11: no matching topic filter is being used by the client.</summary>
    NoSubscriptionExisted = 0x11,

    /// <summary>0x80: the unsubscribe could not be completed.</summary>
    UnspecifiedError = 0x80,

    /// <summary>0x83: valid but not accepted by the server.</summary>
    ImplementationSpecificError = 0x83,

    /// <summary>0x87: the client is not authorized to unsubscribe.</summary>
    NotAuthorized = 0x87,

    /// <summary>0x8F: the topic filter is correctly formed but not allowed.</summary>
    TopicFilterInvalid = 0x8F,

    /// <summary>0x91: the packet identifier is already in use.</summary>
    PacketIdentifierInUse = 0x91,
}
