using Telemetry.Mqtt.Formatter;
using Telemetry.Mqtt.Packets;
using Telemetry.Mqtt.Transport;
using Xunit;

namespace Telemetry.Mqtt.Tests.Formatter;

/// <summary>Each kind of damage maps to the reason code the client must answer with (MQTT 5.0 sections 1.5, 2.1, 2.2).</summary>
public sealed class MalformedPacketTests
{
    [Theory]
    [InlineData("00 00", MqttDisconnectReasonCode.MalformedPacket)] // packet type 0 is reserved
    [InlineData("41 02 00 01", MqttDisconnectReasonCode.MalformedPacket)] // PUBACK with reserved flags set
    [InlineData("80 03 00 01 00", MqttDisconnectReasonCode.MalformedPacket)] // SUBSCRIBE with flags 0000 instead of 0010
    [InlineData("36 05 00 01 61 00 01", MqttDisconnectReasonCode.MalformedPacket)] // PUBLISH with QoS 3
    [InlineData("38 04 00 01 61 00", MqttDisconnectReasonCode.MalformedPacket)] // QoS 0 PUBLISH with DUP
    [InlineData("30 04 00 02 C3 28 00", MqttDisconnectReasonCode.MalformedPacket)] // topic is not UTF-8 (remaining length too short too)
    [InlineData("30 05 00 02 C3 28 00", MqttDisconnectReasonCode.MalformedPacket)] // topic is not UTF-8
    [InlineData("30 05 00 02 61 00 00", MqttDisconnectReasonCode.MalformedPacket)] // topic contains U+0000
    [InlineData("30 04 00 01 2B 00", MqttDisconnectReasonCode.MalformedPacket)] // topic contains a wildcard
    [InlineData("30 06 00 01 61 02 11 00", MqttDisconnectReasonCode.MalformedPacket)] // Session Expiry Interval is not a PUBLISH property
    [InlineData("30 05 00 01 61 01 7F", MqttDisconnectReasonCode.MalformedPacket)] // unknown property 0x7F
    [InlineData("30 05 00 01 61 09 01", MqttDisconnectReasonCode.MalformedPacket)] // property length beyond the packet
    [InlineData("30 08 00 01 61 04 01 01 01 00", MqttDisconnectReasonCode.ProtocolError)] // Payload Format Indicator twice
    [InlineData("30 04 00 00 01 00", MqttDisconnectReasonCode.MalformedPacket)] // property identifier 0
    [InlineData("30 03 00 00 00", MqttDisconnectReasonCode.ProtocolError)] // empty topic without a topic alias
    [InlineData("32 04 00 01 61 00", MqttDisconnectReasonCode.MalformedPacket)] // QoS 1 PUBLISH truncated inside the packet identifier
    [InlineData("32 06 00 01 61 00 00 00", MqttDisconnectReasonCode.ProtocolError)] // QoS 1 PUBLISH with packet identifier 0
    [InlineData("30 07 00 01 61 03 23 00 00", MqttDisconnectReasonCode.TopicAliasInvalid)] // Topic Alias 0
    [InlineData("20 03 02 00 00", MqttDisconnectReasonCode.MalformedPacket)] // CONNACK with reserved acknowledge flags
    [InlineData("20 05 00 00 02 24 02", MqttDisconnectReasonCode.ProtocolError)] // Maximum QoS 2
    [InlineData("20 06 00 00 03 21 00 00", MqttDisconnectReasonCode.ProtocolError)] // Receive Maximum 0
    [InlineData("20 05 00 00 02 25 07", MqttDisconnectReasonCode.ProtocolError)] // Retain Available 7
    [InlineData("D0 01 00", MqttDisconnectReasonCode.MalformedPacket)] // PINGRESP with a payload
    [InlineData("40 01 01", MqttDisconnectReasonCode.MalformedPacket)] // PUBACK shorter than a packet identifier
    [InlineData("40 02 00 00", MqttDisconnectReasonCode.ProtocolError)] // PUBACK for packet identifier 0
    [InlineData("40 04 00 01 00 05", MqttDisconnectReasonCode.MalformedPacket)] // PUBACK property length beyond the packet
    [InlineData("E0 03 00 01 00", MqttDisconnectReasonCode.MalformedPacket)] // DISCONNECT with property identifier 0
    [InlineData("E0 02 00 00 00", MqttDisconnectReasonCode.MalformedPacket)] // remaining length shorter than the bytes that follow
    [InlineData("30 09 00 01 61 05 0B 80 80 80 80", MqttDisconnectReasonCode.MalformedPacket)] // subscription identifier of five bytes
    [InlineData("30 06 00 01 61 02 0B 00", MqttDisconnectReasonCode.ProtocolError)] // subscription identifier 0
    public void Damaged_packets_fail_with_the_matching_reason_code(string hex, MqttDisconnectReasonCode expected)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

        var exception = Assert.Throws<MqttProtocolException>(() => MqttPacketDecoder.Decode(bytes));

        Assert.Equal(expected, exception.ReasonCode);
    }

    [Fact]
    public void A_packet_announced_larger_than_the_maximum_packet_size_fails_with_0x95_without_allocating_it()
    {
        // A PUBLISH header announcing 268,435,455 bytes, and nothing else.
        var stream = new MemoryStream([0x30, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x01]);
        var reader = new MqttPacketReader(stream, maximumPacketSize: 64 * 1024);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var exception = Assert.Throws<MqttProtocolException>(() => reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult());

        Assert.Equal(MqttDisconnectReasonCode.PacketTooLarge, exception.ReasonCode);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024, "the reader must not allocate for a packet it refuses");
    }

    [Fact]
    public async Task The_receive_buffer_never_grows_beyond_the_maximum_packet_size()
    {
        const int maximum = 10_000;
        var packet = MqttPacketEncoder.ToArray(new PublishPacket(new MqttApplicationMessage { Topic = "t", Payload = new byte[maximum - 100] }));
        var stream = new MemoryStream([.. packet, .. packet]);
        var reader = new MqttPacketReader(stream, maximum);
        var before = GC.GetAllocatedBytesForCurrentThread();

        // MemoryStream completes synchronously, so everything stays on this thread and is counted.
        Assert.NotNull(await reader.ReadAsync(CancellationToken.None));
        Assert.NotNull(await reader.ReadAsync(CancellationToken.None));

        // Two payload copies handed to the application plus a receive buffer of at most `maximum` bytes.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (3 * maximum) + 8192);
    }

    [Fact]
    public void A_stream_ending_inside_a_packet_is_reported_as_such()
    {
        var reader = new MqttPacketReader(new MemoryStream([0x30, 0x05, 0x00, 0x01]), 1024);

        Assert.Throws<EndOfStreamException>(() => reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult());
    }

    [Fact]
    public void PUBACK_without_reason_code_means_success_and_with_reason_code_but_no_properties_is_accepted()
    {
        var shortForm = (PubAckPacket)MqttPacketDecoder.Decode([0x40, 0x02, 0x12, 0x34]);
        var reasonOnly = (PubAckPacket)MqttPacketDecoder.Decode([0x40, 0x03, 0x12, 0x34, 0x10]);

        Assert.Equal((0x1234, (byte)0), (shortForm.PacketIdentifier, shortForm.ReasonCode));
        Assert.Equal((byte)MqttPublishReasonCode.NoMatchingSubscribers, reasonOnly.ReasonCode);
        Assert.Equal("40021234", Convert.ToHexString(MqttPacketEncoder.ToArray(new PubAckPacket { PacketIdentifier = 0x1234 })));
    }

    [Fact]
    public void Connect_is_encoded_as_the_specification_example_describes()
    {
        // MQTT 5.0 section 3.1.2.11.1: protocol name, level 5, flags, keep alive, properties.
        var bytes = MqttPacketEncoder.ToArray(new ConnectPacket { ClientId = "c", CleanStart = true, KeepAliveSeconds = 10, SessionExpiryIntervalSeconds = 60 });

        Assert.Equal("1013" + "00044D515454" + "05" + "02" + "000A" + "05" + "110000003C" + "000163", Convert.ToHexString(bytes));
    }
}
