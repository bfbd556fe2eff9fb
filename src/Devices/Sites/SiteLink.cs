using Telemetry.Devices.Profiles;

namespace Telemetry.Devices.Sites;

/// <summary>How a gateway reaches some of its devices: a Modbus TCP endpoint or an RS-485 bus.</summary>
public abstract record SiteLink
{
    private protected SiteLink()
    {
    }

    /// <summary>Link id, unique within its gateway; devices name it.</summary>
    public required string Id { get; init; }

    /// <summary>How long to wait for the first byte of an answer.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>TCP or RTU, as profiles name the links they support.</summary>
    public abstract LinkType Type { get; }
}

/// <summary>A Modbus TCP server (a device, or a serial gateway serving several unit ids).</summary>
public sealed record TcpLink : SiteLink
{
    /// <summary>Host name or address.</summary>
    public required string Host { get; init; }

    /// <summary>TCP port.</summary>
    public required int Port { get; init; }

    /// <inheritdoc />
    public override LinkType Type => LinkType.Tcp;

    /// <summary>E.g. <c>tcp://127.0.0.1:15020</c>.</summary>
    public override string ToString() => $"tcp://{Host}:{Port}";
}

/// <summary>An RS-485 bus on a serial port of the gateway, carrying Modbus RTU.</summary>
public sealed record RtuLink : SiteLink
{
    /// <summary>The serial device, resolved to an absolute path (see <see cref="SiteLoadOptions.PathRoot"/>).</summary>
    public required string Device { get; init; }

    /// <summary>The serial device as written in the file.</summary>
    public required string ConfiguredDevice { get; init; }

    /// <summary>Baud rate.</summary>
    public int BaudRate { get; init; } = 9600;

    /// <summary>Parity; Modbus RTU's default is even.</summary>
    public SerialParity Parity { get; init; } = SerialParity.Even;

    /// <summary>Data bits (8 for Modbus RTU).</summary>
    public int DataBits { get; init; } = 8;

    /// <summary>Stop bits, 1 or 2.</summary>
    public int StopBits { get; init; } = 1;

    /// <summary>Half-duplex RS-485 settings of the port.</summary>
    public Rs485Settings Rs485 { get; init; } = Rs485Settings.Disabled;

    /// <summary>Longest silence allowed between two bytes of one answer.</summary>
    public TimeSpan ByteTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Silence the gateway keeps between the end of one frame and its next request; null for the 3.5 character times of the standard.</summary>
    public TimeSpan? ConfiguredInterFrameGap { get; init; }

    /// <summary>Bits on the wire per byte: start bit, data bits, parity bit if any, stop bits.</summary>
    public int BitsPerCharacter => 1 + DataBits + (Parity == SerialParity.None ? 0 : 1) + StopBits;

    /// <summary>How long one byte takes on the wire.</summary>
    public TimeSpan CharacterTime => TimeSpan.FromTicks((long)Math.Round((double)BitsPerCharacter * TimeSpan.TicksPerSecond / BaudRate));

    /// <summary>
    /// The silence between frames: as configured, else 3.5 character times (fixed at 1.75 ms above 19200 baud,
    /// as the Modbus serial line specification recommends).
    /// </summary>
    public TimeSpan InterFrameGap => ConfiguredInterFrameGap
        ?? (BaudRate > 19200 ? TimeSpan.FromMicroseconds(1750) : TimeSpan.FromTicks((long)Math.Round(3.5 * BitsPerCharacter * TimeSpan.TicksPerSecond / BaudRate)));

    /// <inheritdoc />
    public override LinkType Type => LinkType.Rtu;

    /// <summary>E.g. <c>/dev/ttyUSB0 9600 8N1</c>.</summary>
    public override string ToString() => $"{Device} {BaudRate} {DataBits}{Parity switch { SerialParity.None => 'N', SerialParity.Odd => 'O', _ => 'E' }}{StopBits}";
}

/// <summary>Parity of a serial line.</summary>
public enum SerialParity
{
    /// <summary><c>none</c>.</summary>
    None,

    /// <summary><c>even</c>: the Modbus RTU default.</summary>
    Even,

    /// <summary><c>odd</c>.</summary>
    Odd,
}

/// <summary>How the driver drives RTS around each frame sent on a half-duplex RS-485 port.</summary>
public enum RtsControl
{
    /// <summary><c>none</c>: RTS is not touched (the adapter switches direction itself).</summary>
    None,

    /// <summary><c>up</c>: RTS is raised while sending.</summary>
    Up,

    /// <summary><c>down</c>: RTS is lowered while sending.</summary>
    Down,
}

/// <summary>RS-485 settings of a serial port.</summary>
/// <param name="Enabled">Ask the kernel driver for RS-485 mode.</param>
/// <param name="Rts">RTS handling around each frame.</param>
/// <param name="RtsDelay">Delay before and after sending when RTS is driven.</param>
public sealed record Rs485Settings(bool Enabled, RtsControl Rts, TimeSpan RtsDelay)
{
    /// <summary>RS-232 behaviour: no RS-485 mode, RTS untouched.</summary>
    public static Rs485Settings Disabled { get; } = new(false, RtsControl.None, TimeSpan.Zero);
}
