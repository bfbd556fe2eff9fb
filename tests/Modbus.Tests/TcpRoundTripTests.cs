using FsCheck.Xunit;
using Telemetry.Testing;

namespace Telemetry.Modbus.Tests;

/// <summary>Our TCP master against our TCP server, over real loopback sockets.</summary>
public sealed class TcpRoundTripTests(TcpServerFixture fixture) : IClassFixture<TcpServerFixture>
{
    [Fact]
    public void Port_zero_reports_the_bound_port()
    {
        Assert.InRange(fixture.Server.Port, 1, 65535);
        Assert.True(fixture.Server.IsRunning);
        Assert.Equal([1, 2], fixture.Server.UnitIds);
    }

    [Fact]
    public async Task Holding_registers_written_by_the_master_land_in_the_map_and_read_back()
    {
        await using var master = fixture.NewMaster();
        await master.WriteSingleRegisterAsync(1, 10, 0xBEEF);
        await master.WriteMultipleRegistersAsync(1, 11, [1, 2, 65535]);
        Assert.Equal([0xBEEF, 1, 2, 65535], await master.ReadHoldingRegistersAsync(1, 10, 4));
        Assert.Equal([0xBEEF, 1, 2, 65535], fixture.Unit1.GetRegisters(ModbusTable.HoldingRegisters, 10, 4));

        // Synchronous variants go through the same connection.
        master.WriteSingleRegister(1, 14, 42);
        Assert.Equal([42], master.ReadHoldingRegisters(1, 14, 1));
    }

    [Fact]
    public async Task Coils_written_by_the_master_land_in_the_map_and_read_back()
    {
        await using var master = fixture.NewMaster();
        await master.WriteSingleCoilAsync(1, 20, true);
        bool[] pattern = [true, false, true, true, false, false, true, false, true];
        await master.WriteMultipleCoilsAsync(1, 21, pattern);
        Assert.Equal(new[] { true }.Concat(pattern).ToArray(), await master.ReadCoilsAsync(1, 20, 10));
        Assert.Equal(new[] { true }.Concat(pattern).ToArray(), fixture.Unit1.GetBits(ModbusTable.Coils, 20, 10));
        await master.WriteSingleCoilAsync(1, 20, false);
        Assert.False(fixture.Unit1.GetCoil(20));
    }

    [Fact]
    public async Task Discrete_inputs_and_input_registers_set_by_the_simulation_are_read_by_the_master()
    {
        fixture.Unit1.Update(tables =>
        {
            tables.DiscreteInputs[5] = 1;
            tables.DiscreteInputs[7] = 1;
            tables.InputRegisters[30] = 230;
            tables.InputRegisters[31] = 4711;
        });
        fixture.Unit1.SetInputRegister(32, 65000);

        await using var master = fixture.NewMaster();
        Assert.Equal(new[] { false, true, false, true, false }, await master.ReadDiscreteInputsAsync(1, 4, 5));
        Assert.Equal([230, 4711, 65000], await master.ReadInputRegistersAsync(1, 30, 3));
        Assert.Equal(new[] { true, false }, master.ReadDiscreteInputs(1, 7, 2));
        Assert.Equal([4711], master.ReadInputRegisters(1, 31, 1));
    }

    [Fact]
    public async Task Maximum_sized_reads_and_writes_go_through()
    {
        await using var master = fixture.NewMaster();
        var registers = Enumerable.Range(0, 123).Select(i => (ushort)(i * 500)).ToArray();
        await master.WriteMultipleRegistersAsync(1, 100, registers);
        var read = await master.ReadHoldingRegistersAsync(1, 100, 125);
        Assert.Equal(registers, read[..123]);

        var coils = Enumerable.Range(0, 200).Select(i => i % 3 == 0).ToArray();
        await master.WriteMultipleCoilsAsync(1, 0, coils);
        Assert.Equal(coils, await master.ReadCoilsAsync(1, 0, 200));
    }

    [Fact]
    public async Task Write_and_read_registers_writes_first_then_reads()
    {
        await using var master = fixture.NewMaster();
        await master.WriteMultipleRegistersAsync(1, 60, [1, 2, 3, 4]);
        var read = await master.WriteAndReadRegistersAsync(1, 61, [20, 30], 60, 4);
        Assert.Equal([1, 20, 30, 4], read);
    }

    [Fact]
    public async Task Maps_with_start_addresses_serve_only_their_range()
    {
        fixture.Unit2.SetHoldingRegister(1000, 11);
        fixture.Unit2.SetInputRegister(1049, 99);
        fixture.Unit2.SetDiscreteInput(1001, true);
        await using var master = fixture.NewMaster();
        Assert.Equal([11], await master.ReadHoldingRegistersAsync(2, 1000, 1));
        Assert.Equal([99], await master.ReadInputRegistersAsync(2, 1049, 1));
        Assert.Equal(new[] { false, true }, await master.ReadDiscreteInputsAsync(2, 1000, 2));
        await master.WriteSingleCoilAsync(2, 1049, true);
        Assert.True(fixture.Unit2.GetCoil(1049));

        var below = await Assert.ThrowsAsync<ModbusExceptionResponse>(() => master.ReadHoldingRegistersAsync(2, 999, 1));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, below.Code);
        var beyond = await Assert.ThrowsAsync<ModbusExceptionResponse>(() => master.ReadHoldingRegistersAsync(2, 1049, 2));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, beyond.Code);
        Assert.Equal(2, beyond.UnitId);
        Assert.Equal(1049, beyond.Address);
        Assert.Equal(2, beyond.Count);
        Assert.Contains("ReadHoldingRegisters", beyond.Message, StringComparison.Ordinal);
        Assert.Contains("unit 2", beyond.Message, StringComparison.Ordinal);

        // The connection survives exception answers.
        Assert.True(master.IsConnected);
        Assert.Equal([11], await master.ReadHoldingRegistersAsync(2, 1000, 1));
    }

    [Fact]
    public async Task Several_clients_are_served_concurrently()
    {
        fixture.Unit1.SetRegisters(ModbusTable.InputRegisters, 200, [1, 2, 3, 4, 5, 6, 7, 8]);
        var masters = Enumerable.Range(0, 6).Select(_ => fixture.NewMaster()).ToArray();
        try
        {
            foreach (var master in masters)
            {
                await master.ConnectAsync();
            }

            await Eventually.TrueAsync(() => Task.FromResult(fixture.Server.ClientCount >= masters.Length), "every master has its server thread");
            var work = masters.Select(async (master, index) =>
            {
                for (var i = 0; i < 25; i++)
                {
                    Assert.Equal([(ushort)(index + 1)], await master.ReadInputRegistersAsync(1, 200 + index, 1));
                }
            });
            await Task.WhenAll(work);
        }
        finally
        {
            foreach (var master in masters)
            {
                master.Dispose();
            }
        }
    }

    [Fact]
    public async Task Concurrent_calls_on_one_master_are_serialised()
    {
        fixture.Unit1.SetRegisters(ModbusTable.HoldingRegisters, 250, [7, 8, 9]);
        await using var master = fixture.NewMaster();
        var calls = Enumerable.Range(0, 40).Select(i => master.ReadHoldingRegistersAsync(1, 250 + (i % 3), 1));
        var results = await Task.WhenAll(calls);
        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal([(ushort)(7 + (i % 3))], results[i]);
        }
    }

    [Property(MaxTest = 60)]
    public bool Any_register_block_written_reads_back_unchanged(ushort[] values, byte offset)
    {
        var block = values.Length == 0 ? [0] : values.Take(123).ToArray();
        using var master = fixture.NewMaster();
        master.WriteMultipleRegisters(1, 150 + offset % 20, block);
        return master.ReadHoldingRegisters(1, 150 + offset % 20, block.Length).SequenceEqual(block);
    }

    [Property(MaxTest = 60)]
    public bool Any_coil_pattern_written_reads_back_unchanged(bool[] values, byte offset)
    {
        var block = values.Length == 0 ? [true] : values.Take(150).ToArray();
        using var master = fixture.NewMaster();
        master.WriteMultipleCoils(1, 40 + offset % 10, block);
        return master.ReadCoils(1, 40 + offset % 10, block.Length).SequenceEqual(block);
    }
}
