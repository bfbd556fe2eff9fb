namespace Telemetry.Modbus;

/// <summary>Parity of a serial line (<c>'N'</c>, <c>'E'</c>, <c>'O'</c> for <c>modbus_new_rtu</c>).</summary>
public enum ModbusParity
{
    /// <summary>No parity bit (the Modbus specification then asks for 2 stop bits, though many devices use 1).</summary>
    None,

    /// <summary>Even parity: the Modbus RTU default.</summary>
    Even,

    /// <summary>Odd parity.</summary>
    Odd,
}

/// <summary>Electrical mode of the serial port (<c>modbus_rtu_set_serial_mode</c>).</summary>
public enum ModbusSerialMode
{
    /// <summary>Leave the port as it is (<c>MODBUS_RTU_RS232</c>, libmodbus's default).</summary>
    Rs232 = 0,

    /// <summary>
    /// Ask the kernel driver for RS-485 half-duplex (<c>MODBUS_RTU_RS485</c>, <c>TIOCSRS485</c>). Only
    /// UART drivers with RS-485 support accept it; others fail the connect with a <see cref="ModbusLinkException"/>.
    /// </summary>
    Rs485 = 1,
}

/// <summary>How libmodbus drives the RTS line around each frame it sends (<c>modbus_rtu_set_rts</c>).</summary>
public enum ModbusRtsMode
{
    /// <summary>RTS is not touched (<c>MODBUS_RTU_RTS_NONE</c>).</summary>
    None = 0,

    /// <summary>RTS is raised while sending (<c>MODBUS_RTU_RTS_UP</c>).</summary>
    Up = 1,

    /// <summary>RTS is lowered while sending (<c>MODBUS_RTU_RTS_DOWN</c>).</summary>
    Down = 2,
}

/// <summary>libmodbus's own recovery on errors (<c>modbus_set_error_recovery</c>); flags may be combined.</summary>
[Flags]
public enum ModbusErrorRecovery
{
    /// <summary>No recovery by libmodbus (<c>MODBUS_ERROR_RECOVERY_NONE</c>): the binding reports and reconnects on the next call.</summary>
    None = 0,

    /// <summary>
    /// <c>MODBUS_ERROR_RECOVERY_LINK</c>: libmodbus reconnects itself after link errors. Beware: on a
    /// failing send it loops close/sleep/connect until it succeeds, so a call can block for as long as the
    /// peer is down, and cancellation cannot interrupt it.
    /// </summary>
    Link = 1 << 1,

    /// <summary><c>MODBUS_ERROR_RECOVERY_PROTOCOL</c>: sleep for the response timeout and flush after a malformed answer.</summary>
    Protocol = 1 << 2,
}

/// <summary>A serial line: device path and framing. Used by RTU masters and servers.</summary>
/// <param name="Device">The tty, e.g. <c>/dev/ttyUSB0</c> or a pseudo-terminal.</param>
/// <param name="BaudRate">One of the rates termios knows (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200...).</param>
/// <param name="Parity">Parity; Modbus RTU's default is even.</param>
/// <param name="DataBits">5 to 8; Modbus RTU uses 8.</param>
/// <param name="StopBits">1 or 2.</param>
public sealed record ModbusSerialLine(string Device, int BaudRate, ModbusParity Parity = ModbusParity.Even, int DataBits = 8, int StopBits = 1)
{
    // libmodbus 3.1.6 maps these to termios constants and silently falls back to 9600 for any other value.
    private static readonly int[] SupportedBaudRates =
    [
        110, 300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 500000, 576000,
        921600, 1000000, 1152000, 1500000, 2500000, 3000000, 3500000, 4000000,
    ];

    /// <summary>Rejects values libmodbus would refuse or silently replace.</summary>
    /// <exception cref="ArgumentException">The device is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Baud rate, data bits or stop bits are not supported.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Device))
        {
            throw new ArgumentException("The serial device must be named.", nameof(Device));
        }

        if (Array.IndexOf(SupportedBaudRates, BaudRate) < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BaudRate), BaudRate, $"Unsupported baud rate (libmodbus would silently use 9600); use one of {string.Join(", ", SupportedBaudRates)}.");
        }

        if (DataBits is < 5 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(DataBits), DataBits, "Data bits must be 5 to 8.");
        }

        if (StopBits is < 1 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(StopBits), StopBits, "Stop bits must be 1 or 2.");
        }

        if (!Enum.IsDefined(Parity))
        {
            throw new ArgumentOutOfRangeException(nameof(Parity), Parity, "Unknown parity.");
        }
    }

    /// <summary>E.g. <c>/dev/ttyUSB0 9600 8E1</c>.</summary>
    public override string ToString() => $"{Device} {BaudRate} {DataBits}{ParityLetter}{StopBits}";

    internal char ParityLetter => Parity switch
    {
        ModbusParity.None => 'N',
        ModbusParity.Odd => 'O',
        _ => 'E',
    };
}

/// <summary>Settings of a master; the defaults are libmodbus's.</summary>
public sealed class ModbusMasterOptions
{
    /// <summary>How long to wait for the first byte of an answer (and for a TCP connect). libmodbus default 0.5 s; must be positive.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest silence allowed between two bytes of one answer. libmodbus default 0.5 s; <see cref="TimeSpan.Zero"/> disables it.</summary>
    public TimeSpan ByteTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>libmodbus's own recovery mode; <see cref="ModbusErrorRecovery.None"/> by default.</summary>
    public ModbusErrorRecovery ErrorRecovery { get; init; } = ModbusErrorRecovery.None;

    /// <summary>RTU only: RS-232 (default) or the driver's RS-485 mode.</summary>
    public ModbusSerialMode SerialMode { get; init; } = ModbusSerialMode.Rs232;

    /// <summary>RTU only: RTS handling around each frame sent.</summary>
    public ModbusRtsMode RtsMode { get; init; } = ModbusRtsMode.None;

    /// <summary>RTU only: delay before and after sending when RTS is driven; <see langword="null"/> keeps libmodbus's default (one character time).</summary>
    public TimeSpan? RtsDelay { get; init; }

    internal void Validate()
    {
        ModbusTime.RequirePositive(ResponseTimeout, nameof(ResponseTimeout));
        ModbusTime.RequireNonNegative(ByteTimeout, nameof(ByteTimeout));
        if ((ErrorRecovery & ~(ModbusErrorRecovery.Link | ModbusErrorRecovery.Protocol)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ErrorRecovery), ErrorRecovery, "Unknown error recovery flags.");
        }

        if (!Enum.IsDefined(SerialMode))
        {
            throw new ArgumentOutOfRangeException(nameof(SerialMode), SerialMode, "Unknown serial mode.");
        }

        if (!Enum.IsDefined(RtsMode))
        {
            throw new ArgumentOutOfRangeException(nameof(RtsMode), RtsMode, "Unknown RTS mode.");
        }

        if (RtsDelay is { } delay && (delay < TimeSpan.Zero || delay.TotalMicroseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(nameof(RtsDelay), delay, "The RTS delay must be between 0 and int.MaxValue microseconds.");
        }
    }
}

/// <summary>Conversions of <see cref="TimeSpan"/> to libmodbus's (seconds, microseconds) pairs.</summary>
internal static class ModbusTime
{
    public static (uint Seconds, uint Microseconds) Split(TimeSpan value)
    {
        var microseconds = (long)value.TotalMicroseconds;
        return ((uint)(microseconds / 1_000_000), (uint)(microseconds % 1_000_000));
    }

    public static void RequirePositive(TimeSpan value, string name)
    {
        if (value.TotalMicroseconds < 1 || value.TotalSeconds >= uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(name, value, "The timeout must be at least one microsecond.");
        }
    }

    public static void RequireNonNegative(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero || value.TotalSeconds >= uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(name, value, "The timeout must not be negative.");
        }
    }
}
