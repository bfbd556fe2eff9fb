using System.Runtime.InteropServices;

namespace Telemetry.Modbus.Native;

/// <summary>
/// Layout of <c>modbus_mapping_t</c> in libmodbus 3.1.x (<c>modbus.h</c>): eight <c>int</c>s, each count
/// before its start address and the input registers before the holding registers, then the four table
/// pointers in the same order. Note that <c>modbus_mapping_new_start_address</c> takes its arguments in
/// another order (start before count, holding registers before input registers).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ModbusMappingNative
{
    public int BitCount;
    public int BitStart;
    public int InputBitCount;
    public int InputBitStart;
    public int InputRegisterCount;
    public int InputRegisterStart;
    public int RegisterCount;
    public int RegisterStart;
    public byte* Bits;
    public byte* InputBits;
    public ushort* InputRegisters;
    public ushort* Registers;
}

/// <summary>Owns one <c>modbus_mapping_t*</c>; release is <c>modbus_mapping_free</c>.</summary>
internal sealed unsafe class ModbusMappingHandle : SafeHandle
{
    private static long _live;

    /// <summary>Used by the marshaller; the handle starts invalid.</summary>
    public ModbusMappingHandle()
        : base(0, ownsHandle: true)
    {
    }

    /// <summary>Mappings allocated and not yet released, process-wide (for leak tests).</summary>
    internal static long LiveCount => Interlocked.Read(ref _live);

    public override bool IsInvalid => handle == 0;

    /// <summary>The structure itself; valid while a reference on the handle is held.</summary>
    internal ModbusMappingNative* Pointer => (ModbusMappingNative*)handle;

    internal static ModbusMappingHandle Own(nint pointer)
    {
        var owned = new ModbusMappingHandle();
        if (pointer != 0)
        {
            Interlocked.Increment(ref _live);
            owned.SetHandle(pointer);
        }

        return owned;
    }

    protected override bool ReleaseHandle()
    {
        LibModbus.MappingFree(handle);
        Interlocked.Decrement(ref _live);
        return true;
    }
}
