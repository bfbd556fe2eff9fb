using Telemetry.Devices.Decoding;
using Telemetry.Devices.Profiles;
using Xunit;

namespace Telemetry.Devices.Tests.Decoding;

public sealed class RegisterCodecTests
{
    [Theory]
    [InlineData(WordOrder.ABCD, new ushort[] { 0x1234, 0x5678 })]
    [InlineData(WordOrder.CDAB, new ushort[] { 0x5678, 0x1234 })]
    [InlineData(WordOrder.BADC, new ushort[] { 0x3412, 0x7856 })]
    [InlineData(WordOrder.DCBA, new ushort[] { 0x7856, 0x3412 })]
    public void U32_0x12345678_in_every_word_order(WordOrder order, ushort[] registers)
    {
        Assert.Equal(0x12345678UL, RegisterCodec.ReadRaw(registers, order));

        var written = new ushort[2];
        RegisterCodec.WriteRaw(0x12345678, written, order);
        Assert.Equal(registers, written);
    }

    [Theory]
    [InlineData(WordOrder.ABCD, new ushort[] { 0x0123, 0x4567, 0x89AB, 0xCDEF })]
    [InlineData(WordOrder.CDAB, new ushort[] { 0xCDEF, 0x89AB, 0x4567, 0x0123 })]
    [InlineData(WordOrder.BADC, new ushort[] { 0x2301, 0x6745, 0xAB89, 0xEFCD })]
    [InlineData(WordOrder.DCBA, new ushort[] { 0xEFCD, 0xAB89, 0x6745, 0x2301 })]
    public void U64_in_every_word_order(WordOrder order, ushort[] registers)
    {
        Assert.Equal(0x0123456789ABCDEFUL, RegisterCodec.ReadRaw(registers, order));

        var written = new ushort[4];
        RegisterCodec.WriteRaw(0x0123456789ABCDEF, written, order);
        Assert.Equal(registers, written);
    }

    [Theory]
    [InlineData(WordOrder.ABCD, 0x1234)]
    [InlineData(WordOrder.CDAB, 0x1234)]
    [InlineData(WordOrder.BADC, 0x3412)]
    [InlineData(WordOrder.DCBA, 0x3412)]
    public void Single_registers_only_feel_the_byte_swap(WordOrder order, int expected)
    {
        Assert.Equal((ulong)expected, RegisterCodec.ReadRaw([0x1234], order));
    }

    [Fact]
    public void Ascii_ends_at_the_first_nul()
    {
        Assert.Equal("V2.31", RegisterCodec.ReadAscii([0x5632, 0x2E33, 0x3100, 0x0000], WordOrder.ABCD));
        Assert.Equal("AB", RegisterCodec.ReadAscii([0x4142, 0x0043], WordOrder.ABCD));
        Assert.Equal("ABCD", RegisterCodec.ReadAscii([0x4142, 0x4344], WordOrder.ABCD));
        Assert.Equal("", RegisterCodec.ReadAscii([0x0000, 0x4142], WordOrder.ABCD));
    }

    [Fact]
    public void Byte_swapped_ascii_reads_low_byte_first()
    {
        Assert.Equal("HG-LCU2", RegisterCodec.ReadAscii([0x4748, 0x4C2D, 0x5543, 0x0032], WordOrder.BADC));
    }

    [Fact]
    public void Ascii_outside_printable_reads_as_question_marks()
    {
        Assert.Equal("A?B?", RegisterCodec.ReadAscii([0x41FF, 0x4207], WordOrder.ABCD));
    }

    [Fact]
    public void Written_ascii_is_nul_padded()
    {
        var registers = new ushort[4];

        RegisterCodec.WriteAscii("V2.3", registers, WordOrder.ABCD);

        Assert.Equal(new ushort[] { 0x5632, 0x2E33, 0x0000, 0x0000 }, registers);
    }

    [Fact]
    public void Ascii_that_does_not_fit_or_is_not_ascii_is_refused()
    {
        Assert.Throws<ArgumentException>(() => RegisterCodec.WriteAscii("ABCDE", new ushort[2], WordOrder.ABCD));
        Assert.Throws<ArgumentException>(() => RegisterCodec.WriteAscii("路灯", new ushort[2], WordOrder.ABCD));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(5)]
    public void Raw_values_are_1_2_or_4_registers(int width)
    {
        Assert.Throws<ArgumentException>(() => RegisterCodec.ReadRaw(new ushort[width], WordOrder.ABCD));
    }
}
