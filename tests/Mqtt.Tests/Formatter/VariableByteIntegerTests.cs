using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Telemetry.Mqtt.Formatter;
using Xunit;

namespace Telemetry.Mqtt.Tests.Formatter;

public sealed class VariableByteIntegerTests
{
    [Theory]
    [InlineData(0u, "00")]
    [InlineData(127u, "7F")]
    [InlineData(128u, "8001")]
    [InlineData(16_383u, "FF7F")]
    [InlineData(16_384u, "808001")]
    [InlineData(2_097_151u, "FFFF7F")]
    [InlineData(2_097_152u, "80808001")]
    [InlineData(268_435_455u, "FFFFFF7F")]
    public void Boundary_values_use_the_minimum_number_of_bytes(uint value, string hex)
    {
        var buffer = new byte[4];
        var length = VariableByteInteger.Write(buffer, value);

        Assert.Equal(hex, Convert.ToHexString(buffer, 0, length));
        Assert.Equal(length, VariableByteInteger.GetSize(value));
        Assert.Equal(VariableByteInteger.ReadStatus.Success, VariableByteInteger.TryRead(buffer.AsSpan(0, length), out var read, out var readLength));
        Assert.Equal(value, read);
        Assert.Equal(length, readLength);
    }

    [Fact]
    public void Values_above_268435455_cannot_be_encoded()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VariableByteInteger.GetSize(268_435_456));
        Assert.Throws<ArgumentOutOfRangeException>(() => VariableByteInteger.Write(new byte[8], 268_435_456));
    }

    [Fact]
    public void A_fifth_continuation_byte_is_malformed()
    {
        Assert.Equal(VariableByteInteger.ReadStatus.Malformed, VariableByteInteger.TryRead([0xFF, 0xFF, 0xFF, 0xFF, 0x01], out _, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("80")]
    [InlineData("FFFF")]
    [InlineData("808080")]
    public void An_unfinished_value_needs_more_data(string hex)
    {
        Assert.Equal(VariableByteInteger.ReadStatus.NeedMoreData, VariableByteInteger.TryRead(Convert.FromHexString(hex), out _, out _));
    }

    [Fact]
    public void A_remaining_length_of_five_bytes_in_a_fixed_header_is_a_malformed_packet()
    {
        var exception = Assert.Throws<MqttProtocolException>(() => MqttPacketDecoder.TryReadFixedHeader([0x30, 0x80, 0x80, 0x80, 0x80, 0x01], out _, out _, out _));
        Assert.Equal(MqttDisconnectReasonCode.MalformedPacket, exception.ReasonCode);
    }

    [Property(MaxTest = 1000)]
    public Property Every_value_round_trips() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, 268_435_455)), value =>
        {
            var buffer = new byte[4];
            var length = VariableByteInteger.Write(buffer, (uint)value);
            return VariableByteInteger.TryRead(buffer.AsSpan(0, length), out var read, out var readLength) == VariableByteInteger.ReadStatus.Success
                && read == (uint)value
                && readLength == length
                && length == VariableByteInteger.GetSize((uint)value);
        });
}
