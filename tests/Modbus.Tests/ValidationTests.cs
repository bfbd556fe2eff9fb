using Telemetry.Modbus.Native;

namespace Telemetry.Modbus.Tests;

/// <summary>Arguments are refused before anything reaches libmodbus; errno values map to the typed exceptions.</summary>
public sealed class ValidationTests
{
    // Nothing listens on port 1: any call that got as far as connecting would fail with a link error instead.
    private static ModbusMaster Tcp() => ModbusMaster.ForTcp("127.0.0.1", 1);

    [Theory]
    [InlineData(0)]
    [InlineData(126)]
    [InlineData(-1)]
    public void Register_read_counts_outside_1_to_125_are_refused(int count)
    {
        using var master = Tcp();
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => master.ReadHoldingRegisters(1, 0, count)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = master.ReadInputRegistersAsync(1, 0, count); });
        Assert.False(master.IsConnected);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2001)]
    public void Bit_read_counts_outside_1_to_2000_are_refused(int count)
    {
        using var master = Tcp();
        Assert.Throws<ArgumentOutOfRangeException>(() => master.ReadCoils(1, 0, count));
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = master.ReadDiscreteInputsAsync(1, 0, count); });
    }

    [Fact]
    public void Write_sizes_follow_the_protocol_limits()
    {
        using var master = Tcp();
        Assert.Throws<ArgumentOutOfRangeException>(() => master.WriteMultipleRegisters(1, 0, new ushort[124]));
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = master.WriteMultipleRegistersAsync(1, 0, []); });
        Assert.Throws<ArgumentOutOfRangeException>(() => master.WriteMultipleCoils(1, 0, new bool[1969]));
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = master.WriteMultipleCoilsAsync(1, 0, []); });
        Assert.Throws<ArgumentOutOfRangeException>(() => master.WriteAndReadRegisters(1, 0, new ushort[122], 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = master.WriteAndReadRegistersAsync(1, 0, [1], 0, 126); });
        Assert.False(master.IsConnected);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(248)]
    [InlineData(254)]
    [InlineData(256)]
    public void Unit_ids_outside_0_to_247_are_refused(int unitId)
    {
        using var master = Tcp();
        Assert.Equal("unitId", Assert.Throws<ArgumentOutOfRangeException>(() => master.ReadHoldingRegisters(unitId, 0, 1)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = master.WriteSingleCoilAsync(unitId, 0, true); });
    }

    [Fact]
    public void Unit_255_is_only_for_tcp_and_unit_0_reads_are_not_for_rtu()
    {
        using var rtu = ModbusMaster.ForRtu("/dev/null-not-opened", 9600);
        Assert.Throws<ArgumentOutOfRangeException>(() => rtu.ReadHoldingRegisters(255, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => rtu.ReadHoldingRegisters(0, 0, 1));
        Assert.False(rtu.IsConnected);

        // Accepted on TCP: fails later, when connecting to a port nobody listens on.
        using var tcp = Tcp();
        Assert.Throws<ModbusLinkException>(() => tcp.ReadHoldingRegisters(255, 0, 1));
        Assert.Throws<ModbusLinkException>(() => tcp.ReadHoldingRegisters(0, 0, 1));
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(65536, 1)]
    [InlineData(65535, 2)]
    [InlineData(65500, 100)]
    public void Blocks_must_stay_within_the_address_space(int address, int count)
    {
        using var master = Tcp();
        Assert.Throws<ArgumentOutOfRangeException>(() => master.ReadHoldingRegisters(1, address, count));
        Assert.Throws<ArgumentOutOfRangeException>(() => master.WriteMultipleCoils(1, address, new bool[count]));
    }

    [Fact]
    public void Factories_and_options_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusMaster.ForTcp("127.0.0.1", 0));
        Assert.Throws<ArgumentException>(() => ModbusMaster.ForTcp(" ", 502));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusMaster.ForTcp("127.0.0.1", 502, new ModbusMasterOptions { ResponseTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusMaster.ForTcp("127.0.0.1", 502, new ModbusMasterOptions { ByteTimeout = TimeSpan.FromSeconds(-1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusMaster.ForRtu("/dev/ttyS0", 14400));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusMaster.ForRtu("/dev/ttyS0", 9600, dataBits: 9));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusMaster.ForRtu("/dev/ttyS0", 9600, stopBits: 3));
        Assert.Throws<ArgumentException>(() => ModbusMaster.ForRtu("", 9600));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusResponse.Reject((ModbusExceptionCode)12));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModbusRegisterMap(new ModbusAddressRange(65500, 100), default, default, default));
        using var map = new ModbusRegisterMap(1, 1, 1, 1);
        using var rtu = new ModbusRtuServer("/dev/ttyS0", 9600);
        Assert.Throws<ArgumentOutOfRangeException>(() => rtu.AddUnit(0, map));
        Assert.Throws<ArgumentOutOfRangeException>(() => rtu.AddUnit(248, map));
        using var tcp = new ModbusTcpServer("127.0.0.1", 0);
        tcp.AddUnit(0, map);
        tcp.AddUnit(255, map);
        Assert.Throws<ArgumentException>(() => tcp.AddUnit(255, map));
        Assert.Throws<ArgumentOutOfRangeException>(() => tcp.AddUnit(256, map));
    }

    [Fact]
    public void Timeouts_reach_libmodbus()
    {
        using var master = ModbusMaster.ForTcp("127.0.0.1", 502, new ModbusMasterOptions { ResponseTimeout = TimeSpan.FromMilliseconds(1500), ByteTimeout = TimeSpan.Zero });
        var context = (ModbusContextHandle)typeof(ModbusMaster).GetField("_context", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(master)!;
        Assert.Equal(0, LibModbus.GetResponseTimeout(context, out var seconds, out var microseconds));
        Assert.Equal((1u, 500_000u), (seconds, microseconds));
        Assert.Equal(0, LibModbus.GetByteTimeout(context, out seconds, out microseconds));
        Assert.Equal((0u, 0u), (seconds, microseconds));
    }

    [Fact]
    public void Rtu_line_settings_reach_libmodbus()
    {
        using var master = ModbusMaster.ForRtu("/dev/ttyS0", 19200, ModbusParity.Odd, options: new ModbusMasterOptions { RtsDelay = TimeSpan.FromMilliseconds(2) });
        var context = (ModbusContextHandle)typeof(ModbusMaster).GetField("_context", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(master)!;
        Assert.Equal(2000, LibModbus.RtuGetRtsDelay(context));
        Assert.Equal(LibModbus.RtuRtsNone, LibModbus.RtuGetRts(context));
        Assert.Equal(LibModbus.RtuRs232, LibModbus.RtuGetSerialMode(context));
        Assert.Equal(1, LibModbus.GetHeaderLength(context));
        Assert.Equal("/dev/ttyS0 19200 8O1", master.Endpoint);
    }

    [Theory]
    [InlineData(112345678 + 1, typeof(ModbusExceptionResponse), "Illegal function")]
    [InlineData(112345678 + 2, typeof(ModbusExceptionResponse), "Illegal data address")]
    [InlineData(112345678 + 6, typeof(ModbusExceptionResponse), "Slave device or server is busy")]
    [InlineData(112345678 + 11, typeof(ModbusExceptionResponse), "Target device failed to respond")]
    [InlineData(112345678 + 12, typeof(ModbusFrameException), "Invalid CRC")]
    [InlineData(112345678 + 13, typeof(ModbusFrameException), "Invalid data")]
    [InlineData(112345678 + 14, typeof(ModbusFrameException), "Invalid exception code")]
    [InlineData(112345678 + 16, typeof(ModbusFrameException), "Too many data")]
    [InlineData(112345678 + 17, typeof(ModbusFrameException), "Response not from requested slave")]
    [InlineData(110, typeof(ModbusTimeoutException), "Connection timed out")]
    [InlineData(111, typeof(ModbusLinkException), "Connection refused")]
    [InlineData(104, typeof(ModbusLinkException), "Connection reset by peer")]
    [InlineData(32, typeof(ModbusLinkException), "Broken pipe")]
    [InlineData(9, typeof(ModbusLinkException), "Bad file descriptor")]
    public void Errno_values_become_typed_exceptions_with_libmodbus_texts(int errno, Type expected, string text)
    {
        var error = ModbusErrors.FromErrno(errno, new ModbusCallSite("ReadHoldingRegisters", "tcp://plc:502", 3, 100, 10));
        Assert.IsType(expected, error);
        Assert.Equal(errno, error.ErrorNumber);
        Assert.Equal(text, error.NativeMessage);
        Assert.StartsWith("ReadHoldingRegisters on tcp://plc:502 (unit 3, address 100, count 10) failed: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"(errno {errno})", error.Message, StringComparison.Ordinal);
        if (error is ModbusExceptionResponse response)
        {
            Assert.Equal(errno - 112345678, (int)response.Code);
        }
    }

    [Fact]
    public void Modbus_crc_matches_the_specification_example()
    {
        // Read 10 holding registers from address 0 of unit 1; the CRC, low byte first, is C5 CD.
        byte[] frame = [0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD];
        Assert.True(ModbusRequestParser.CrcMatches(frame));
        frame[3] ^= 1;
        Assert.False(ModbusRequestParser.CrcMatches(frame));
        Assert.Equal(8, ModbusRequestParser.RtuRequestLength(frame));
        Assert.Equal(-1, ModbusRequestParser.RtuRequestLength([0x01, 0x10, 0, 0, 0]));
        Assert.Equal(9 + 4, ModbusRequestParser.RtuRequestLength([0x01, 0x10, 0, 0, 0, 2, 4]));
        Assert.Equal(0, ModbusRequestParser.RtuRequestLength([0x01, 0x2B, 0x0E]));
    }
}
