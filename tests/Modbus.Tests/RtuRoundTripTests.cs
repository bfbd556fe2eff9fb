using System.Collections.Concurrent;
using Telemetry.Testing;

namespace Telemetry.Modbus.Tests;

/// <summary>Our RTU master against our RTU server over a socat pseudo-terminal pair.</summary>
public sealed class RtuRoundTripTests
{
    [Theory]
    [InlineData(9600, ModbusParity.None)]
    [InlineData(19200, ModbusParity.Even)]
    public async Task Every_table_round_trips_over_a_serial_line(int baud, ModbusParity parity)
    {
        await using var pty = await PseudoTerminalPair.StartAsync();
        using var map = new ModbusRegisterMap(32, 32, 64, 64);
        map.SetRegisters(ModbusTable.InputRegisters, 10, [1, 2, 3]);
        map.SetBits(ModbusTable.DiscreteInputs, 3, [true, false, true]);
        await using var server = new ModbusRtuServer(pty.B, baud, parity);
        server.AddUnit(17, map);
        server.Start();
        await using var master = ModbusMaster.ForRtu(pty.A, baud, parity, options: new ModbusMasterOptions { ResponseTimeout = TimeSpan.FromSeconds(3) });

        Assert.Equal([1, 2, 3], await master.ReadInputRegistersAsync(17, 10, 3));
        Assert.Equal(new[] { false, true, false, true }, await master.ReadDiscreteInputsAsync(17, 2, 4));

        await master.WriteSingleRegisterAsync(17, 0, 0x1234);
        await master.WriteMultipleRegistersAsync(17, 1, [10, 20, 30]);
        Assert.Equal([0x1234, 10, 20, 30], await master.ReadHoldingRegistersAsync(17, 0, 4));
        Assert.Equal([0x1234, 10, 20, 30], map.GetRegisters(ModbusTable.HoldingRegisters, 0, 4));

        await master.WriteSingleCoilAsync(17, 0, true);
        await master.WriteMultipleCoilsAsync(17, 1, [false, true, true]);
        Assert.Equal(new[] { true, false, true, true }, await master.ReadCoilsAsync(17, 0, 4));
        Assert.Equal(new[] { true, false, true, true }, map.GetBits(ModbusTable.Coils, 0, 4));

        Assert.Equal([10, 99], await master.WriteAndReadRegistersAsync(17, 2, [99], 1, 2));
        Assert.Equal(ModbusTransport.Rtu, master.Transport);
        Assert.Contains(pty.A, master.Endpoint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_units_share_one_bus_and_unknown_units_stay_silent()
    {
        await using var pty = await PseudoTerminalPair.StartAsync();
        using var lamp1 = new ModbusRegisterMap(8, 8, 8, 8);
        using var lamp2 = new ModbusRegisterMap(8, 8, 8, 8);
        lamp1.SetInputRegister(0, 101);
        lamp2.SetInputRegister(0, 202);
        await using var server = new ModbusRtuServer(pty.B, 9600, ModbusParity.None);
        server.AddUnit(1, lamp1);
        server.AddUnit(2, lamp2);
        server.Start();
        await using var master = ModbusMaster.ForRtu(pty.A, 9600, ModbusParity.None, options: new ModbusMasterOptions { ResponseTimeout = TimeSpan.FromSeconds(1) });

        Assert.Equal([101], await master.ReadInputRegistersAsync(1, 0, 1));
        Assert.Equal([202], await master.ReadInputRegistersAsync(2, 0, 1));
        var silent = await Assert.ThrowsAsync<ModbusTimeoutException>(() => master.ReadInputRegistersAsync(3, 0, 1));
        Assert.Equal(3, silent.UnitId);

        // The bus still works after a silent unit, and the port stayed open.
        Assert.True(master.IsConnected);
        Assert.Equal([202], await master.ReadInputRegistersAsync(2, 0, 1));
    }

    [Fact]
    public async Task A_broadcast_write_reaches_every_unit_and_gets_no_answer()
    {
        await using var pty = await PseudoTerminalPair.StartAsync();
        using var lamp1 = new ModbusRegisterMap(8, 0, 8, 0);
        using var lamp2 = new ModbusRegisterMap(8, 0, 8, 0);
        await using var server = new ModbusRtuServer(pty.B, 19200, ModbusParity.None);
        server.AddUnit(1, lamp1);
        server.AddUnit(2, lamp2);
        var writes = new ConcurrentQueue<ModbusWrite>();
        server.WriteApplied += (_, e) => writes.Enqueue(e.Write);
        server.Start();
        await using var master = ModbusMaster.ForRtu(pty.A, 19200, ModbusParity.None, options: new ModbusMasterOptions { ResponseTimeout = TimeSpan.FromSeconds(1) });

        await master.WriteMultipleRegistersAsync(0, 4, [7, 8]); // completes after the response timeout, without error
        await Eventually.TrueAsync(() => Task.FromResult(writes.Count == 2), "both units report the broadcast write");
        Assert.Equal([1, 2], writes.Select(w => w.UnitId).Order());
        Assert.Equal([7, 8], lamp1.GetRegisters(ModbusTable.HoldingRegisters, 4, 2));
        Assert.Equal([7, 8], lamp2.GetRegisters(ModbusTable.HoldingRegisters, 4, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => master.ReadHoldingRegisters(0, 0, 1));

        // Regular traffic goes on.
        Assert.Equal([7], await master.ReadHoldingRegistersAsync(2, 4, 1));
    }

    [Fact]
    public async Task Exception_codes_and_delays_work_on_the_serial_line()
    {
        await using var pty = await PseudoTerminalPair.StartAsync();
        using var map = new ModbusRegisterMap(8, 8, 8, 8);
        await using var server = new ModbusRtuServer(pty.B, 9600, ModbusParity.Even);
        server.AddUnit(5, map);
        server.RequestHook = request => request.Address switch
        {
            1 => ModbusResponse.Reject(ModbusExceptionCode.ServerDeviceBusy),
            2 => ModbusResponse.Normal.After(TimeSpan.FromMilliseconds(200)),
            3 => ModbusResponse.Silence,
            _ => ModbusResponse.Normal,
        };
        server.Start();
        await using var master = ModbusMaster.ForRtu(pty.A, 9600, ModbusParity.Even, options: new ModbusMasterOptions { ResponseTimeout = TimeSpan.FromSeconds(2) });

        var busy = await Assert.ThrowsAsync<ModbusExceptionResponse>(() => master.ReadHoldingRegistersAsync(5, 1, 1));
        Assert.Equal(ModbusExceptionCode.ServerDeviceBusy, busy.Code);
        var illegal = await Assert.ThrowsAsync<ModbusExceptionResponse>(() => master.ReadHoldingRegistersAsync(5, 7, 2));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, illegal.Code);
        Assert.Equal([0], await master.ReadHoldingRegistersAsync(5, 2, 1));
        await Assert.ThrowsAsync<ModbusTimeoutException>(() => master.ReadHoldingRegistersAsync(5, 3, 1));
        Assert.Equal([0], await master.ReadHoldingRegistersAsync(5, 0, 1));
    }

    [Fact]
    public async Task Rts_driven_sending_works_on_a_line_without_modem_control()
    {
        await using var pty = await PseudoTerminalPair.StartAsync();
        using var map = new ModbusRegisterMap(8, 8, 8, 8);
        map.SetHoldingRegister(0, 77);
        await using var server = new ModbusRtuServer(pty.B, 19200, ModbusParity.None, options: new ModbusRtuServerOptions { RtsMode = ModbusRtsMode.Down });
        server.AddUnit(1, map);
        server.Start();
        var options = new ModbusMasterOptions { RtsMode = ModbusRtsMode.Up, RtsDelay = TimeSpan.FromMilliseconds(1), ResponseTimeout = TimeSpan.FromSeconds(2) };
        await using var master = ModbusMaster.ForRtu(pty.A, 19200, ModbusParity.None, options: options);
        Assert.Equal([77], await master.ReadHoldingRegistersAsync(1, 0, 1));
    }

    [Fact]
    public async Task Rs485_mode_on_a_pseudo_terminal_is_refused_with_a_link_error()
    {
        await using var pty = await PseudoTerminalPair.StartAsync();
        await using var master = ModbusMaster.ForRtu(pty.A, 9600, options: new ModbusMasterOptions { SerialMode = ModbusSerialMode.Rs485 });
        var error = await Assert.ThrowsAsync<ModbusLinkException>(() => master.ConnectAsync());
        Assert.NotEqual(0, error.ErrorNumber);
        Assert.Contains("RS-485", error.Operation, StringComparison.Ordinal);
        Assert.False(master.IsConnected);

        await using var server = new ModbusRtuServer(pty.B, 9600, options: new ModbusRtuServerOptions { SerialMode = ModbusSerialMode.Rs485 });
        Assert.Throws<ModbusLinkException>(() => server.Start());
    }

    [Fact]
    public async Task A_missing_serial_device_is_a_link_error()
    {
        var device = Path.Combine(Path.GetTempPath(), $"no-such-tty-{Guid.NewGuid():N}");
        await using var master = ModbusMaster.ForRtu(device, 9600);
        var error = await Assert.ThrowsAsync<ModbusLinkException>(() => master.ReadCoilsAsync(1, 0, 1));
        Assert.Equal(2, error.ErrorNumber); // ENOENT
        Assert.Equal("No such file or directory", error.NativeMessage);
        Assert.Contains(device, error.Message, StringComparison.Ordinal);

        await using var server = new ModbusRtuServer(device, 9600);
        Assert.Equal(2, Assert.Throws<ModbusLinkException>(() => server.Start()).ErrorNumber);
    }
}
