using System.Runtime.InteropServices;

namespace Telemetry.Modbus.Native;

/// <summary>
/// Owns one <c>modbus_t*</c>. Release closes its connection (<c>modbus_close</c>, which closes the
/// socket or restores and closes the tty) and frees it (<c>modbus_free</c>). Passing the handle to
/// the imports adds a reference for the duration of the call, so disposing it while another thread
/// is inside libmodbus defers the release until that call has returned.
/// </summary>
internal sealed class ModbusContextHandle : SafeHandle
{
    private static long _live;

    /// <summary>Used by the marshaller; the handle starts invalid.</summary>
    public ModbusContextHandle()
        : base(0, ownsHandle: true)
    {
    }

    /// <summary>Contexts allocated and not yet released, process-wide (for leak tests).</summary>
    internal static long LiveCount => Interlocked.Read(ref _live);

    public override bool IsInvalid => handle == 0;

    /// <summary>Takes ownership of a pointer returned by one of the <c>modbus_new_*</c> functions.</summary>
    internal static ModbusContextHandle Own(nint pointer)
    {
        var owned = new ModbusContextHandle();
        if (pointer != 0)
        {
            Interlocked.Increment(ref _live);
            owned.SetHandle(pointer);
        }

        return owned;
    }

    protected override bool ReleaseHandle()
    {
        LibModbus.Close(handle);
        LibModbus.Free(handle);
        Interlocked.Decrement(ref _live);
        return true;
    }
}
