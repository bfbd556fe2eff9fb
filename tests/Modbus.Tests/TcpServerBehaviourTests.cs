using System.Collections.Concurrent;
using System.Diagnostics;
using Telemetry.Testing;

namespace Telemetry.Modbus.Tests;

/// <summary>Request hooks, unknown units, typed errors, reconnection and shutdown, each with its own server.</summary>
public sealed class TcpServerBehaviourTests
{
    // Short enough to keep silent-unit tests quick, long enough for answers on a loaded machine.
    private static readonly ModbusMasterOptions Quick = new() { ResponseTimeout = TimeSpan.FromSeconds(1) };

    [Theory]
    [InlineData(ModbusExceptionCode.IllegalDataAddress)]
    [InlineData(ModbusExceptionCode.ServerDeviceBusy)]
    [InlineData(ModbusExceptionCode.IllegalFunction)]
    [InlineData(ModbusExceptionCode.GatewayPathUnavailable)]
    public async Task Exception_codes_chosen_by_the_hook_surface_typed(ModbusExceptionCode code)
    {
        using var map = new ModbusRegisterMap(10, 10, 10, 10);
        await using var server = Started(map);
        server.RequestHook = _ => ModbusResponse.Reject(code);
        await using var master = ModbusMaster.ForTcp("127.0.0.1", server.Port);

        var error = await Assert.ThrowsAsync<ModbusExceptionResponse>(() => master.ReadHoldingRegistersAsync(1, 3, 2));
        Assert.Equal(code, error.Code);
        Assert.Equal(112345678 + (int)code, error.ErrorNumber);
        Assert.Equal("ReadHoldingRegisters", error.Operation);
        Assert.Equal(1, error.UnitId);
        Assert.Equal(3, error.Address);
        Assert.Equal(2, error.Count);
        Assert.Contains($"tcp://127.0.0.1:{server.Port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Addresses_outside_the_map_are_answered_illegal_data_address_by_libmodbus()
    {
        using var map = new ModbusRegisterMap(10, 10, 10, 10);
        await using var server = Started(map);
        await using var master = ModbusMaster.ForTcp("127.0.0.1", server.Port);
        var read = await Assert.ThrowsAsync<ModbusExceptionResponse>(() => master.ReadInputRegistersAsync(1, 9, 2));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, read.Code);
        var write = await Assert.ThrowsAsync<ModbusExceptionResponse>(() => master.WriteSingleCoilAsync(1, 10, true));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, write.Code);
    }

    [Fact]
    public async Task A_silent_unit_times_out_within_the_response_timeout()
    {
        using var map = new ModbusRegisterMap(10, 10, 10, 10);
        await using var server = Started(map);
        server.RequestHook = request => request.Address == 5 ? ModbusResponse.Silence : ModbusResponse.Normal;
        await using var master = ModbusMaster.ForTcp("127.0.0.1", server.Port, Quick);

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ModbusTimeoutException>(() => master.ReadHoldingRegistersAsync(1, 5, 1));
        watch.Stop();
        Assert.Equal(110, error.ErrorNumber); // ETIMEDOUT
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"gave up after {watch.Elapsed}");

        // The master recovers: the next request gets its answer.
        map.SetHoldingRegister(4, 44);
        Assert.Equal([44], await master.ReadHoldingRegistersAsync(1, 4, 1));
    }

    [Fact]
    public async Task A_slow_unit_answers_within_a_long_timeout_and_times_out_a_short_one()
    {
        using var map = new ModbusRegisterMap(10, 10, 10, 10);
        map.SetHoldingRegister(0, 7);
        await using var server = Started(map);
        server.RequestHook = _ => ModbusResponse.Normal.After(TimeSpan.FromSeconds(2));

        await using (var patient = ModbusMaster.ForTcp("127.0.0.1", server.Port, new ModbusMasterOptions { ResponseTimeout = TimeSpan.FromSeconds(10) }))
        {
            Assert.Equal([7], await patient.ReadHoldingRegistersAsync(1, 0, 1));
        }

        await using var hasty = ModbusMaster.ForTcp("127.0.0.1", server.Port, Quick);
        await Assert.ThrowsAsync<ModbusTimeoutException>(() => hasty.ReadHoldingRegistersAsync(1, 0, 1));

        // The late answer must not be taken for the answer to the next request.
        server.RequestHook = null;
        map.SetHoldingRegister(1, 8);
        Assert.Equal([8], await hasty.ReadHoldingRegistersAsync(1, 1, 1));
    }

    [Fact]
    public async Task Unknown_units_get_gateway_target_failed_by_default()
    {
        using var map = new ModbusRegisterMap(10, 10, 10, 10);
        await using var server = Started(map);
        await using var master = ModbusMaster.ForTcp("127.0.0.1", server.Port, Quick);
        var error = await Assert.ThrowsAsync<ModbusExceptionResponse>(() => master.ReadCoilsAsync(9, 0, 1));
        Assert.Equal(ModbusExceptionCode.GatewayTargetFailedToRespond, error.Code);
    }

    [Fact]
    public async Task Unknown_units_can_be_left_unanswered()
    {
        using var map = new ModbusRegisterMap(10, 10, 10, 10);
        await using var server = Started(map, new ModbusTcpServerOptions { UnknownUnit = ModbusUnknownUnitResponse.Silence });
        await using var master = ModbusMaster.ForTcp("127.0.0.1", server.Port, Quick);
        await Assert.ThrowsAsync<ModbusTimeoutException>(() => master.ReadCoilsAsync(9, 0, 1));
        Assert.Equal(new[] { false }, await master.ReadCoilsAsync(1, 0, 1));
    }

    [Fact]
    public async Task Writes_are_reported_after_they_are_applied()
    {
        using var map = new ModbusRegisterMap(20, 0, 20, 0);
        await using var server = Started(map);
        var writes = new ConcurrentQueue<(ModbusWrite Write, ushort[] MapAtTheTime)>();
        server.WriteApplied += (_, e) => writes.Enqueue((e.Write, map.GetRegisters(ModbusTable.HoldingRegisters, 0, 20)));
        await using var master = ModbusMaster.ForTcp("127.0.0.1", server.Port);

        await master.WriteSingleRegisterAsync(1, 3, 33);
        await master.WriteMultipleRegistersAsync(1, 4, [44, 55]);
        await master.WriteSingleCoilAsync(1, 7, true);
        await master.WriteMultipleCoilsAsync(1, 8, [true, false, true]);
        await master.WriteAndReadRegistersAsync(1, 10, [100, 101], 3, 1);
        await master.ReadHoldingRegistersAsync(1, 0, 5); // not a write

        var seen = writes.ToArray();
        Assert.Equal(5, seen.Length);
        Assert.Equal((ModbusFunctionCode.WriteSingleRegister, ModbusTable.HoldingRegisters, 3), (seen[0].Write.Function, seen[0].Write.Table, seen[0].Write.Address));
        Assert.Equal([33], seen[0].Write.RegisterValues);
        Assert.Equal(33, seen[0].MapAtTheTime[3]); // applied before the event
        Assert.Equal([44, 55], seen[1].Write.RegisterValues);
        Assert.Equal((ModbusTable.Coils, 7), (seen[2].Write.Table, seen[2].Write.Address));
        Assert.Equal(new[] { true }, seen[2].Write.CoilValues);
        Assert.Equal(new[] { true, false, true }, seen[3].Write.CoilValues);
        Assert.Equal(8, seen[3].Write.Address);
        Assert.Equal(ModbusFunctionCode.WriteAndReadRegisters, seen[4].Write.Function);
        Assert.Equal((10, 2), (seen[4].Write.Address, seen[4].Write.Count));
        Assert.Equal([100, 101], seen[4].Write.RegisterValues);
        Assert.All(seen, s => Assert.Equal(1, s.Write.UnitId));
    }

    [Fact]
    public async Task The_hook_can_reject_writes_which_are_then_not_applied()
    {
        using var map = new ModbusRegisterMap(10, 0, 10, 0);
        await using var server = Started(map);
        var applied = 0;
        server.WriteApplied += (_, _) => Interlocked.Increment(ref applied);
        server.RequestHook = request => request.Write is { Table: ModbusTable.HoldingRegisters } write && write.RegisterValues.Any(v => v > 100)
            ? ModbusResponse.Reject(ModbusExceptionCode.IllegalDataValue)
            : ModbusResponse.Normal;
        await using var master = ModbusMaster.ForTcp("127.0.0.1", server.Port);

        var error = await Assert.ThrowsAsync<ModbusExceptionResponse>(() => master.WriteMultipleRegistersAsync(1, 0, [5, 500]));
        Assert.Equal(ModbusExceptionCode.IllegalDataValue, error.Code);
        Assert.Equal([0, 0], map.GetRegisters(ModbusTable.HoldingRegisters, 0, 2));
        Assert.Equal(0, Volatile.Read(ref applied));

        await master.WriteMultipleRegistersAsync(1, 0, [5, 50]);

        // WriteApplied is raised after the answer has gone out; the connection's next request is served after it.
        Assert.Equal([5, 50], await master.ReadHoldingRegistersAsync(1, 0, 2));
        Assert.Equal([5, 50], map.GetRegisters(ModbusTable.HoldingRegisters, 0, 2));
        Assert.Equal(1, Volatile.Read(ref applied));
    }

    [Fact]
    public async Task A_hook_that_throws_answers_server_device_failure_and_reports_the_error()
    {
        using var map = new ModbusRegisterMap(10, 10, 10, 10);
        await using var server = Started(map);
        var errors = new ConcurrentQueue<Exception>();
        server.Error += (_, e) => errors.Enqueue(e.Exception);
        server.RequestHook = _ => throw new InvalidOperationException("simulator bug");
        await using var master = ModbusMaster.ForTcp("127.0.0.1", server.Port);

        var error = await Assert.ThrowsAsync<ModbusExceptionResponse>(() => master.ReadCoilsAsync(1, 0, 1));
        Assert.Equal(ModbusExceptionCode.ServerDeviceFailure, error.Code);
        Assert.Contains(errors, e => e.InnerException?.Message == "simulator bug");
    }

    [Fact]
    public async Task Connection_refused_is_a_link_error_and_the_master_connects_once_the_server_is_up()
    {
        var port = FreePort.Next();
        await using var master = ModbusMaster.ForTcp("127.0.0.1", port, Quick);
        var error = await Assert.ThrowsAsync<ModbusLinkException>(() => master.ReadHoldingRegistersAsync(1, 0, 1));
        Assert.Equal(111, error.ErrorNumber); // ECONNREFUSED
        Assert.Equal("Connection refused", error.NativeMessage);
        Assert.Contains("Connect", error.Operation, StringComparison.Ordinal);
        Assert.False(master.IsConnected);
        Assert.Throws<ModbusLinkException>(() => master.Connect());

        using var map = new ModbusRegisterMap(10, 10, 10, 10);
        map.SetHoldingRegister(0, 1234);
        await using var server = new ModbusTcpServer("127.0.0.1", port);
        server.AddUnit(1, map);
        server.Start();
        Assert.Equal([1234], await master.ReadHoldingRegistersAsync(1, 0, 1));
        Assert.True(master.IsConnected);
    }

    [Fact]
    public async Task A_master_reconnects_after_the_server_dropped_it()
    {
        using var map = new ModbusRegisterMap(10, 10, 10, 10);
        map.SetInputRegister(2, 22);
        var port = FreePort.Next();
        var first = new ModbusTcpServer("127.0.0.1", port);
        first.AddUnit(1, map);
        first.Start();
        await using var master = ModbusMaster.ForTcp("127.0.0.1", port, Quick);
        Assert.Equal([22], await master.ReadInputRegistersAsync(1, 2, 1));

        await first.DisposeAsync();
        Assert.False(first.IsRunning);
        var lost = await Assert.ThrowsAnyAsync<ModbusException>(() => master.ReadInputRegistersAsync(1, 2, 1));
        Assert.IsType<ModbusLinkException>(lost);
        Assert.False(master.IsConnected);

        await using var second = new ModbusTcpServer("127.0.0.1", port);
        second.AddUnit(1, map);
        second.Start();
        Assert.Equal([22], await master.ReadInputRegistersAsync(1, 2, 1));
    }

    [Fact]
    public async Task The_server_stops_on_cancellation_and_refuses_connections_afterwards()
    {
        using var map = new ModbusRegisterMap(10, 10, 10, 10);
        using var cancellation = new CancellationTokenSource();
        await using var server = new ModbusTcpServer("127.0.0.1", 0);
        server.AddUnit(1, map);
        server.Start(cancellation.Token);
        await using var master = ModbusMaster.ForTcp("127.0.0.1", server.Port, Quick);
        await master.ConnectAsync();

        await cancellation.CancelAsync();
        await server.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(server.IsRunning);
        Assert.Equal(0, server.ClientCount);

        await using var late = ModbusMaster.ForTcp("127.0.0.1", server.Port, Quick);
        await Assert.ThrowsAsync<ModbusLinkException>(() => late.ConnectAsync());
    }

    [Fact]
    public async Task A_cancelled_token_stops_the_call_before_anything_is_sent()
    {
        using var map = new ModbusRegisterMap(10, 10, 10, 10);
        await using var server = Started(map);
        var requests = 0;
        server.RequestHook = _ =>
        {
            Interlocked.Increment(ref requests);
            return ModbusResponse.Normal;
        };
        await using var master = ModbusMaster.ForTcp("127.0.0.1", server.Port);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => master.WriteSingleRegisterAsync(1, 0, 1, cancelled.Token));
        Assert.Throws<OperationCanceledException>(() => master.ReadCoils(1, 0, 1, cancelled.Token));
        Assert.Equal(0, Volatile.Read(ref requests));
        Assert.False(master.IsConnected);
    }

    [Fact]
    public async Task Listening_on_a_port_in_use_fails_with_a_link_error()
    {
        using var map = new ModbusRegisterMap(1, 1, 1, 1);
        await using var first = Started(map);
        await using var second = new ModbusTcpServer("127.0.0.1", first.Port);
        var error = Assert.Throws<ModbusLinkException>(() => second.Start());
        Assert.Equal(98, error.ErrorNumber); // EADDRINUSE
    }

    private static ModbusTcpServer Started(ModbusRegisterMap map, ModbusTcpServerOptions? options = null)
    {
        var server = new ModbusTcpServer("127.0.0.1", 0, options);
        server.AddUnit(1, map);
        server.Start();
        return server;
    }
}
