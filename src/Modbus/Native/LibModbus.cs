using System.Reflection;
using System.Runtime.InteropServices;

namespace Telemetry.Modbus.Native;

/// <summary>
/// The libmodbus 3.1.6 entry points used by this binding (Debian's <c>libmodbus5</c>).
/// Signatures follow <c>modbus.h</c>, <c>modbus-tcp.h</c> and <c>modbus-rtu.h</c> of 3.1.x.
/// Every call that can fail sets <c>errno</c>, so every import captures it
/// (<see cref="Marshal.GetLastPInvokeError"/>).
/// </summary>
internal static unsafe partial class LibModbus
{
    /// <summary>The name the imports use; resolved to <c>libmodbus.so.5</c> so the -dev package is not needed.</summary>
    internal const string Library = "modbus";

    /// <summary>Also resolved here, to <c>libc.so.6</c>.</summary>
    internal const string LibC = "libc";

    // modbus.h
    internal const int ModbusEnoBase = 112345678;
    internal const int MaxReadBits = 2000;
    internal const int MaxWriteBits = 1968;
    internal const int MaxReadRegisters = 125;
    internal const int MaxWriteRegisters = 123;
    internal const int MaxWriteAndReadWriteRegisters = 121;
    internal const int MaxWriteAndReadReadRegisters = 125;
    internal const int MaxAduLength = 260;
    internal const int TcpSlave = 0xFF;

    /// <summary>
    /// libmodbus 3.1.6 waits with select(), whose fd_set holds descriptors below FD_SETSIZE only; FD_SET on a
    /// larger one writes past the set. Connections whose descriptor is not below this are refused.
    /// </summary>
    internal const int SelectLimit = 1024;

    // modbus-rtu.h
    internal const int RtuRs232 = 0;
    internal const int RtuRs485 = 1;
    internal const int RtuRtsNone = 0;
    internal const int RtuRtsUp = 1;
    internal const int RtuRtsDown = 2;

    static LibModbus()
    {
        NativeLibrary.SetDllImportResolver(typeof(LibModbus).Assembly, Resolve);
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        string[] candidates = libraryName switch
        {
            Library => ["libmodbus.so.5", "libmodbus.so", "libmodbus.5.dylib", "libmodbus.dylib", "libmodbus-5.dll", "modbus.dll"],
            LibC => ["libc.so.6", "libc"],
            _ => [],
        };
        foreach (var candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle))
            {
                return handle;
            }
        }

        return 0; // let the runtime try its defaults (and report its own error)
    }

    /// <summary>Runs the static constructor (and so installs the resolver) without a native call.</summary>
    internal static void EnsureResolver()
    {
    }

    // Contexts.
    [LibraryImport(Library, EntryPoint = "modbus_new_tcp", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial nint NewTcp(string? ip, int port);

    [LibraryImport(Library, EntryPoint = "modbus_new_tcp_pi", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial nint NewTcpPi(string? node, string service);

    [LibraryImport(Library, EntryPoint = "modbus_new_rtu", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial nint NewRtu(string device, int baud, byte parity, int dataBits, int stopBits);

    [LibraryImport(Library, EntryPoint = "modbus_connect", SetLastError = true)]
    internal static partial int Connect(ModbusContextHandle ctx);

    /// <summary>Raw pointer form: used by the handle's release only.</summary>
    [LibraryImport(Library, EntryPoint = "modbus_close")]
    internal static partial void Close(nint ctx);

    [LibraryImport(Library, EntryPoint = "modbus_close")]
    internal static partial void Close(ModbusContextHandle ctx);

    [LibraryImport(Library, EntryPoint = "modbus_free")]
    internal static partial void Free(nint ctx);

    [LibraryImport(Library, EntryPoint = "modbus_flush", SetLastError = true)]
    internal static partial int Flush(ModbusContextHandle ctx);

    [LibraryImport(Library, EntryPoint = "modbus_set_slave", SetLastError = true)]
    internal static partial int SetSlave(ModbusContextHandle ctx, int slave);

    [LibraryImport(Library, EntryPoint = "modbus_get_slave", SetLastError = true)]
    internal static partial int GetSlave(ModbusContextHandle ctx);

    [LibraryImport(Library, EntryPoint = "modbus_set_error_recovery", SetLastError = true)]
    internal static partial int SetErrorRecovery(ModbusContextHandle ctx, int mode);

    [LibraryImport(Library, EntryPoint = "modbus_set_socket", SetLastError = true)]
    internal static partial int SetSocket(ModbusContextHandle ctx, int socket);

    [LibraryImport(Library, EntryPoint = "modbus_get_socket", SetLastError = true)]
    internal static partial int GetSocket(ModbusContextHandle ctx);

    [LibraryImport(Library, EntryPoint = "modbus_set_response_timeout", SetLastError = true)]
    internal static partial int SetResponseTimeout(ModbusContextHandle ctx, uint seconds, uint microseconds);

    [LibraryImport(Library, EntryPoint = "modbus_get_response_timeout", SetLastError = true)]
    internal static partial int GetResponseTimeout(ModbusContextHandle ctx, out uint seconds, out uint microseconds);

    [LibraryImport(Library, EntryPoint = "modbus_set_byte_timeout", SetLastError = true)]
    internal static partial int SetByteTimeout(ModbusContextHandle ctx, uint seconds, uint microseconds);

    [LibraryImport(Library, EntryPoint = "modbus_get_byte_timeout", SetLastError = true)]
    internal static partial int GetByteTimeout(ModbusContextHandle ctx, out uint seconds, out uint microseconds);

    [LibraryImport(Library, EntryPoint = "modbus_get_header_length", SetLastError = true)]
    internal static partial int GetHeaderLength(ModbusContextHandle ctx);

    /// <summary>Returns a pointer to a static string (or strerror's buffer): never freed, so not marshalled as a string.</summary>
    [LibraryImport(Library, EntryPoint = "modbus_strerror")]
    internal static partial nint StrError(int errnum);

    // RTU.
    [LibraryImport(Library, EntryPoint = "modbus_rtu_set_serial_mode", SetLastError = true)]
    internal static partial int RtuSetSerialMode(ModbusContextHandle ctx, int mode);

    [LibraryImport(Library, EntryPoint = "modbus_rtu_get_serial_mode", SetLastError = true)]
    internal static partial int RtuGetSerialMode(ModbusContextHandle ctx);

    [LibraryImport(Library, EntryPoint = "modbus_rtu_set_rts", SetLastError = true)]
    internal static partial int RtuSetRts(ModbusContextHandle ctx, int mode);

    [LibraryImport(Library, EntryPoint = "modbus_rtu_get_rts", SetLastError = true)]
    internal static partial int RtuGetRts(ModbusContextHandle ctx);

    [LibraryImport(Library, EntryPoint = "modbus_rtu_set_rts_delay", SetLastError = true)]
    internal static partial int RtuSetRtsDelay(ModbusContextHandle ctx, int microseconds);

    [LibraryImport(Library, EntryPoint = "modbus_rtu_get_rts_delay", SetLastError = true)]
    internal static partial int RtuGetRtsDelay(ModbusContextHandle ctx);

    // Master.
    [LibraryImport(Library, EntryPoint = "modbus_read_bits", SetLastError = true)]
    internal static partial int ReadBits(ModbusContextHandle ctx, int address, int count, byte* destination);

    [LibraryImport(Library, EntryPoint = "modbus_read_input_bits", SetLastError = true)]
    internal static partial int ReadInputBits(ModbusContextHandle ctx, int address, int count, byte* destination);

    [LibraryImport(Library, EntryPoint = "modbus_read_registers", SetLastError = true)]
    internal static partial int ReadRegisters(ModbusContextHandle ctx, int address, int count, ushort* destination);

    [LibraryImport(Library, EntryPoint = "modbus_read_input_registers", SetLastError = true)]
    internal static partial int ReadInputRegisters(ModbusContextHandle ctx, int address, int count, ushort* destination);

    [LibraryImport(Library, EntryPoint = "modbus_write_bit", SetLastError = true)]
    internal static partial int WriteBit(ModbusContextHandle ctx, int address, int status);

    [LibraryImport(Library, EntryPoint = "modbus_write_register", SetLastError = true)]
    internal static partial int WriteRegister(ModbusContextHandle ctx, int address, int value);

    [LibraryImport(Library, EntryPoint = "modbus_write_bits", SetLastError = true)]
    internal static partial int WriteBits(ModbusContextHandle ctx, int address, int count, byte* source);

    [LibraryImport(Library, EntryPoint = "modbus_write_registers", SetLastError = true)]
    internal static partial int WriteRegisters(ModbusContextHandle ctx, int address, int count, ushort* source);

    [LibraryImport(Library, EntryPoint = "modbus_write_and_read_registers", SetLastError = true)]
    internal static partial int WriteAndReadRegisters(
        ModbusContextHandle ctx, int writeAddress, int writeCount, ushort* source, int readAddress, int readCount, ushort* destination);

    // Server.
    [LibraryImport(Library, EntryPoint = "modbus_mapping_new_start_address", SetLastError = true)]
    internal static partial nint MappingNewStartAddress(
        uint startBits, uint bitCount,
        uint startInputBits, uint inputBitCount,
        uint startRegisters, uint registerCount,
        uint startInputRegisters, uint inputRegisterCount);

    [LibraryImport(Library, EntryPoint = "modbus_mapping_free")]
    internal static partial void MappingFree(nint mapping);

    [LibraryImport(Library, EntryPoint = "modbus_receive", SetLastError = true)]
    internal static partial int Receive(ModbusContextHandle ctx, byte* request);

    [LibraryImport(Library, EntryPoint = "modbus_reply", SetLastError = true)]
    internal static partial int Reply(ModbusContextHandle ctx, byte* request, int requestLength, ModbusMappingHandle mapping);

    [LibraryImport(Library, EntryPoint = "modbus_reply_exception", SetLastError = true)]
    internal static partial int ReplyException(ModbusContextHandle ctx, byte* request, uint exceptionCode);

    [LibraryImport(Library, EntryPoint = "modbus_tcp_listen", SetLastError = true)]
    internal static partial int TcpListen(ModbusContextHandle ctx, int connectionBacklog);

    [LibraryImport(Library, EntryPoint = "modbus_tcp_accept", SetLastError = true)]
    internal static partial int TcpAccept(ModbusContextHandle ctx, ref int listeningSocket);

    [LibraryImport(Library, EntryPoint = "modbus_tcp_pi_listen", SetLastError = true)]
    internal static partial int TcpPiListen(ModbusContextHandle ctx, int connectionBacklog);

    [LibraryImport(Library, EntryPoint = "modbus_tcp_pi_accept", SetLastError = true)]
    internal static partial int TcpPiAccept(ModbusContextHandle ctx, ref int listeningSocket);

    /// <summary>A link error when <paramref name="fd"/> is too large for libmodbus's select(); null when usable.</summary>
    internal static ModbusLinkException? CheckSelectable(int fd, string operation, string? endpoint)
    {
        const int EMFILE = 24;
        return fd < SelectLimit
            ? null
            : new ModbusLinkException(operation, endpoint, null, null, null, EMFILE, $"descriptor {fd} is not below FD_SETSIZE ({SelectLimit}), which libmodbus's select() requires");
    }

    /// <summary>libmodbus's text for an errno value (its own codes or strerror's).</summary>
    internal static string ErrorText(int errno)
    {
        var text = Marshal.PtrToStringUTF8(StrError(errno));
        return string.IsNullOrEmpty(text) ? $"errno {errno}" : text;
    }
}
