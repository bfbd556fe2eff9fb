using System.Runtime.InteropServices;
using Telemetry.Modbus.Native;

namespace Telemetry.Modbus;

/// <summary>The four Modbus data tables.</summary>
public enum ModbusTable
{
    /// <summary>Read/write bits (0x references): functions 1, 5, 15.</summary>
    Coils,

    /// <summary>Read-only bits (1x references): function 2.</summary>
    DiscreteInputs,

    /// <summary>Read/write 16-bit registers (4x references): functions 3, 6, 16, 23.</summary>
    HoldingRegisters,

    /// <summary>Read-only 16-bit registers (3x references): function 4.</summary>
    InputRegisters,
}

/// <summary>A block of consecutive protocol addresses: <paramref name="Start"/> .. <paramref name="Start"/> + <paramref name="Count"/> - 1.</summary>
/// <param name="Start">First address, 0 to 65535.</param>
/// <param name="Count">Number of addresses; 0 for an absent table.</param>
public readonly record struct ModbusAddressRange(int Start, int Count)
{
    /// <summary>No addresses: requests to this table get <see cref="ModbusExceptionCode.IllegalDataAddress"/>.</summary>
    public static ModbusAddressRange None => default;

    /// <summary>Whether <paramref name="address"/> .. <paramref name="address"/> + <paramref name="count"/> - 1 lies inside the range.</summary>
    /// <param name="address">First address.</param>
    /// <param name="count">Number of addresses (at least 1).</param>
    /// <returns>True when the whole block is inside.</returns>
    public bool Contains(int address, int count) => count >= 1 && address >= Start && (long)address + count <= (long)Start + Count;

    internal void Validate(string name)
    {
        if (Start is < 0 or > 0xFFFF || Count < 0 || (long)Start + Count > 0x10000)
        {
            throw new ArgumentOutOfRangeException(name, this, "The range must lie within addresses 0 to 65535.");
        }
    }
}

/// <summary>The four tables of a map as spans, valid only inside <see cref="ModbusRegisterMap.Update"/> or <see cref="ModbusRegisterMap.Read"/>.</summary>
/// <remarks>Index 0 of each span is the first address of the table's range. Bits are one byte each, 0 or 1 (libmodbus's layout).</remarks>
public readonly ref struct ModbusTables
{
    internal ModbusTables(Span<byte> coils, Span<byte> discreteInputs, Span<ushort> holdingRegisters, Span<ushort> inputRegisters)
    {
        Coils = coils;
        DiscreteInputs = discreteInputs;
        HoldingRegisters = holdingRegisters;
        InputRegisters = inputRegisters;
    }

    /// <summary>Coils, one byte (0 or 1) per coil.</summary>
    public Span<byte> Coils { get; }

    /// <summary>Discrete inputs, one byte (0 or 1) per input.</summary>
    public Span<byte> DiscreteInputs { get; }

    /// <summary>Holding registers.</summary>
    public Span<ushort> HoldingRegisters { get; }

    /// <summary>Input registers.</summary>
    public Span<ushort> InputRegisters { get; }
}

/// <summary>Edits or reads the tables of a map in one locked step.</summary>
/// <param name="tables">The tables; do not keep the spans past the call.</param>
public delegate void ModbusTablesAction(ModbusTables tables);

/// <summary>
/// The data of one simulated unit: a libmodbus <c>modbus_mapping_t</c> made by
/// <c>modbus_mapping_new_start_address</c>, so each table covers only its own address range.
/// </summary>
/// <remarks>
/// All accessors take the map's lock, and so do the servers while <c>modbus_reply</c> reads or writes the
/// tables: a simulation thread may update values while requests are served, and a multi-value request
/// sees (or writes) one consistent snapshot. Addresses are protocol addresses (0-based), not 4xxxx
/// references. Accessing an address outside a table's range throws <see cref="ArgumentOutOfRangeException"/>.
/// </remarks>
public sealed unsafe class ModbusRegisterMap : IDisposable
{
    private readonly ModbusMappingHandle _mapping;
    private readonly Lock _lock = new();

    /// <summary>Allocates the four tables, all values zero.</summary>
    /// <param name="coils">Coil addresses served.</param>
    /// <param name="discreteInputs">Discrete input addresses served.</param>
    /// <param name="holdingRegisters">Holding register addresses served.</param>
    /// <param name="inputRegisters">Input register addresses served.</param>
    /// <exception cref="ArgumentOutOfRangeException">A range runs outside 0..65535.</exception>
    /// <exception cref="OutOfMemoryException">libmodbus could not allocate the tables.</exception>
    public ModbusRegisterMap(ModbusAddressRange coils, ModbusAddressRange discreteInputs, ModbusAddressRange holdingRegisters, ModbusAddressRange inputRegisters)
    {
        coils.Validate(nameof(coils));
        discreteInputs.Validate(nameof(discreteInputs));
        holdingRegisters.Validate(nameof(holdingRegisters));
        inputRegisters.Validate(nameof(inputRegisters));
        var pointer = LibModbus.MappingNewStartAddress(
            (uint)coils.Start, (uint)coils.Count,
            (uint)discreteInputs.Start, (uint)discreteInputs.Count,
            (uint)holdingRegisters.Start, (uint)holdingRegisters.Count,
            (uint)inputRegisters.Start, (uint)inputRegisters.Count);
        if (pointer == 0)
        {
            throw new OutOfMemoryException($"modbus_mapping_new_start_address failed: {LibModbus.ErrorText(Marshal.GetLastPInvokeError())}");
        }

        _mapping = ModbusMappingHandle.Own(pointer);
        Coils = coils;
        DiscreteInputs = discreteInputs;
        HoldingRegisters = holdingRegisters;
        InputRegisters = inputRegisters;
    }

    /// <summary>A map whose four tables all start at 0.</summary>
    /// <param name="coils">Number of coils.</param>
    /// <param name="discreteInputs">Number of discrete inputs.</param>
    /// <param name="holdingRegisters">Number of holding registers.</param>
    /// <param name="inputRegisters">Number of input registers.</param>
    public ModbusRegisterMap(int coils, int discreteInputs, int holdingRegisters, int inputRegisters)
        : this(new ModbusAddressRange(0, coils), new ModbusAddressRange(0, discreteInputs), new ModbusAddressRange(0, holdingRegisters), new ModbusAddressRange(0, inputRegisters))
    {
    }

    /// <summary>Coil addresses served.</summary>
    public ModbusAddressRange Coils { get; }

    /// <summary>Discrete input addresses served.</summary>
    public ModbusAddressRange DiscreteInputs { get; }

    /// <summary>Holding register addresses served.</summary>
    public ModbusAddressRange HoldingRegisters { get; }

    /// <summary>Input register addresses served.</summary>
    public ModbusAddressRange InputRegisters { get; }

    internal ModbusMappingHandle Handle => _mapping;

    internal Lock SyncRoot => _lock;

    /// <summary>The address range of <paramref name="table"/>.</summary>
    /// <param name="table">Which table.</param>
    /// <returns>Its range.</returns>
    public ModbusAddressRange RangeOf(ModbusTable table) => table switch
    {
        ModbusTable.Coils => Coils,
        ModbusTable.DiscreteInputs => DiscreteInputs,
        ModbusTable.HoldingRegisters => HoldingRegisters,
        ModbusTable.InputRegisters => InputRegisters,
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "Unknown table."),
    };

    /// <summary>Reads one coil.</summary>
    /// <param name="address">Protocol address.</param>
    /// <returns>Its state.</returns>
    public bool GetCoil(int address) => GetBits(ModbusTable.Coils, address, 1)[0];

    /// <summary>Sets one coil.</summary>
    /// <param name="address">Protocol address.</param>
    /// <param name="value">New state.</param>
    public void SetCoil(int address, bool value) => SetBits(ModbusTable.Coils, address, [value]);

    /// <summary>Reads one discrete input.</summary>
    /// <param name="address">Protocol address.</param>
    /// <returns>Its state.</returns>
    public bool GetDiscreteInput(int address) => GetBits(ModbusTable.DiscreteInputs, address, 1)[0];

    /// <summary>Sets one discrete input (what the simulated device "sees").</summary>
    /// <param name="address">Protocol address.</param>
    /// <param name="value">New state.</param>
    public void SetDiscreteInput(int address, bool value) => SetBits(ModbusTable.DiscreteInputs, address, [value]);

    /// <summary>Reads one holding register.</summary>
    /// <param name="address">Protocol address.</param>
    /// <returns>Its value.</returns>
    public ushort GetHoldingRegister(int address) => GetRegisters(ModbusTable.HoldingRegisters, address, 1)[0];

    /// <summary>Sets one holding register.</summary>
    /// <param name="address">Protocol address.</param>
    /// <param name="value">New value.</param>
    public void SetHoldingRegister(int address, ushort value) => SetRegisters(ModbusTable.HoldingRegisters, address, [value]);

    /// <summary>Reads one input register.</summary>
    /// <param name="address">Protocol address.</param>
    /// <returns>Its value.</returns>
    public ushort GetInputRegister(int address) => GetRegisters(ModbusTable.InputRegisters, address, 1)[0];

    /// <summary>Sets one input register (a measurement of the simulated device).</summary>
    /// <param name="address">Protocol address.</param>
    /// <param name="value">New value.</param>
    public void SetInputRegister(int address, ushort value) => SetRegisters(ModbusTable.InputRegisters, address, [value]);

    /// <summary>Reads consecutive bits of <see cref="ModbusTable.Coils"/> or <see cref="ModbusTable.DiscreteInputs"/>.</summary>
    /// <param name="table">A bit table.</param>
    /// <param name="address">First protocol address.</param>
    /// <param name="count">Number of bits.</param>
    /// <returns>The states.</returns>
    public bool[] GetBits(ModbusTable table, int address, int count)
    {
        var result = new bool[count];
        WithTable(table, address, count, bits: true, (tables, offset) =>
        {
            var span = table == ModbusTable.Coils ? tables.Coils : tables.DiscreteInputs;
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = span[offset + i] != 0;
            }
        });
        return result;
    }

    /// <summary>Writes consecutive bits of <see cref="ModbusTable.Coils"/> or <see cref="ModbusTable.DiscreteInputs"/>.</summary>
    /// <param name="table">A bit table.</param>
    /// <param name="address">First protocol address.</param>
    /// <param name="values">The states.</param>
    public void SetBits(ModbusTable table, int address, IReadOnlyList<bool> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        WithTable(table, address, values.Count, bits: true, (tables, offset) =>
        {
            var span = table == ModbusTable.Coils ? tables.Coils : tables.DiscreteInputs;
            for (var i = 0; i < values.Count; i++)
            {
                span[offset + i] = values[i] ? (byte)1 : (byte)0;
            }
        });
    }

    /// <summary>Reads consecutive registers of <see cref="ModbusTable.HoldingRegisters"/> or <see cref="ModbusTable.InputRegisters"/>.</summary>
    /// <param name="table">A register table.</param>
    /// <param name="address">First protocol address.</param>
    /// <param name="count">Number of registers.</param>
    /// <returns>The values.</returns>
    public ushort[] GetRegisters(ModbusTable table, int address, int count)
    {
        var result = new ushort[count];
        WithTable(table, address, count, bits: false, (tables, offset) =>
        {
            var span = table == ModbusTable.HoldingRegisters ? tables.HoldingRegisters : tables.InputRegisters;
            span.Slice(offset, result.Length).CopyTo(result);
        });
        return result;
    }

    /// <summary>Writes consecutive registers of <see cref="ModbusTable.HoldingRegisters"/> or <see cref="ModbusTable.InputRegisters"/>.</summary>
    /// <param name="table">A register table.</param>
    /// <param name="address">First protocol address.</param>
    /// <param name="values">The values.</param>
    public void SetRegisters(ModbusTable table, int address, IReadOnlyList<ushort> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        WithTable(table, address, values.Count, bits: false, (tables, offset) =>
        {
            var span = table == ModbusTable.HoldingRegisters ? tables.HoldingRegisters : tables.InputRegisters;
            for (var i = 0; i < values.Count; i++)
            {
                span[offset + i] = values[i];
            }
        });
    }

    /// <summary>Runs <paramref name="action"/> with the map locked: several values change together, between two requests.</summary>
    /// <param name="action">Edits the tables; keep it short, requests for this unit wait meanwhile.</param>
    public void Update(ModbusTablesAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Locked(action);
    }

    /// <summary>Runs <paramref name="action"/> with the map locked, to read several values consistently.</summary>
    /// <param name="action">Reads the tables (writing is possible but use <see cref="Update"/> to say so).</param>
    public void Read(ModbusTablesAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Locked(action);
    }

    /// <summary>Frees the tables (<c>modbus_mapping_free</c>). Idempotent. Remove the map from servers first; a request still being answered keeps it alive until it is done.</summary>
    public void Dispose() => _mapping.Dispose();

    private void WithTable(ModbusTable table, int address, int count, bool bits, Action<ModbusTables, int> action)
    {
        var isBitTable = table is ModbusTable.Coils or ModbusTable.DiscreteInputs;
        if (isBitTable != bits)
        {
            throw new ArgumentOutOfRangeException(nameof(table), table, bits ? "Not a bit table." : "Not a register table.");
        }

        var range = RangeOf(table);
        if (count < 1 || !range.Contains(address, count))
        {
            throw new ArgumentOutOfRangeException(nameof(address), address, $"{table} {address}..{address + count - 1} is outside the map's {range.Start}..{range.Start + range.Count - 1}.");
        }

        var offset = address - range.Start;
        Locked(tables => action(tables, offset));
    }

    private void Locked(ModbusTablesAction action)
    {
        var added = false;
        try
        {
            _mapping.DangerousAddRef(ref added);
            lock (_lock)
            {
                var native = _mapping.Pointer;
                action(new ModbusTables(
                    new Span<byte>(native->Bits, native->BitCount),
                    new Span<byte>(native->InputBits, native->InputBitCount),
                    new Span<ushort>(native->Registers, native->RegisterCount),
                    new Span<ushort>(native->InputRegisters, native->InputRegisterCount)));
            }
        }
        finally
        {
            if (added)
            {
                _mapping.DangerousRelease();
            }
        }
    }
}
