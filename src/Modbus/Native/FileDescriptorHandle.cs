using System.Runtime.InteropServices;

namespace Telemetry.Modbus.Native;

/// <summary>Owns a POSIX file descriptor libmodbus handed out but does not keep (the listening socket).</summary>
internal sealed class FileDescriptorHandle : SafeHandle
{
    public FileDescriptorHandle(int fd)
        : base(-1, ownsHandle: true)
    {
        SetHandle(fd);
    }

    public override bool IsInvalid => handle < 0;

    /// <summary>The descriptor; only meaningful while the handle is open.</summary>
    public int Fd => (int)handle;

    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
}
