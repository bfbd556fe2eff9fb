using Telemetry.Mqtt.Packets;

namespace Telemetry.Mqtt.Formatter;

/// <summary>
/// Decodes MQTT 5 control packets. Every violation surfaces as <see cref="MqttProtocolException"/> carrying the
/// DISCONNECT reason code to answer with (0x81 malformed, 0x82 protocol error); no other exception escapes.
/// Allocations are bounded by the size of the packet being decoded.
/// </summary>
internal static class MqttPacketDecoder
{
    /// <summary>The outcome of <see cref="TryReadFixedHeader"/>.</summary>
    public enum HeaderStatus
    {
        Complete,
        NeedMoreData,
    }

    /// <summary>
    /// Parses the fixed header at the start of <paramref name="buffer"/>. Throws a malformed-packet error when the
    /// Remaining Length has more than four bytes or the packet type is reserved (0).
    /// </summary>
    public static HeaderStatus TryReadFixedHeader(ReadOnlySpan<byte> buffer, out byte header, out int remainingLength, out int headerLength)
    {
        header = 0;
        remainingLength = 0;
        headerLength = 0;
        if (buffer.IsEmpty)
        {
            return HeaderStatus.NeedMoreData;
        }

        header = buffer[0];
        if (header >> 4 == 0)
        {
            throw MqttProtocolException.Malformed("Packet type 0 is reserved.");
        }

        switch (VariableByteInteger.TryRead(buffer[1..], out var value, out var length))
        {
            case VariableByteInteger.ReadStatus.Success:
                remainingLength = (int)value;
                headerLength = 1 + length;
                return HeaderStatus.Complete;
            case VariableByteInteger.ReadStatus.NeedMoreData:
                return HeaderStatus.NeedMoreData;
            default:
                throw MqttProtocolException.Malformed("The Remaining Length is longer than four bytes.");
        }
    }

    /// <summary>Decodes one complete packet occupying all of <paramref name="packet"/>.</summary>
    public static MqttPacket Decode(ReadOnlySpan<byte> packet)
    {
        if (TryReadFixedHeader(packet, out var header, out var remaining, out var headerLength) != HeaderStatus.Complete)
        {
            throw MqttProtocolException.Malformed("The packet ends inside the fixed header.");
        }

        if (packet.Length - headerLength != remaining)
        {
            throw MqttProtocolException.Malformed($"The Remaining Length says {remaining} bytes but {packet.Length - headerLength} follow.");
        }

        return Decode(header, packet[headerLength..]);
    }

    /// <summary>Decodes the variable header and payload (<paramref name="body"/>) of a packet with fixed header byte <paramref name="header"/>.</summary>
    public static MqttPacket Decode(byte header, ReadOnlySpan<byte> body)
    {
        var type = (MqttPacketType)(header >> 4);
        var flags = (byte)(header & 0x0F);
        if (type != MqttPacketType.Publish)
        {
            var expected = type is MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe ? 0x02 : 0x00;
            if (flags != expected)
            {
                throw MqttProtocolException.Malformed($"{type} has reserved flags 0x{flags:X1}; expected 0x{expected:X1}.");
            }
        }

        var reader = new SpanReader(body);
        MqttPacket packet = type switch
        {
            MqttPacketType.Connect => DecodeConnect(ref reader),
            MqttPacketType.ConnAck => DecodeConnAck(ref reader),
            MqttPacketType.Publish => DecodePublish(flags, ref reader),
            MqttPacketType.PubAck => DecodePublishResponse(new PubAckPacket(), ref reader),
            MqttPacketType.PubRec => DecodePublishResponse(new PubRecPacket(), ref reader),
            MqttPacketType.PubRel => DecodePublishResponse(new PubRelPacket(), ref reader),
            MqttPacketType.PubComp => DecodePublishResponse(new PubCompPacket(), ref reader),
            MqttPacketType.Subscribe => DecodeSubscribe(ref reader),
            MqttPacketType.SubAck => DecodeSubAck(ref reader),
            MqttPacketType.Unsubscribe => DecodeUnsubscribe(ref reader),
            MqttPacketType.UnsubAck => DecodeUnsubAck(ref reader),
            MqttPacketType.PingReq => DecodeEmpty(PingReqPacket.Instance, ref reader),
            MqttPacketType.PingResp => DecodeEmpty(PingRespPacket.Instance, ref reader),
            MqttPacketType.Disconnect => DecodeDisconnect(ref reader),
            MqttPacketType.Auth => DecodeAuth(ref reader),
            _ => throw MqttProtocolException.Malformed($"Packet type {(int)type} is reserved."),
        };

        if (!reader.End)
        {
            throw MqttProtocolException.Malformed($"{type} has {reader.Remaining} unexpected trailing bytes.");
        }

        return packet;
    }

    private static ConnectPacket DecodeConnect(ref SpanReader reader)
    {
        var protocolName = reader.ReadString();
        var level = reader.ReadByte();
        if (protocolName != "MQTT" || level != 5)
        {
            throw new MqttProtocolException(MqttDisconnectReasonCode.ProtocolError, $"Unsupported protocol {protocolName} level {level}.");
        }

        var flags = reader.ReadByte();
        if ((flags & 0x01) != 0)
        {
            throw MqttProtocolException.Malformed("The reserved CONNECT flag is set.");
        }

        var willFlag = (flags & 0x04) != 0;
        var willQoS = (flags >> 3) & 0x03;
        var willRetain = (flags & 0x20) != 0;
        if (willQoS == 3 || (!willFlag && (willQoS != 0 || willRetain)))
        {
            throw MqttProtocolException.Malformed("Invalid will QoS or will retain flags.");
        }

        var keepAlive = reader.ReadUInt16();
        var properties = new PropertyBag();
        ReadProperties(ref reader, ref properties, "CONNECT", static id => id is MqttPropertyId.SessionExpiryInterval or MqttPropertyId.ReceiveMaximum
            or MqttPropertyId.MaximumPacketSize or MqttPropertyId.TopicAliasMaximum or MqttPropertyId.RequestResponseInformation
            or MqttPropertyId.RequestProblemInformation or MqttPropertyId.UserProperty or MqttPropertyId.AuthenticationMethod
            or MqttPropertyId.AuthenticationData);
        var clientId = reader.ReadString();
        ConnectWill? will = null;
        if (willFlag)
        {
            var willProperties = new PropertyBag();
            ReadProperties(ref reader, ref willProperties, "will properties", static id => id is MqttPropertyId.WillDelayInterval
                or MqttPropertyId.PayloadFormatIndicator or MqttPropertyId.MessageExpiryInterval or MqttPropertyId.ContentType
                or MqttPropertyId.ResponseTopic or MqttPropertyId.CorrelationData or MqttPropertyId.UserProperty);
            var topic = reader.ReadString();
            var payload = reader.ReadBinary();
            will = new ConnectWill(
                willProperties.ToMessage(topic, payload, (MqttQualityOfService)willQoS, willRetain),
                willProperties.WillDelayInterval ?? 0);
        }

        var userName = (flags & 0x80) != 0 ? reader.ReadString() : null;
        var password = AsMemory((flags & 0x40) != 0 ? reader.ReadBinary() : null);
        return new ConnectPacket
        {
            ClientId = clientId,
            CleanStart = (flags & 0x02) != 0,
            KeepAliveSeconds = keepAlive,
            UserName = userName,
            Password = password,
            Will = will,
            SessionExpiryIntervalSeconds = properties.SessionExpiryInterval ?? 0,
            ReceiveMaximum = properties.ReceiveMaximum,
            MaximumPacketSize = properties.MaximumPacketSize,
            TopicAliasMaximum = properties.TopicAliasMaximum,
            RequestResponseInformation = properties.RequestResponseInformation,
            RequestProblemInformation = properties.RequestProblemInformation,
            AuthenticationMethod = properties.AuthenticationMethod,
            AuthenticationData = AsMemory(properties.AuthenticationData),
            UserProperties = properties.UserPropertiesOrEmpty,
        };
    }

    private static ConnAckPacket DecodeConnAck(ref SpanReader reader)
    {
        var acknowledgeFlags = reader.ReadByte();
        if ((acknowledgeFlags & 0xFE) != 0)
        {
            throw MqttProtocolException.Malformed("The reserved CONNACK acknowledge flags are set.");
        }

        var reasonCode = (MqttConnectReasonCode)reader.ReadByte();
        var properties = new PropertyBag();
        ReadProperties(ref reader, ref properties, "CONNACK", static id => id is MqttPropertyId.SessionExpiryInterval
            or MqttPropertyId.ReceiveMaximum or MqttPropertyId.MaximumQoS or MqttPropertyId.RetainAvailable
            or MqttPropertyId.MaximumPacketSize or MqttPropertyId.AssignedClientIdentifier or MqttPropertyId.TopicAliasMaximum
            or MqttPropertyId.ReasonString or MqttPropertyId.UserProperty or MqttPropertyId.WildcardSubscriptionAvailable
            or MqttPropertyId.SubscriptionIdentifierAvailable or MqttPropertyId.SharedSubscriptionAvailable
            or MqttPropertyId.ServerKeepAlive or MqttPropertyId.ResponseInformation or MqttPropertyId.ServerReference
            or MqttPropertyId.AuthenticationMethod or MqttPropertyId.AuthenticationData);
        return new ConnAckPacket
        {
            SessionPresent = (acknowledgeFlags & 0x01) != 0,
            ReasonCode = reasonCode,
            SessionExpiryIntervalSeconds = properties.SessionExpiryInterval,
            ReceiveMaximum = properties.ReceiveMaximum,
            MaximumQoS = properties.MaximumQoS,
            RetainAvailable = properties.RetainAvailable,
            MaximumPacketSize = properties.MaximumPacketSize,
            AssignedClientIdentifier = properties.AssignedClientIdentifier,
            TopicAliasMaximum = properties.TopicAliasMaximum,
            ReasonString = properties.ReasonString,
            WildcardSubscriptionAvailable = properties.WildcardSubscriptionAvailable,
            SubscriptionIdentifiersAvailable = properties.SubscriptionIdentifierAvailable,
            SharedSubscriptionAvailable = properties.SharedSubscriptionAvailable,
            ServerKeepAliveSeconds = properties.ServerKeepAlive,
            ResponseInformation = properties.ResponseInformation,
            ServerReference = properties.ServerReference,
            AuthenticationMethod = properties.AuthenticationMethod,
            AuthenticationData = AsMemory(properties.AuthenticationData),
            UserProperties = properties.UserPropertiesOrEmpty,
        };
    }

    private static PublishPacket DecodePublish(byte flags, ref SpanReader reader)
    {
        var qos = (flags >> 1) & 0x03;
        var duplicate = (flags & 0x08) != 0;
        if (qos == 3)
        {
            throw MqttProtocolException.Malformed("PUBLISH with QoS 3.");
        }

        if (qos == 0 && duplicate)
        {
            throw MqttProtocolException.Malformed("PUBLISH with QoS 0 has the DUP flag set.");
        }

        var topic = reader.ReadString();
        if (topic.AsSpan().IndexOfAny('+', '#') >= 0)
        {
            throw MqttProtocolException.Malformed($"The topic name '{topic}' contains a wildcard character.");
        }

        ushort packetIdentifier = 0;
        if (qos > 0)
        {
            packetIdentifier = reader.ReadUInt16();
            if (packetIdentifier == 0)
            {
                throw MqttProtocolException.ProtocolError("PUBLISH with QoS > 0 has packet identifier 0.");
            }
        }

        var properties = new PropertyBag();
        ReadProperties(ref reader, ref properties, "PUBLISH", static id => id is MqttPropertyId.PayloadFormatIndicator
            or MqttPropertyId.MessageExpiryInterval or MqttPropertyId.TopicAlias or MqttPropertyId.ResponseTopic
            or MqttPropertyId.CorrelationData or MqttPropertyId.UserProperty or MqttPropertyId.SubscriptionIdentifier
            or MqttPropertyId.ContentType);
        if (topic.Length == 0 && properties.TopicAlias is null)
        {
            throw MqttProtocolException.ProtocolError("PUBLISH with an empty topic name and no topic alias.");
        }

        var payload = reader.ReadRest().ToArray();
        var message = properties.ToMessage(topic, payload, (MqttQualityOfService)qos, (flags & 0x01) != 0);
        return new PublishPacket(message)
        {
            PacketIdentifier = packetIdentifier,
            Duplicate = duplicate,
            TopicAlias = properties.TopicAlias,
            SubscriptionIdentifiers = (IReadOnlyList<uint>?)properties.SubscriptionIdentifiers ?? [],
        };
    }

    private static PublishResponsePacket DecodePublishResponse(PublishResponsePacket empty, ref SpanReader reader)
    {
        var identifier = reader.ReadUInt16();
        if (identifier == 0)
        {
            throw MqttProtocolException.ProtocolError($"{empty.Type} has packet identifier 0.");
        }

        byte reasonCode = 0;
        var properties = new PropertyBag();
        if (!reader.End)
        {
            reasonCode = reader.ReadByte();
            if (!reader.End)
            {
                ReadProperties(ref reader, ref properties, empty.Type.ToString(), static id => id is MqttPropertyId.ReasonString or MqttPropertyId.UserProperty);
            }
        }

        return empty with
        {
            PacketIdentifier = identifier,
            ReasonCode = reasonCode,
            ReasonString = properties.ReasonString,
            UserProperties = properties.UserPropertiesOrEmpty,
        };
    }

    private static SubscribePacket DecodeSubscribe(ref SpanReader reader)
    {
        var identifier = reader.ReadUInt16();
        var properties = new PropertyBag();
        ReadProperties(ref reader, ref properties, "SUBSCRIBE", static id => id is MqttPropertyId.SubscriptionIdentifier or MqttPropertyId.UserProperty);
        if (properties.SubscriptionIdentifiers is { Count: > 1 })
        {
            throw MqttProtocolException.ProtocolError("SUBSCRIBE has more than one subscription identifier.");
        }

        var subscriptions = new List<MqttSubscription>();
        while (!reader.End)
        {
            var filter = reader.ReadString();
            var options = reader.ReadByte();
            var qos = options & 0x03;
            var retainHandling = (options >> 4) & 0x03;
            if ((options & 0xC0) != 0 || qos == 3 || retainHandling == 3)
            {
                throw MqttProtocolException.Malformed($"Invalid subscription options 0x{options:X2}.");
            }

            subscriptions.Add(new MqttSubscription
            {
                TopicFilter = filter,
                MaximumQoS = (MqttQualityOfService)qos,
                NoLocal = (options & 0x04) != 0,
                RetainAsPublished = (options & 0x08) != 0,
                RetainHandling = (MqttRetainHandling)retainHandling,
            });
        }

        if (subscriptions.Count == 0)
        {
            throw MqttProtocolException.ProtocolError("SUBSCRIBE without topic filters.");
        }

        return new SubscribePacket
        {
            PacketIdentifier = identifier,
            SubscriptionIdentifier = properties.SubscriptionIdentifiers?[0],
            UserProperties = properties.UserPropertiesOrEmpty,
            Subscriptions = subscriptions,
        };
    }

    private static SubAckPacket DecodeSubAck(ref SpanReader reader)
    {
        var identifier = reader.ReadUInt16();
        var properties = new PropertyBag();
        ReadProperties(ref reader, ref properties, "SUBACK", static id => id is MqttPropertyId.ReasonString or MqttPropertyId.UserProperty);
        var rest = reader.ReadRest();
        var codes = new MqttSubscribeReasonCode[rest.Length];
        for (var i = 0; i < rest.Length; i++)
        {
            codes[i] = (MqttSubscribeReasonCode)rest[i];
        }

        return new SubAckPacket
        {
            PacketIdentifier = identifier,
            ReasonString = properties.ReasonString,
            UserProperties = properties.UserPropertiesOrEmpty,
            ReasonCodes = codes,
        };
    }

    private static UnsubscribePacket DecodeUnsubscribe(ref SpanReader reader)
    {
        var identifier = reader.ReadUInt16();
        var properties = new PropertyBag();
        ReadProperties(ref reader, ref properties, "UNSUBSCRIBE", static id => id is MqttPropertyId.UserProperty);
        var filters = new List<string>();
        while (!reader.End)
        {
            filters.Add(reader.ReadString());
        }

        if (filters.Count == 0)
        {
            throw MqttProtocolException.ProtocolError("UNSUBSCRIBE without topic filters.");
        }

        return new UnsubscribePacket { PacketIdentifier = identifier, UserProperties = properties.UserPropertiesOrEmpty, TopicFilters = filters };
    }

    private static UnsubAckPacket DecodeUnsubAck(ref SpanReader reader)
    {
        var identifier = reader.ReadUInt16();
        var properties = new PropertyBag();
        ReadProperties(ref reader, ref properties, "UNSUBACK", static id => id is MqttPropertyId.ReasonString or MqttPropertyId.UserProperty);
        var rest = reader.ReadRest();
        var codes = new MqttUnsubscribeReasonCode[rest.Length];
        for (var i = 0; i < rest.Length; i++)
        {
            codes[i] = (MqttUnsubscribeReasonCode)rest[i];
        }

        return new UnsubAckPacket
        {
            PacketIdentifier = identifier,
            ReasonString = properties.ReasonString,
            UserProperties = properties.UserPropertiesOrEmpty,
            ReasonCodes = codes,
        };
    }

    private static MqttPacket DecodeEmpty(MqttPacket packet, ref SpanReader reader)
    {
        if (!reader.End)
        {
            throw MqttProtocolException.Malformed($"{packet.Type} must have a Remaining Length of 0.");
        }

        return packet;
    }

    private static DisconnectPacket DecodeDisconnect(ref SpanReader reader)
    {
        byte reasonCode = 0;
        var properties = new PropertyBag();
        if (!reader.End)
        {
            reasonCode = reader.ReadByte();
            if (!reader.End)
            {
                ReadProperties(ref reader, ref properties, "DISCONNECT", static id => id is MqttPropertyId.SessionExpiryInterval
                    or MqttPropertyId.ReasonString or MqttPropertyId.UserProperty or MqttPropertyId.ServerReference);
            }
        }

        return new DisconnectPacket
        {
            ReasonCode = (MqttDisconnectReasonCode)reasonCode,
            SessionExpiryIntervalSeconds = properties.SessionExpiryInterval,
            ReasonString = properties.ReasonString,
            ServerReference = properties.ServerReference,
            UserProperties = properties.UserPropertiesOrEmpty,
        };
    }

    private static AuthPacket DecodeAuth(ref SpanReader reader)
    {
        byte reasonCode = 0;
        var properties = new PropertyBag();
        if (!reader.End)
        {
            reasonCode = reader.ReadByte();
            if (!reader.End)
            {
                ReadProperties(ref reader, ref properties, "AUTH", static id => id is MqttPropertyId.AuthenticationMethod
                    or MqttPropertyId.AuthenticationData or MqttPropertyId.ReasonString or MqttPropertyId.UserProperty);
            }
        }

        return new AuthPacket
        {
            ReasonCode = reasonCode,
            AuthenticationMethod = properties.AuthenticationMethod,
            AuthenticationData = AsMemory(properties.AuthenticationData),
            ReasonString = properties.ReasonString,
            UserProperties = properties.UserPropertiesOrEmpty,
        };
    }

    /// <summary>
    /// A present binary value as memory, an absent one as <see langword="null"/>. (The implicit conversion would turn
    /// a null array into empty memory, making an absent property look present.)
    /// </summary>
    private static ReadOnlyMemory<byte>? AsMemory(byte[]? bytes)
    {
        if (bytes is null)
        {
            return null;
        }

        return new ReadOnlyMemory<byte>(bytes);
    }

    /// <summary>
    /// Reads a property length and the properties it covers. An identifier not allowed in this packet or a value of
    /// the wrong type is a malformed packet; a repeated property or an out-of-range value is a protocol error
    /// (MQTT 5.0 section 2.2.2.2 and the per-property rules).
    /// </summary>
    private static void ReadProperties(ref SpanReader reader, ref PropertyBag bag, string packetName, Func<byte, bool> allowed)
    {
        var length = reader.ReadVariableByteInteger();
        if (length > (uint)reader.Remaining)
        {
            throw MqttProtocolException.Malformed($"The {packetName} property length {length} exceeds the packet.");
        }

        var properties = reader.Slice((int)length, "property block");
        ulong seen = 0;
        while (!properties.End)
        {
            var idValue = properties.ReadVariableByteInteger();
            if (idValue > 0x7F || !allowed((byte)idValue))
            {
                throw MqttProtocolException.Malformed($"Property 0x{idValue:X2} is not valid in {packetName}.");
            }

            var id = (byte)idValue;
            if (id != MqttPropertyId.UserProperty && id != MqttPropertyId.SubscriptionIdentifier)
            {
                var bit = 1UL << id;
                if ((seen & bit) != 0)
                {
                    throw MqttProtocolException.ProtocolError($"Property 0x{id:X2} appears more than once in {packetName}.");
                }

                seen |= bit;
            }

            bag.Read(id, ref properties);
        }
    }

    /// <summary>Decoded property values; only the ones present are set.</summary>
    private struct PropertyBag
    {
        public byte? PayloadFormatIndicator;
        public uint? MessageExpiryInterval;
        public string? ContentType;
        public string? ResponseTopic;
        public byte[]? CorrelationData;
        public List<uint>? SubscriptionIdentifiers;
        public uint? SessionExpiryInterval;
        public string? AssignedClientIdentifier;
        public ushort? ServerKeepAlive;
        public string? AuthenticationMethod;
        public byte[]? AuthenticationData;
        public bool? RequestProblemInformation;
        public uint? WillDelayInterval;
        public bool? RequestResponseInformation;
        public string? ResponseInformation;
        public string? ServerReference;
        public string? ReasonString;
        public ushort? ReceiveMaximum;
        public ushort? TopicAliasMaximum;
        public ushort? TopicAlias;
        public MqttQualityOfService? MaximumQoS;
        public bool? RetainAvailable;
        public List<MqttUserProperty>? UserProperties;
        public uint? MaximumPacketSize;
        public bool? WildcardSubscriptionAvailable;
        public bool? SubscriptionIdentifierAvailable;
        public bool? SharedSubscriptionAvailable;

        public readonly IReadOnlyList<MqttUserProperty> UserPropertiesOrEmpty => (IReadOnlyList<MqttUserProperty>?)UserProperties ?? [];

        public void Read(byte id, ref SpanReader reader)
        {
            switch (id)
            {
                case MqttPropertyId.PayloadFormatIndicator:
                    PayloadFormatIndicator = reader.ReadByte();
                    if (PayloadFormatIndicator > 1)
                    {
                        throw MqttProtocolException.ProtocolError($"Payload Format Indicator {PayloadFormatIndicator} is neither 0 nor 1.");
                    }

                    break;
                case MqttPropertyId.MessageExpiryInterval:
                    MessageExpiryInterval = reader.ReadUInt32();
                    break;
                case MqttPropertyId.ContentType:
                    ContentType = reader.ReadString();
                    break;
                case MqttPropertyId.ResponseTopic:
                    ResponseTopic = reader.ReadString();
                    if (ResponseTopic.Length == 0 || ResponseTopic.AsSpan().IndexOfAny('+', '#') >= 0)
                    {
                        throw MqttProtocolException.ProtocolError("The Response Topic is not a valid topic name.");
                    }

                    break;
                case MqttPropertyId.CorrelationData:
                    CorrelationData = reader.ReadBinary();
                    break;
                case MqttPropertyId.SubscriptionIdentifier:
                    var subscriptionIdentifier = reader.ReadVariableByteInteger();
                    if (subscriptionIdentifier == 0)
                    {
                        throw MqttProtocolException.ProtocolError("Subscription Identifier 0.");
                    }

                    (SubscriptionIdentifiers ??= []).Add(subscriptionIdentifier);
                    break;
                case MqttPropertyId.SessionExpiryInterval:
                    SessionExpiryInterval = reader.ReadUInt32();
                    break;
                case MqttPropertyId.AssignedClientIdentifier:
                    AssignedClientIdentifier = reader.ReadString();
                    break;
                case MqttPropertyId.ServerKeepAlive:
                    ServerKeepAlive = reader.ReadUInt16();
                    break;
                case MqttPropertyId.AuthenticationMethod:
                    AuthenticationMethod = reader.ReadString();
                    break;
                case MqttPropertyId.AuthenticationData:
                    AuthenticationData = reader.ReadBinary();
                    break;
                case MqttPropertyId.RequestProblemInformation:
                    RequestProblemInformation = ReadBoolean(ref reader, "Request Problem Information");
                    break;
                case MqttPropertyId.WillDelayInterval:
                    WillDelayInterval = reader.ReadUInt32();
                    break;
                case MqttPropertyId.RequestResponseInformation:
                    RequestResponseInformation = ReadBoolean(ref reader, "Request Response Information");
                    break;
                case MqttPropertyId.ResponseInformation:
                    ResponseInformation = reader.ReadString();
                    break;
                case MqttPropertyId.ServerReference:
                    ServerReference = reader.ReadString();
                    break;
                case MqttPropertyId.ReasonString:
                    ReasonString = reader.ReadString();
                    break;
                case MqttPropertyId.ReceiveMaximum:
                    ReceiveMaximum = reader.ReadUInt16();
                    if (ReceiveMaximum == 0)
                    {
                        throw MqttProtocolException.ProtocolError("Receive Maximum 0.");
                    }

                    break;
                case MqttPropertyId.TopicAliasMaximum:
                    TopicAliasMaximum = reader.ReadUInt16();
                    break;
                case MqttPropertyId.TopicAlias:
                    TopicAlias = reader.ReadUInt16();
                    if (TopicAlias == 0)
                    {
                        throw new MqttProtocolException(MqttDisconnectReasonCode.TopicAliasInvalid, "Topic Alias 0.");
                    }

                    break;
                case MqttPropertyId.MaximumQoS:
                    var maximumQoS = reader.ReadByte();
                    if (maximumQoS > 1)
                    {
                        throw MqttProtocolException.ProtocolError($"Maximum QoS {maximumQoS} is neither 0 nor 1.");
                    }

                    MaximumQoS = (MqttQualityOfService)maximumQoS;
                    break;
                case MqttPropertyId.RetainAvailable:
                    RetainAvailable = ReadBoolean(ref reader, "Retain Available");
                    break;
                case MqttPropertyId.UserProperty:
                    var name = reader.ReadString();
                    var value = reader.ReadString();
                    (UserProperties ??= []).Add(new MqttUserProperty(name, value));
                    break;
                case MqttPropertyId.MaximumPacketSize:
                    MaximumPacketSize = reader.ReadUInt32();
                    if (MaximumPacketSize == 0)
                    {
                        throw MqttProtocolException.ProtocolError("Maximum Packet Size 0.");
                    }

                    break;
                case MqttPropertyId.WildcardSubscriptionAvailable:
                    WildcardSubscriptionAvailable = ReadBoolean(ref reader, "Wildcard Subscription Available");
                    break;
                case MqttPropertyId.SubscriptionIdentifierAvailable:
                    SubscriptionIdentifierAvailable = ReadBoolean(ref reader, "Subscription Identifier Available");
                    break;
                case MqttPropertyId.SharedSubscriptionAvailable:
                    SharedSubscriptionAvailable = ReadBoolean(ref reader, "Shared Subscription Available");
                    break;
                default:
                    throw MqttProtocolException.Malformed($"Unknown property 0x{id:X2}.");
            }
        }

        public readonly MqttApplicationMessage ToMessage(string topic, byte[] payload, MqttQualityOfService qos, bool retain) => new()
        {
            Topic = topic,
            Payload = payload,
            QualityOfService = qos,
            Retain = retain,
            PayloadFormatIndicator = (MqttPayloadFormatIndicator)(PayloadFormatIndicator ?? 0),
            MessageExpiryInterval = MessageExpiryInterval is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            ContentType = ContentType,
            ResponseTopic = ResponseTopic,
            CorrelationData = AsMemory(CorrelationData),
            UserProperties = UserPropertiesOrEmpty,
        };

        private static bool ReadBoolean(ref SpanReader reader, string name)
        {
            var value = reader.ReadByte();
            return value switch
            {
                0 => false,
                1 => true,
                _ => throw MqttProtocolException.ProtocolError($"{name} is {value}, neither 0 nor 1."),
            };
        }
    }
}
