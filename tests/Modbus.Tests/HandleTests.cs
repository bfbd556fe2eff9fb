using Telemetry.Modbus.Native;

namespace Telemetry.Modbus.Tests;

/// <summary>The native struct layout, idempotent disposal and the absence of leaks.</summary>
[Collection(nameof(HandleCounting))]
public sealed class HandleTests
{
    [Fact]
    public unsafe void The_mapping_struct_layout_matches_libmodbus()
    {
        // Distinct start/count per table catch any swapped field: modbus_mapping_new_start_address takes
        // (start, count) pairs in the order bits, input bits, registers, input registers, while the struct
        // keeps (count, start) pairs in the order bits, input bits, input registers, registers.
        using var map = new ModbusRegisterMap(new ModbusAddressRange(1, 2), new ModbusAddressRange(3, 4), new ModbusAddressRange(5, 6), new ModbusAddressRange(7, 8));
        var native = map.Handle.Pointer;
        Assert.Equal(64, sizeof(ModbusMappingNative));
        Assert.Equal((2, 1), (native->BitCount, native->BitStart));
        Assert.Equal((4, 3), (native->InputBitCount, native->InputBitStart));
        Assert.Equal((6, 5), (native->RegisterCount, native->RegisterStart));
        Assert.Equal((8, 7), (native->InputRegisterCount, native->InputRegisterStart));
        Assert.True(native->Bits != null && native->InputBits != null && native->Registers != null && native->InputRegisters != null);

        map.SetHoldingRegister(10, 0xABCD);
        map.SetInputRegister(14, 0x1234);
        map.SetCoil(2, true);
        map.SetDiscreteInput(6, true);
        Assert.Equal(0xABCD, native->Registers[5]);
        Assert.Equal(0x1234, native->InputRegisters[7]);
        Assert.Equal(1, native->Bits[1]);
        Assert.Equal(1, native->InputBits[3]);
    }

    [Fact]
    public unsafe void Empty_tables_have_no_storage_and_refuse_access()
    {
        using var map = new ModbusRegisterMap(0, 0, 4, 0);
        Assert.True(map.Handle.Pointer->Bits == null);
        Assert.Throws<ArgumentOutOfRangeException>(() => map.GetCoil(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.GetHoldingRegister(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.GetRegisters(ModbusTable.Coils, 0, 1));
        map.Read(tables =>
        {
            Assert.Equal(0, tables.Coils.Length);
            Assert.Equal(4, tables.HoldingRegisters.Length);
        });
    }

    [Fact]
    public async Task Disposal_is_idempotent_and_later_use_is_refused()
    {
        var master = ModbusMaster.ForTcp("127.0.0.1", 1);
        master.Dispose();
        master.Dispose();
        Assert.Throws<ObjectDisposedException>(() => master.ReadCoils(1, 0, 1));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => master.ReadCoilsAsync(1, 0, 1));
        master.Close();

        var map = new ModbusRegisterMap(1, 1, 1, 1);
        map.Dispose();
        map.Dispose();
        Assert.Throws<ObjectDisposedException>(() => map.GetCoil(0));

        var server = new ModbusTcpServer("127.0.0.1", 0);
        server.Start();
        server.Dispose();
        server.Dispose();
        await server.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => server.Start());

        var asyncServer = new ModbusTcpServer("127.0.0.1", 0);
        asyncServer.Start();
        await asyncServer.DisposeAsync();
        await asyncServer.DisposeAsync();
        await asyncServer.StopAsync();
    }

    [Fact]
    public void Ten_thousand_contexts_and_maps_are_created_and_freed()
    {
        var contexts = ModbusContextHandle.LiveCount;
        var maps = ModbusMappingHandle.LiveCount;
        for (var i = 0; i < 10_000; i++)
        {
            var master = i % 2 == 0 ? ModbusMaster.ForTcp("127.0.0.1", 1502) : ModbusMaster.ForRtu("/dev/ttyS9", 9600);
            master.Dispose();
            master.Dispose();
            using var map = new ModbusRegisterMap(16, 16, 125, 125);
        }

        Assert.Equal(contexts, ModbusContextHandle.LiveCount);
        Assert.Equal(maps, ModbusMappingHandle.LiveCount);
    }

    [Fact]
    public async Task Connections_leak_no_file_descriptors()
    {
        using var map = new ModbusRegisterMap(4, 4, 4, 4);
        var contexts = ModbusContextHandle.LiveCount;

        async Task CycleAsync(int times)
        {
            await using var server = new ModbusTcpServer("127.0.0.1", 0);
            server.AddUnit(1, map);
            server.Start();
            for (var i = 0; i < times; i++)
            {
                await using var master = ModbusMaster.ForTcp("127.0.0.1", server.Port);
                await master.ReadHoldingRegistersAsync(1, 0, 1);
            }
        }

        await CycleAsync(5); // warm up the runtime's own descriptors
        var before = OpenDescriptors();
        await CycleAsync(200);
        var after = OpenDescriptors();
        Assert.True(after <= before + 3, $"{before} descriptors before, {after} after");
        Assert.Equal(contexts, ModbusContextHandle.LiveCount);
    }

    [Fact]
    public async Task Descriptors_beyond_select_limit_are_refused_instead_of_corrupting_memory()
    {
        using var map = new ModbusRegisterMap(4, 4, 4, 4);
        map.SetHoldingRegister(0, 5);
        await using var server = new ModbusTcpServer("127.0.0.1", 0);
        server.AddUnit(1, map);
        server.Start();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        server.Error += (_, e) => errors.Enqueue(e.Exception);

        var filler = new List<FileStream>();
        try
        {
            // Push the lowest free descriptor past 1024, as in a busy process.
            while (filler.Count < 2000 && (filler.Count == 0 || filler[^1].SafeFileHandle.DangerousGetHandle() < 1030))
            {
                filler.Add(new FileStream("/dev/null", FileMode.Open, FileAccess.Read));
            }

            await using var master = ModbusMaster.ForTcp("127.0.0.1", server.Port);
            var error = await Assert.ThrowsAsync<ModbusLinkException>(() => master.ReadHoldingRegistersAsync(1, 0, 1));
            Assert.Equal(24, error.ErrorNumber);
            Assert.Contains("FD_SETSIZE", error.Message, StringComparison.Ordinal);
            Assert.False(master.IsConnected);
        }
        finally
        {
            foreach (var stream in filler)
            {
                stream.Dispose();
            }
        }

        await using var later = ModbusMaster.ForTcp("127.0.0.1", server.Port);
        Assert.Equal([5], await later.ReadHoldingRegistersAsync(1, 0, 1));
    }

    private static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;
}

/// <summary>Tests reading the process-wide handle counters run alone.</summary>
[CollectionDefinition(nameof(HandleCounting), DisableParallelization = true)]
public sealed class HandleCounting
{
}
