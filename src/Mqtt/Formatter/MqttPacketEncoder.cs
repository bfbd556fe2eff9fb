using System.Buffers;
using Telemetry.Mqtt.Packets;

namespace Telemetry.Mqtt.Formatter;

/// <summary>
/// Encodes MQTT 5 control packets. Every packet is measured first, then written in one pass into a single span
/// obtained from the <see cref="IBufferWriter{T}"/>, so no intermediate buffers are allocated.
/// </summary>
internal static class MqttPacketEncoder
{
    /// <summary>The largest Remaining Length the protocol allows.</summary>
    public const int MaxRemainingLength = (int)VariableByteInteger.MaxValue;

    /// <summary>Encodes <paramref name="packet"/> and returns the number of bytes written.</summary>
    public static int Encode(IBufferWriter<byte> output, MqttPacket packet) => packet switch
    {
        PublishPacket p => EncodePublish(output, p.Message, p.PacketIdentifier, p.Duplicate, p.TopicAlias, p.SubscriptionIdentifiers),
        PublishResponsePacket p => EncodePublishResponse(output, p),
        ConnectPacket p => EncodeConnect(output, p),
        ConnAckPacket p => EncodeConnAck(output, p),
        SubscribePacket p => EncodeSubscribe(output, p),
        SubAckPacket p => EncodeSubAck(output, p),
        UnsubscribePacket p => EncodeUnsubscribe(output, p),
        UnsubAckPacket p => EncodeUnsubAck(output, p),
        PingReqPacket => EncodeEmpty(output, MqttPacketType.PingReq),
        PingRespPacket => EncodeEmpty(output, MqttPacketType.PingResp),
        DisconnectPacket p => EncodeDisconnect(output, p),
        AuthPacket p => EncodeAuth(output, p),
        _ => throw new ArgumentException($"Unknown packet {packet.GetType().Name}.", nameof(packet)),
    };

    /// <summary>Encodes a packet into a new array (tests and diagnostics).</summary>
    public static byte[] ToArray(MqttPacket packet)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Encode(buffer, packet);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The total size on the wire (fixed header included) of a PUBLISH of <paramref name="message"/>.</summary>
    public static int GetPublishPacketSize(MqttApplicationMessage message, ushort? topicAlias = null, IReadOnlyList<uint>? subscriptionIdentifiers = null)
    {
        var remaining = GetPublishRemainingLength(message, topicAlias, subscriptionIdentifiers, out _);
        return TotalSize(remaining);
    }

    public static int EncodePublish(
        IBufferWriter<byte> output,
        MqttApplicationMessage message,
        ushort packetIdentifier,
        bool duplicate,
        ushort? topicAlias = null,
        IReadOnlyList<uint>? subscriptionIdentifiers = null)
    {
        var qos = (byte)message.QualityOfService;
        if (qos > 2)
        {
            throw new ArgumentException("The QoS must be 0, 1 or 2.", nameof(message));
        }

        if (qos > 0 && packetIdentifier == 0)
        {
            throw new ArgumentException("A QoS 1 or 2 PUBLISH needs a non-zero packet identifier.", nameof(packetIdentifier));
        }

        var remaining = GetPublishRemainingLength(message, topicAlias, subscriptionIdentifiers, out var propertiesLength);
        var flags = (byte)((duplicate ? 0x08 : 0) | (qos << 1) | (message.Retain ? 0x01 : 0));
        var total = TotalSize(remaining);
        var writer = Begin(output, total, MqttPacketType.Publish, flags, remaining);
        writer.WriteString(message.Topic);
        if (qos > 0)
        {
            writer.WriteUInt16(packetIdentifier);
        }

        writer.WriteVariableByteInteger((uint)propertiesLength);
        WriteMessageProperties(ref writer, message);
        if (topicAlias is { } alias)
        {
            writer.WriteByte(MqttPropertyId.TopicAlias);
            writer.WriteUInt16(alias);
        }

        if (subscriptionIdentifiers is not null)
        {
            foreach (var identifier in subscriptionIdentifiers)
            {
                writer.WriteByte(MqttPropertyId.SubscriptionIdentifier);
                writer.WriteVariableByteInteger(identifier);
            }
        }

        writer.WriteBytes(message.Payload.Span);
        return End(output, ref writer, total);
    }

    private static int GetPublishRemainingLength(MqttApplicationMessage message, ushort? topicAlias, IReadOnlyList<uint>? subscriptionIdentifiers, out int propertiesLength)
    {
        propertiesLength = MessagePropertiesLength(message);
        if (topicAlias is not null)
        {
            propertiesLength += 3;
        }

        if (subscriptionIdentifiers is not null)
        {
            foreach (var identifier in subscriptionIdentifiers)
            {
                if (identifier is 0 or > VariableByteInteger.MaxValue)
                {
                    throw new ArgumentException("A subscription identifier is between 1 and 268,435,455.", nameof(subscriptionIdentifiers));
                }

                propertiesLength += 1 + VariableByteInteger.GetSize(identifier);
            }
        }

        var topicLength = MqttEncoding.GetStringByteCount(message.Topic, "Topic");
        long remaining = 2L + topicLength
            + (message.QualityOfService > MqttQualityOfService.AtMostOnce ? 2 : 0)
            + VariableByteInteger.GetSize((uint)propertiesLength) + propertiesLength
            + message.Payload.Length;
        return CheckRemaining(remaining);
    }

    private static int EncodeConnect(IBufferWriter<byte> output, ConnectPacket packet)
    {
        var properties = 0;
        if (packet.SessionExpiryIntervalSeconds != 0)
        {
            properties += 5;
        }

        properties += packet.ReceiveMaximum is null ? 0 : 3;
        properties += packet.MaximumPacketSize is null ? 0 : 5;
        properties += packet.TopicAliasMaximum is null ? 0 : 3;
        properties += packet.RequestResponseInformation is null ? 0 : 2;
        properties += packet.RequestProblemInformation is null ? 0 : 2;
        properties += UserPropertiesLength(packet.UserProperties);
        properties += StringPropertyLength(packet.AuthenticationMethod, "AuthenticationMethod");
        properties += BinaryPropertyLength(packet.AuthenticationData, "AuthenticationData");

        long remaining = 10 + VariableByteInteger.GetSize((uint)properties) + properties;
        remaining += 2 + MqttEncoding.GetStringByteCount(packet.ClientId, "ClientId");
        var willProperties = 0;
        if (packet.Will is { } will)
        {
            willProperties = MessagePropertiesLength(will.Message) + (will.DelayIntervalSeconds != 0 ? 5 : 0);
            remaining += VariableByteInteger.GetSize((uint)willProperties) + willProperties;
            remaining += 2 + MqttEncoding.GetStringByteCount(will.Message.Topic, "Will topic");
            remaining += 2 + CheckBinary(will.Message.Payload.Length, "Will payload");
        }

        if (packet.UserName is not null)
        {
            remaining += 2 + MqttEncoding.GetStringByteCount(packet.UserName, "UserName");
        }

        if (packet.Password is { } password)
        {
            remaining += 2 + CheckBinary(password.Length, "Password");
        }

        var remainingLength = CheckRemaining(remaining);
        var total = TotalSize(remainingLength);
        var writer = Begin(output, total, MqttPacketType.Connect, 0, remainingLength);
        writer.WriteUInt16(4);
        writer.WriteByte((byte)'M');
        writer.WriteByte((byte)'Q');
        writer.WriteByte((byte)'T');
        writer.WriteByte((byte)'T');
        writer.WriteByte(5);
        byte flags = 0;
        if (packet.UserName is not null)
        {
            flags |= 0x80;
        }

        if (packet.Password is not null)
        {
            flags |= 0x40;
        }

        if (packet.Will is { } w)
        {
            flags |= 0x04;
            flags |= (byte)((byte)w.Message.QualityOfService << 3);
            if (w.Message.Retain)
            {
                flags |= 0x20;
            }
        }

        if (packet.CleanStart)
        {
            flags |= 0x02;
        }

        writer.WriteByte(flags);
        writer.WriteUInt16(packet.KeepAliveSeconds);
        writer.WriteVariableByteInteger((uint)properties);
        if (packet.SessionExpiryIntervalSeconds != 0)
        {
            WriteUInt32Property(ref writer, MqttPropertyId.SessionExpiryInterval, packet.SessionExpiryIntervalSeconds);
        }

        WriteUInt16Property(ref writer, MqttPropertyId.ReceiveMaximum, packet.ReceiveMaximum);
        WriteUInt32Property(ref writer, MqttPropertyId.MaximumPacketSize, packet.MaximumPacketSize);
        WriteUInt16Property(ref writer, MqttPropertyId.TopicAliasMaximum, packet.TopicAliasMaximum);
        WriteBooleanProperty(ref writer, MqttPropertyId.RequestResponseInformation, packet.RequestResponseInformation);
        WriteBooleanProperty(ref writer, MqttPropertyId.RequestProblemInformation, packet.RequestProblemInformation);
        WriteUserProperties(ref writer, packet.UserProperties);
        WriteStringProperty(ref writer, MqttPropertyId.AuthenticationMethod, packet.AuthenticationMethod);
        WriteBinaryProperty(ref writer, MqttPropertyId.AuthenticationData, packet.AuthenticationData);

        writer.WriteString(packet.ClientId);
        if (packet.Will is { } willMessage)
        {
            writer.WriteVariableByteInteger((uint)willProperties);
            if (willMessage.DelayIntervalSeconds != 0)
            {
                WriteUInt32Property(ref writer, MqttPropertyId.WillDelayInterval, willMessage.DelayIntervalSeconds);
            }

            WriteMessageProperties(ref writer, willMessage.Message);
            writer.WriteString(willMessage.Message.Topic);
            writer.WriteBinary(willMessage.Message.Payload.Span);
        }

        if (packet.UserName is not null)
        {
            writer.WriteString(packet.UserName);
        }

        if (packet.Password is { } pw)
        {
            writer.WriteBinary(pw.Span);
        }

        return End(output, ref writer, total);
    }

    private static int EncodeConnAck(IBufferWriter<byte> output, ConnAckPacket packet)
    {
        var properties = 0;
        properties += packet.SessionExpiryIntervalSeconds is null ? 0 : 5;
        properties += packet.ReceiveMaximum is null ? 0 : 3;
        properties += packet.MaximumQoS is null ? 0 : 2;
        properties += packet.RetainAvailable is null ? 0 : 2;
        properties += packet.MaximumPacketSize is null ? 0 : 5;
        properties += StringPropertyLength(packet.AssignedClientIdentifier, "AssignedClientIdentifier");
        properties += packet.TopicAliasMaximum is null ? 0 : 3;
        properties += StringPropertyLength(packet.ReasonString, "ReasonString");
        properties += UserPropertiesLength(packet.UserProperties);
        properties += packet.WildcardSubscriptionAvailable is null ? 0 : 2;
        properties += packet.SubscriptionIdentifiersAvailable is null ? 0 : 2;
        properties += packet.SharedSubscriptionAvailable is null ? 0 : 2;
        properties += packet.ServerKeepAliveSeconds is null ? 0 : 3;
        properties += StringPropertyLength(packet.ResponseInformation, "ResponseInformation");
        properties += StringPropertyLength(packet.ServerReference, "ServerReference");
        properties += StringPropertyLength(packet.AuthenticationMethod, "AuthenticationMethod");
        properties += BinaryPropertyLength(packet.AuthenticationData, "AuthenticationData");

        var remaining = CheckRemaining(2L + VariableByteInteger.GetSize((uint)properties) + properties);
        var total = TotalSize(remaining);
        var writer = Begin(output, total, MqttPacketType.ConnAck, 0, remaining);
        writer.WriteByte(packet.SessionPresent ? (byte)1 : (byte)0);
        writer.WriteByte((byte)packet.ReasonCode);
        writer.WriteVariableByteInteger((uint)properties);
        WriteUInt32Property(ref writer, MqttPropertyId.SessionExpiryInterval, packet.SessionExpiryIntervalSeconds);
        WriteUInt16Property(ref writer, MqttPropertyId.ReceiveMaximum, packet.ReceiveMaximum);
        if (packet.MaximumQoS is { } maximumQoS)
        {
            writer.WriteByte(MqttPropertyId.MaximumQoS);
            writer.WriteByte((byte)maximumQoS);
        }

        WriteBooleanProperty(ref writer, MqttPropertyId.RetainAvailable, packet.RetainAvailable);
        WriteUInt32Property(ref writer, MqttPropertyId.MaximumPacketSize, packet.MaximumPacketSize);
        WriteStringProperty(ref writer, MqttPropertyId.AssignedClientIdentifier, packet.AssignedClientIdentifier);
        WriteUInt16Property(ref writer, MqttPropertyId.TopicAliasMaximum, packet.TopicAliasMaximum);
        WriteStringProperty(ref writer, MqttPropertyId.ReasonString, packet.ReasonString);
        WriteUserProperties(ref writer, packet.UserProperties);
        WriteBooleanProperty(ref writer, MqttPropertyId.WildcardSubscriptionAvailable, packet.WildcardSubscriptionAvailable);
        WriteBooleanProperty(ref writer, MqttPropertyId.SubscriptionIdentifierAvailable, packet.SubscriptionIdentifiersAvailable);
        WriteBooleanProperty(ref writer, MqttPropertyId.SharedSubscriptionAvailable, packet.SharedSubscriptionAvailable);
        WriteUInt16Property(ref writer, MqttPropertyId.ServerKeepAlive, packet.ServerKeepAliveSeconds);
        WriteStringProperty(ref writer, MqttPropertyId.ResponseInformation, packet.ResponseInformation);
        WriteStringProperty(ref writer, MqttPropertyId.ServerReference, packet.ServerReference);
        WriteStringProperty(ref writer, MqttPropertyId.AuthenticationMethod, packet.AuthenticationMethod);
        WriteBinaryProperty(ref writer, MqttPropertyId.AuthenticationData, packet.AuthenticationData);
        return End(output, ref writer, total);
    }

    private static int EncodePublishResponse(IBufferWriter<byte> output, PublishResponsePacket packet)
    {
        if (packet.PacketIdentifier == 0)
        {
            throw new ArgumentException("The packet identifier must not be 0.", nameof(packet));
        }

        var properties = StringPropertyLength(packet.ReasonString, "ReasonString") + UserPropertiesLength(packet.UserProperties);
        int remaining;
        if (properties > 0)
        {
            remaining = CheckRemaining(3L + VariableByteInteger.GetSize((uint)properties) + properties);
        }
        else
        {
            // MQTT 5.0 3.4.2.1: reason code and property length may be omitted for Success without properties.
            remaining = packet.ReasonCode == 0 ? 2 : 3;
        }

        var flags = packet.Type == MqttPacketType.PubRel ? (byte)0x02 : (byte)0;
        var total = TotalSize(remaining);
        var writer = Begin(output, total, packet.Type, flags, remaining);
        writer.WriteUInt16(packet.PacketIdentifier);
        if (remaining > 2)
        {
            writer.WriteByte(packet.ReasonCode);
        }

        if (properties > 0)
        {
            writer.WriteVariableByteInteger((uint)properties);
            WriteStringProperty(ref writer, MqttPropertyId.ReasonString, packet.ReasonString);
            WriteUserProperties(ref writer, packet.UserProperties);
        }

        return End(output, ref writer, total);
    }

    private static int EncodeSubscribe(IBufferWriter<byte> output, SubscribePacket packet)
    {
        if (packet.Subscriptions.Count == 0)
        {
            throw new ArgumentException("A SUBSCRIBE carries at least one topic filter.", nameof(packet));
        }

        var properties = UserPropertiesLength(packet.UserProperties);
        if (packet.SubscriptionIdentifier is { } identifier)
        {
            if (identifier is 0 or > VariableByteInteger.MaxValue)
            {
                throw new ArgumentException("A subscription identifier is between 1 and 268,435,455.", nameof(packet));
            }

            properties += 1 + VariableByteInteger.GetSize(identifier);
        }

        long remaining = 2 + VariableByteInteger.GetSize((uint)properties) + properties;
        foreach (var subscription in packet.Subscriptions)
        {
            remaining += 3 + MqttEncoding.GetStringByteCount(subscription.TopicFilter, "TopicFilter");
        }

        var remainingLength = CheckRemaining(remaining);
        var total = TotalSize(remainingLength);
        var writer = Begin(output, total, MqttPacketType.Subscribe, 0x02, remainingLength);
        writer.WriteUInt16(packet.PacketIdentifier);
        writer.WriteVariableByteInteger((uint)properties);
        if (packet.SubscriptionIdentifier is { } id)
        {
            writer.WriteByte(MqttPropertyId.SubscriptionIdentifier);
            writer.WriteVariableByteInteger(id);
        }

        WriteUserProperties(ref writer, packet.UserProperties);
        foreach (var subscription in packet.Subscriptions)
        {
            writer.WriteString(subscription.TopicFilter);
            var options = (byte)((byte)subscription.MaximumQoS
                | (subscription.NoLocal ? 0x04 : 0)
                | (subscription.RetainAsPublished ? 0x08 : 0)
                | ((byte)subscription.RetainHandling << 4));
            writer.WriteByte(options);
        }

        return End(output, ref writer, total);
    }

    private static int EncodeSubAck(IBufferWriter<byte> output, SubAckPacket packet)
    {
        var properties = StringPropertyLength(packet.ReasonString, "ReasonString") + UserPropertiesLength(packet.UserProperties);
        var remaining = CheckRemaining(2L + VariableByteInteger.GetSize((uint)properties) + properties + packet.ReasonCodes.Count);
        var total = TotalSize(remaining);
        var writer = Begin(output, total, MqttPacketType.SubAck, 0, remaining);
        writer.WriteUInt16(packet.PacketIdentifier);
        writer.WriteVariableByteInteger((uint)properties);
        WriteStringProperty(ref writer, MqttPropertyId.ReasonString, packet.ReasonString);
        WriteUserProperties(ref writer, packet.UserProperties);
        foreach (var code in packet.ReasonCodes)
        {
            writer.WriteByte((byte)code);
        }

        return End(output, ref writer, total);
    }

    private static int EncodeUnsubscribe(IBufferWriter<byte> output, UnsubscribePacket packet)
    {
        if (packet.TopicFilters.Count == 0)
        {
            throw new ArgumentException("An UNSUBSCRIBE carries at least one topic filter.", nameof(packet));
        }

        var properties = UserPropertiesLength(packet.UserProperties);
        long remaining = 2 + VariableByteInteger.GetSize((uint)properties) + properties;
        foreach (var filter in packet.TopicFilters)
        {
            remaining += 2 + MqttEncoding.GetStringByteCount(filter, "TopicFilter");
        }

        var remainingLength = CheckRemaining(remaining);
        var total = TotalSize(remainingLength);
        var writer = Begin(output, total, MqttPacketType.Unsubscribe, 0x02, remainingLength);
        writer.WriteUInt16(packet.PacketIdentifier);
        writer.WriteVariableByteInteger((uint)properties);
        WriteUserProperties(ref writer, packet.UserProperties);
        foreach (var filter in packet.TopicFilters)
        {
            writer.WriteString(filter);
        }

        return End(output, ref writer, total);
    }

    private static int EncodeUnsubAck(IBufferWriter<byte> output, UnsubAckPacket packet)
    {
        var properties = StringPropertyLength(packet.ReasonString, "ReasonString") + UserPropertiesLength(packet.UserProperties);
        var remaining = CheckRemaining(2L + VariableByteInteger.GetSize((uint)properties) + properties + packet.ReasonCodes.Count);
        var total = TotalSize(remaining);
        var writer = Begin(output, total, MqttPacketType.UnsubAck, 0, remaining);
        writer.WriteUInt16(packet.PacketIdentifier);
        writer.WriteVariableByteInteger((uint)properties);
        WriteStringProperty(ref writer, MqttPropertyId.ReasonString, packet.ReasonString);
        WriteUserProperties(ref writer, packet.UserProperties);
        foreach (var code in packet.ReasonCodes)
        {
            writer.WriteByte((byte)code);
        }

        return End(output, ref writer, total);
    }

    private static int EncodeEmpty(IBufferWriter<byte> output, MqttPacketType type)
    {
        var span = output.GetSpan(2);
        span[0] = (byte)((byte)type << 4);
        span[1] = 0;
        output.Advance(2);
        return 2;
    }

    private static int EncodeDisconnect(IBufferWriter<byte> output, DisconnectPacket packet)
    {
        var properties = (packet.SessionExpiryIntervalSeconds is null ? 0 : 5)
            + StringPropertyLength(packet.ReasonString, "ReasonString")
            + StringPropertyLength(packet.ServerReference, "ServerReference")
            + UserPropertiesLength(packet.UserProperties);
        return EncodeReasonAndProperties(output, MqttPacketType.Disconnect, (byte)packet.ReasonCode, properties, (ref SpanWriter writer) =>
        {
            WriteUInt32Property(ref writer, MqttPropertyId.SessionExpiryInterval, packet.SessionExpiryIntervalSeconds);
            WriteStringProperty(ref writer, MqttPropertyId.ReasonString, packet.ReasonString);
            WriteStringProperty(ref writer, MqttPropertyId.ServerReference, packet.ServerReference);
            WriteUserProperties(ref writer, packet.UserProperties);
        });
    }

    private static int EncodeAuth(IBufferWriter<byte> output, AuthPacket packet)
    {
        var properties = StringPropertyLength(packet.AuthenticationMethod, "AuthenticationMethod")
            + BinaryPropertyLength(packet.AuthenticationData, "AuthenticationData")
            + StringPropertyLength(packet.ReasonString, "ReasonString")
            + UserPropertiesLength(packet.UserProperties);
        return EncodeReasonAndProperties(output, MqttPacketType.Auth, packet.ReasonCode, properties, (ref SpanWriter writer) =>
        {
            WriteStringProperty(ref writer, MqttPropertyId.AuthenticationMethod, packet.AuthenticationMethod);
            WriteBinaryProperty(ref writer, MqttPropertyId.AuthenticationData, packet.AuthenticationData);
            WriteStringProperty(ref writer, MqttPropertyId.ReasonString, packet.ReasonString);
            WriteUserProperties(ref writer, packet.UserProperties);
        });
    }

    private delegate void PropertiesWriter(ref SpanWriter writer);

    /// <summary>DISCONNECT and AUTH: remaining length 0 for Success without properties, 1 with a reason code only.</summary>
    private static int EncodeReasonAndProperties(IBufferWriter<byte> output, MqttPacketType type, byte reasonCode, int properties, PropertiesWriter writeProperties)
    {
        int remaining;
        if (properties > 0)
        {
            remaining = CheckRemaining(1L + VariableByteInteger.GetSize((uint)properties) + properties);
        }
        else
        {
            remaining = reasonCode == 0 ? 0 : 1;
        }

        var total = TotalSize(remaining);
        var writer = Begin(output, total, type, 0, remaining);
        if (remaining > 0)
        {
            writer.WriteByte(reasonCode);
        }

        if (properties > 0)
        {
            writer.WriteVariableByteInteger((uint)properties);
            writeProperties(ref writer);
        }

        return End(output, ref writer, total);
    }

    private static int MessagePropertiesLength(MqttApplicationMessage message)
    {
        var length = 0;
        if (message.PayloadFormatIndicator != MqttPayloadFormatIndicator.Unspecified)
        {
            length += 2;
        }

        if (message.MessageExpiryInterval is not null)
        {
            length += 5;
        }

        length += StringPropertyLength(message.ContentType, "ContentType");
        length += StringPropertyLength(message.ResponseTopic, "ResponseTopic");
        length += BinaryPropertyLength(message.CorrelationData, "CorrelationData");
        length += UserPropertiesLength(message.UserProperties);
        return length;
    }

    private static void WriteMessageProperties(ref SpanWriter writer, MqttApplicationMessage message)
    {
        if (message.PayloadFormatIndicator != MqttPayloadFormatIndicator.Unspecified)
        {
            writer.WriteByte(MqttPropertyId.PayloadFormatIndicator);
            writer.WriteByte((byte)message.PayloadFormatIndicator);
        }

        if (message.MessageExpiryInterval is { } expiry)
        {
            WriteUInt32Property(ref writer, MqttPropertyId.MessageExpiryInterval, ToSeconds(expiry, "MessageExpiryInterval"));
        }

        WriteStringProperty(ref writer, MqttPropertyId.ContentType, message.ContentType);
        WriteStringProperty(ref writer, MqttPropertyId.ResponseTopic, message.ResponseTopic);
        WriteBinaryProperty(ref writer, MqttPropertyId.CorrelationData, message.CorrelationData);
        WriteUserProperties(ref writer, message.UserProperties);
    }

    /// <summary>Whole seconds of an interval, as a four byte integer.</summary>
    public static uint ToSeconds(TimeSpan interval, string what)
    {
        if (interval < TimeSpan.Zero || interval.TotalSeconds > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(what, interval, $"{what} must be between 0 and {uint.MaxValue} seconds.");
        }

        return (uint)interval.TotalSeconds;
    }

    private static int StringPropertyLength(string? value, string what) =>
        value is null ? 0 : 3 + MqttEncoding.GetStringByteCount(value, what);

    private static int BinaryPropertyLength(ReadOnlyMemory<byte>? value, string what) =>
        value is { } bytes ? 3 + CheckBinary(bytes.Length, what) : 0;

    private static int UserPropertiesLength(IReadOnlyList<MqttUserProperty> properties)
    {
        var length = 0;
        for (var i = 0; i < properties.Count; i++)
        {
            var property = properties[i];
            length += 5
                + MqttEncoding.GetStringByteCount(property.Name ?? throw new ArgumentException("A user property name is null."), "UserProperty name")
                + MqttEncoding.GetStringByteCount(property.Value ?? throw new ArgumentException("A user property value is null."), "UserProperty value");
        }

        return length;
    }

    private static int CheckBinary(int length, string what) =>
        length <= ushort.MaxValue ? length : throw new ArgumentException($"{what} is {length} bytes; MQTT binary data holds at most 65535.", what);

    private static int CheckRemaining(long remaining) =>
        remaining <= MaxRemainingLength
            ? (int)remaining
            : throw new ArgumentException($"The packet would be {remaining} bytes; MQTT packets hold at most {MaxRemainingLength}.");

    private static int TotalSize(int remaining) => 1 + VariableByteInteger.GetSize((uint)remaining) + remaining;

    private static SpanWriter Begin(IBufferWriter<byte> output, int total, MqttPacketType type, byte flags, int remaining)
    {
        var writer = new SpanWriter(output.GetSpan(total)[..total]);
        writer.WriteByte((byte)(((byte)type << 4) | flags));
        writer.WriteVariableByteInteger((uint)remaining);
        return writer;
    }

    private static int End(IBufferWriter<byte> output, ref SpanWriter writer, int total)
    {
        if (writer.Position != total)
        {
            throw new InvalidOperationException($"Encoder size mismatch: measured {total} bytes, wrote {writer.Position}.");
        }

        output.Advance(total);
        return total;
    }

    private static void WriteUInt32Property(ref SpanWriter writer, byte id, uint? value)
    {
        if (value is { } v)
        {
            writer.WriteByte(id);
            writer.WriteUInt32(v);
        }
    }

    private static void WriteUInt16Property(ref SpanWriter writer, byte id, ushort? value)
    {
        if (value is { } v)
        {
            writer.WriteByte(id);
            writer.WriteUInt16(v);
        }
    }

    private static void WriteBooleanProperty(ref SpanWriter writer, byte id, bool? value)
    {
        if (value is { } v)
        {
            writer.WriteByte(id);
            writer.WriteByte(v ? (byte)1 : (byte)0);
        }
    }

    private static void WriteStringProperty(ref SpanWriter writer, byte id, string? value)
    {
        if (value is not null)
        {
            writer.WriteByte(id);
            writer.WriteString(value);
        }
    }

    private static void WriteBinaryProperty(ref SpanWriter writer, byte id, ReadOnlyMemory<byte>? value)
    {
        if (value is { } v)
        {
            writer.WriteByte(id);
            writer.WriteBinary(v.Span);
        }
    }

    private static void WriteUserProperties(ref SpanWriter writer, IReadOnlyList<MqttUserProperty> properties)
    {
        for (var i = 0; i < properties.Count; i++)
        {
            writer.WriteByte(MqttPropertyId.UserProperty);
            writer.WriteString(properties[i].Name);
            writer.WriteString(properties[i].Value);
        }
    }
}
