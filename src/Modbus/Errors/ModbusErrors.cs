using Telemetry.Modbus.Native;

namespace Telemetry.Modbus;

/// <summary>The errno values libmodbus 3.1.6 sets (modbus.h) and the Linux ones it passes through.</summary>
internal static class ModbusErrno
{
    public const int EnoBase = LibModbus.ModbusEnoBase;

    // EMBXILFUN .. EMBXGTAR = MODBUS_ENOBASE + exception code (1..11).
    public const int Embxilfun = EnoBase + 1;
    public const int Embxgtar = EnoBase + 11;

    // Native libmodbus error codes, after EMBXGTAR.
    public const int Embbadcrc = Embxgtar + 1;
    public const int Embbaddata = Embxgtar + 2;
    public const int Embbadexc = Embxgtar + 3;
    public const int Embunkexc = Embxgtar + 4;
    public const int Embmdata = Embxgtar + 5;
    public const int Embbadslave = Embxgtar + 6;

    // Linux errno.h.
    public const int EBADF = 9;
    public const int EINVAL = 22;
    public const int ENOTTY = 25;
    public const int EPIPE = 32;
    public const int ECONNRESET = 104;
    public const int ETIMEDOUT = 110;
    public const int ECONNREFUSED = 111;
    public const int EINPROGRESS = 115;
}

/// <summary>Where a failure happened, for the exception message.</summary>
internal readonly record struct ModbusCallSite(string Operation, string? Endpoint, int? UnitId = null, int? Address = null, int? Count = null);

/// <summary>Turns errno into the typed exceptions.</summary>
internal static class ModbusErrors
{
    public static ModbusException FromErrno(int errno, in ModbusCallSite site)
    {
        var text = LibModbus.ErrorText(errno);
        if (errno > ModbusErrno.EnoBase && errno <= ModbusErrno.Embxgtar)
        {
            return new ModbusExceptionResponse((ModbusExceptionCode)(errno - ModbusErrno.EnoBase), site.Operation, site.Endpoint, site.UnitId, site.Address, site.Count, errno, text);
        }

        if (errno >= ModbusErrno.Embbadcrc && errno <= ModbusErrno.Embbadslave)
        {
            return new ModbusFrameException(site.Operation, site.Endpoint, site.UnitId, site.Address, site.Count, errno, text);
        }

        if (errno == ModbusErrno.ETIMEDOUT)
        {
            return new ModbusTimeoutException(site.Operation, site.Endpoint, site.UnitId, site.Address, site.Count, errno, text);
        }

        if (errno == ModbusErrno.EINPROGRESS)
        {
            // A non-blocking connect that select() gave up on: libmodbus leaves EINPROGRESS in errno.
            text = "connection not established within the response timeout";
        }

        return new ModbusLinkException(site.Operation, site.Endpoint, site.UnitId, site.Address, site.Count, errno, text);
    }
}
