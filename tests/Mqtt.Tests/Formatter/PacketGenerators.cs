using FsCheck;
using FsCheck.Fluent;
using Telemetry.Mqtt.Packets;

namespace Telemetry.Mqtt.Tests.Formatter;

/// <summary>FsCheck generators for every MQTT 5 packet type, with random optional properties.</summary>
internal static class PacketGenerators
{
    private static readonly string[] Fragments = ["a", "b", "Z", "0", "9", "/", " ", "-", "_", "é", "ß", "€", "漢", "😀", "$", "\u00ff", "\t"];
    private static readonly string[] TopicFragments = ["a", "b", "x", "0", "/", "é", "😀", "$", "sensor", "-"];

    public static Gen<string> Text { get; } = Gen.ArrayOf(Gen.Elements(Fragments)).Select(parts => string.Concat(parts));

    public static Gen<string> TopicName { get; } =
        Gen.NonEmptyListOf(Gen.Elements(TopicFragments)).Select(parts => string.Concat(parts));

    public static Gen<byte[]> Bytes { get; } = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b));

    public static Gen<ushort> NonZeroUInt16 { get; } = Gen.Choose(1, ushort.MaxValue).Select(v => (ushort)v);

    public static Gen<uint> UInt32 { get; } = Gen.Choose(int.MinValue, int.MaxValue).Select(v => unchecked((uint)v));

    public static Gen<uint> SubscriptionIdentifier { get; } =
        Gen.OneOf(Gen.Choose(1, 127), Gen.Choose(128, 16_383), Gen.Choose(16_384, 268_435_455)).Select(v => (uint)v);

    public static Gen<T?> Optional<T>(Gen<T> gen)
        where T : class => Gen.OneOf(Gen.Constant<T?>(null), gen.Select(v => (T?)v));

    public static Gen<T?> OptionalValue<T>(Gen<T> gen)
        where T : struct => Gen.OneOf(Gen.Constant<T?>(null), gen.Select(v => (T?)v));

    public static Gen<ReadOnlyMemory<byte>?> OptionalBytes { get; } =
        Gen.OneOf(Gen.Constant<ReadOnlyMemory<byte>?>(null), Bytes.Select(b => (ReadOnlyMemory<byte>?)b));

    public static Gen<IReadOnlyList<MqttUserProperty>> UserProperties { get; } =
        Gen.ListOf(Gen.Zip(Text, Text, (name, value) => new MqttUserProperty(name, value)))
            .Select(list => (IReadOnlyList<MqttUserProperty>)list.ToArray());

    public static Gen<T> Enum<T>()
        where T : struct, System.Enum => Gen.Elements(System.Enum.GetValues<T>());

    public static Gen<MqttApplicationMessage> Message(Gen<MqttQualityOfService> qos) =>
        from topic in TopicName
        from payload in Bytes
        from quality in qos
        from retain in ArbMap.Default.GeneratorFor<bool>()
        from format in Enum<MqttPayloadFormatIndicator>()
        from expiry in OptionalValue(UInt32.Select(s => TimeSpan.FromSeconds(s)))
        from contentType in Optional(Text)
        from responseTopic in Optional(TopicName)
        from correlation in OptionalBytes
        from userProperties in UserProperties
        select new MqttApplicationMessage
        {
            Topic = topic,
            Payload = payload,
            QualityOfService = quality,
            Retain = retain,
            PayloadFormatIndicator = format,
            MessageExpiryInterval = expiry,
            ContentType = contentType,
            ResponseTopic = responseTopic,
            CorrelationData = correlation,
            UserProperties = userProperties,
        };

    public static Gen<ConnectPacket> Connect { get; } =
        from clientId in Text
        from cleanStart in ArbMap.Default.GeneratorFor<bool>()
        from keepAlive in Gen.Choose(0, ushort.MaxValue)
        from userName in Optional(Text)
        from password in OptionalBytes
        from will in Optional(
            from message in Message(Enum<MqttQualityOfService>())
            from delay in UInt32
            select new ConnectWill(message, delay))
        from sessionExpiry in UInt32
        from receiveMaximum in OptionalValue(NonZeroUInt16)
        from maximumPacketSize in OptionalValue(UInt32.Where(v => v > 0))
        from topicAliasMaximum in OptionalValue(Gen.Choose(0, ushort.MaxValue).Select(v => (ushort)v))
        from requestResponse in OptionalValue(ArbMap.Default.GeneratorFor<bool>())
        from requestProblem in OptionalValue(ArbMap.Default.GeneratorFor<bool>())
        from authenticationMethod in Optional(Text)
        from authenticationData in OptionalBytes
        from userProperties in UserProperties
        select new ConnectPacket
        {
            ClientId = clientId,
            CleanStart = cleanStart,
            KeepAliveSeconds = (ushort)keepAlive,
            UserName = userName,
            Password = password,
            Will = will,
            SessionExpiryIntervalSeconds = sessionExpiry,
            ReceiveMaximum = receiveMaximum,
            MaximumPacketSize = maximumPacketSize,
            TopicAliasMaximum = topicAliasMaximum,
            RequestResponseInformation = requestResponse,
            RequestProblemInformation = requestProblem,
            AuthenticationMethod = authenticationMethod,
            AuthenticationData = authenticationData,
            UserProperties = userProperties,
        };

    private static Gen<bool?> OptionalBool => OptionalValue(ArbMap.Default.GeneratorFor<bool>());

    public static Gen<ConnAckPacket> ConnAck { get; } =
        from sessionPresent in ArbMap.Default.GeneratorFor<bool>()
        from reason in Enum<MqttConnectReasonCode>()
        from sessionExpiry in OptionalValue(UInt32)
        from receiveMaximum in OptionalValue(NonZeroUInt16)
        from maximumQoS in OptionalValue(Gen.Elements(MqttQualityOfService.AtMostOnce, MqttQualityOfService.AtLeastOnce))
        from retainAvailable in OptionalBool
        from maximumPacketSize in OptionalValue(UInt32.Where(v => v > 0))
        from assigned in Optional(Text)
        from topicAliasMaximum in OptionalValue(Gen.Choose(0, ushort.MaxValue).Select(v => (ushort)v))
        from reasonString in Optional(Text)
        from wildcard in OptionalBool
        from subscriptionIds in OptionalBool
        from shared in OptionalBool
        from serverKeepAlive in OptionalValue(Gen.Choose(0, ushort.MaxValue).Select(v => (ushort)v))
        from responseInformation in Optional(Text)
        from serverReference in Optional(Text)
        from authenticationMethod in Optional(Text)
        from authenticationData in OptionalBytes
        from userProperties in UserProperties
        select new ConnAckPacket
        {
            SessionPresent = sessionPresent,
            ReasonCode = reason,
            SessionExpiryIntervalSeconds = sessionExpiry,
            ReceiveMaximum = receiveMaximum,
            MaximumQoS = maximumQoS,
            RetainAvailable = retainAvailable,
            MaximumPacketSize = maximumPacketSize,
            AssignedClientIdentifier = assigned,
            TopicAliasMaximum = topicAliasMaximum,
            ReasonString = reasonString,
            WildcardSubscriptionAvailable = wildcard,
            SubscriptionIdentifiersAvailable = subscriptionIds,
            SharedSubscriptionAvailable = shared,
            ServerKeepAliveSeconds = serverKeepAlive,
            ResponseInformation = responseInformation,
            ServerReference = serverReference,
            AuthenticationMethod = authenticationMethod,
            AuthenticationData = authenticationData,
            UserProperties = userProperties,
        };

    public static Gen<PublishPacket> Publish { get; } =
        from message in Message(Enum<MqttQualityOfService>())
        from identifier in NonZeroUInt16
        from duplicate in ArbMap.Default.GeneratorFor<bool>()
        from alias in OptionalValue(NonZeroUInt16)
        from emptyTopic in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
        from subscriptionIdentifiers in Gen.ListOf(SubscriptionIdentifier)
        let atMostOnce = message.QualityOfService == MqttQualityOfService.AtMostOnce
        select new PublishPacket(emptyTopic && alias is not null ? message with { Topic = "" } : message)
        {
            PacketIdentifier = atMostOnce ? (ushort)0 : identifier,
            Duplicate = !atMostOnce && duplicate,
            TopicAlias = alias,
            SubscriptionIdentifiers = subscriptionIdentifiers.ToArray(),
        };

    public static Gen<T> PublishResponse<T>()
        where T : PublishResponsePacket, new() =>
        from identifier in NonZeroUInt16
        from reason in Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Choose(0, 255)))
        from reasonString in Gen.Frequency((3, Gen.Constant<string?>(null)), (1, Text.Select(s => (string?)s)))
        from userProperties in Gen.Frequency((3, Gen.Constant<IReadOnlyList<MqttUserProperty>>([])), (1, UserProperties))
        select new T { PacketIdentifier = identifier, ReasonCode = (byte)reason, ReasonString = reasonString, UserProperties = userProperties };

    public static Gen<MqttSubscription> Subscription { get; } =
        from filter in Text.Where(t => t.Length > 0)
        from qos in Enum<MqttQualityOfService>()
        from noLocal in ArbMap.Default.GeneratorFor<bool>()
        from retainAsPublished in ArbMap.Default.GeneratorFor<bool>()
        from retainHandling in Enum<MqttRetainHandling>()
        select new MqttSubscription { TopicFilter = filter, MaximumQoS = qos, NoLocal = noLocal, RetainAsPublished = retainAsPublished, RetainHandling = retainHandling };

    public static Gen<SubscribePacket> Subscribe { get; } =
        from identifier in NonZeroUInt16
        from subscriptionIdentifier in OptionalValue(SubscriptionIdentifier)
        from userProperties in UserProperties
        from subscriptions in Gen.NonEmptyListOf(Subscription)
        select new SubscribePacket { PacketIdentifier = identifier, SubscriptionIdentifier = subscriptionIdentifier, UserProperties = userProperties, Subscriptions = subscriptions.ToArray() };

    public static Gen<SubAckPacket> SubAck { get; } =
        from identifier in NonZeroUInt16
        from reasonString in Optional(Text)
        from userProperties in UserProperties
        from codes in Gen.NonEmptyListOf(Enum<MqttSubscribeReasonCode>())
        select new SubAckPacket { PacketIdentifier = identifier, ReasonString = reasonString, UserProperties = userProperties, ReasonCodes = codes.ToArray() };

    public static Gen<UnsubscribePacket> Unsubscribe { get; } =
        from identifier in NonZeroUInt16
        from userProperties in UserProperties
        from filters in Gen.NonEmptyListOf(Text.Where(t => t.Length > 0))
        select new UnsubscribePacket { PacketIdentifier = identifier, UserProperties = userProperties, TopicFilters = filters.ToArray() };

    public static Gen<UnsubAckPacket> UnsubAck { get; } =
        from identifier in NonZeroUInt16
        from reasonString in Optional(Text)
        from userProperties in UserProperties
        from codes in Gen.NonEmptyListOf(Enum<MqttUnsubscribeReasonCode>())
        select new UnsubAckPacket { PacketIdentifier = identifier, ReasonString = reasonString, UserProperties = userProperties, ReasonCodes = codes.ToArray() };

    public static Gen<DisconnectPacket> Disconnect { get; } =
        from reason in Enum<MqttDisconnectReasonCode>()
        from sessionExpiry in OptionalValue(UInt32)
        from reasonString in Optional(Text)
        from serverReference in Optional(Text)
        from userProperties in Gen.Frequency((2, Gen.Constant<IReadOnlyList<MqttUserProperty>>([])), (1, UserProperties))
        select new DisconnectPacket { ReasonCode = reason, SessionExpiryIntervalSeconds = sessionExpiry, ReasonString = reasonString, ServerReference = serverReference, UserProperties = userProperties };

    public static Gen<AuthPacket> Auth { get; } =
        from reason in Gen.Elements<byte>(0x00, 0x18, 0x19)
        from method in Optional(Text)
        from data in OptionalBytes
        from reasonString in Optional(Text)
        from userProperties in Gen.Frequency((2, Gen.Constant<IReadOnlyList<MqttUserProperty>>([])), (1, UserProperties))
        select new AuthPacket { ReasonCode = reason, AuthenticationMethod = method, AuthenticationData = data, ReasonString = reasonString, UserProperties = userProperties };

    /// <summary>Any packet of any of the 15 types.</summary>
    public static Gen<MqttPacket> AnyPacket { get; } = Gen.OneOf(
        Connect.Select(p => (MqttPacket)p),
        ConnAck.Select(p => (MqttPacket)p),
        Publish.Select(p => (MqttPacket)p),
        PublishResponse<PubAckPacket>().Select(p => (MqttPacket)p),
        PublishResponse<PubRecPacket>().Select(p => (MqttPacket)p),
        PublishResponse<PubRelPacket>().Select(p => (MqttPacket)p),
        PublishResponse<PubCompPacket>().Select(p => (MqttPacket)p),
        Subscribe.Select(p => (MqttPacket)p),
        SubAck.Select(p => (MqttPacket)p),
        Unsubscribe.Select(p => (MqttPacket)p),
        UnsubAck.Select(p => (MqttPacket)p),
        Gen.Constant<MqttPacket>(PingReqPacket.Instance),
        Gen.Constant<MqttPacket>(PingRespPacket.Instance),
        Disconnect.Select(p => (MqttPacket)p),
        Auth.Select(p => (MqttPacket)p));
}
