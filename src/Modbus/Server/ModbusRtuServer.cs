using System.Runtime.InteropServices;
using Telemetry.Modbus.Native;

namespace Telemetry.Modbus;

/// <summary>Settings of a <see cref="ModbusRtuServer"/>.</summary>
public sealed class ModbusRtuServerOptions
{
    /// <summary>RS-232 (default) or the driver's RS-485 mode.</summary>
    public ModbusSerialMode SerialMode { get; init; } = ModbusSerialMode.Rs232;

    /// <summary>RTS handling around each answer sent.</summary>
    public ModbusRtsMode RtsMode { get; init; } = ModbusRtsMode.None;

    /// <summary>Delay before and after sending when RTS is driven; null keeps libmodbus's default (one character time).</summary>
    public TimeSpan? RtsDelay { get; init; }

    /// <summary>
    /// Silence on the line that ends a frame whose length the function code does not tell, and after which
    /// an incomplete or corrupt frame is dropped. Longer than Modbus's 3.5 character times, to tolerate USB
    /// adapters and pseudo-terminals that deliver bytes in bursts.
    /// </summary>
    public TimeSpan FrameSilence { get; init; } = TimeSpan.FromMilliseconds(50);

    internal void Validate()
    {
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

        if (FrameSilence < TimeSpan.FromMilliseconds(1) || FrameSilence > TimeSpan.FromSeconds(10))
        {
            throw new ArgumentOutOfRangeException(nameof(FrameSilence), FrameSilence, "The frame silence must be 1 ms to 10 s.");
        }
    }
}

/// <summary>
/// A Modbus RTU server on a serial line, serving several unit ids as the slaves of one bus. The port is
/// opened and configured by libmodbus (<c>modbus_new_rtu</c>, <c>modbus_connect</c>, RS-485 and RTS
/// settings) and answers are built and sent by <c>modbus_reply</c> / <c>modbus_reply_exception</c>.
/// </summary>
/// <remarks>
/// <para>
/// Requests are framed here rather than by <c>modbus_receive</c>, because libmodbus's RTU receive drops
/// requests for any unit but the context's one (and then ignores the next frame as that unit's answer),
/// which rules out several slaves on one port. Frames are delimited by the function code's length (or by
/// <see cref="ModbusRtuServerOptions.FrameSilence"/> for other functions) and checked by CRC; a corrupt
/// frame is dropped with everything up to the next silence.
/// </para>
/// <para>
/// Requests for unit ids without a map are not answered (as on a real bus). Unit 0 is the broadcast address:
/// writes (functions 5, 6, 15, 16) are applied to every served unit that covers the addresses, and never
/// answered; other broadcast requests are ignored. The server assumes it is the only responder on the line.
/// One request is served at a time, so a delayed answer holds up the whole bus, as with real devices.
/// If the port fails (a USB adapter unplugged), <see cref="ModbusServer.Error"/> is raised once and the
/// server keeps waiting on it; it does not reopen the device.
/// </para>
/// </remarks>
public sealed class ModbusRtuServer : ModbusServer
{
    private readonly ModbusRtuServerOptions _options;

    /// <summary>Creates a server; the port is opened by <see cref="ModbusServer.Start"/>.</summary>
    /// <param name="line">Device and framing.</param>
    /// <param name="options">RS-485, RTS and framing settings.</param>
    public ModbusRtuServer(ModbusSerialLine line, ModbusRtuServerOptions? options = null)
        : base(ModbusTransport.Rtu)
    {
        ArgumentNullException.ThrowIfNull(line);
        line.Validate();
        _options = options ?? new ModbusRtuServerOptions();
        _options.Validate();
        Line = line;
    }

    /// <summary>Creates a server; the port is opened by <see cref="ModbusServer.Start"/>.</summary>
    /// <param name="device">The tty.</param>
    /// <param name="baudRate">Baud rate.</param>
    /// <param name="parity">Parity, even by default.</param>
    /// <param name="dataBits">Data bits, 8 for RTU.</param>
    /// <param name="stopBits">Stop bits.</param>
    /// <param name="options">RS-485, RTS and framing settings.</param>
    public ModbusRtuServer(string device, int baudRate, ModbusParity parity = ModbusParity.Even, int dataBits = 8, int stopBits = 1, ModbusRtuServerOptions? options = null)
        : this(new ModbusSerialLine(device, baudRate, parity, dataBits, stopBits), options)
    {
    }

    /// <summary>The serial line served.</summary>
    public ModbusSerialLine Line { get; }

    private protected override void ValidateUnitId(int unitId)
    {
        if (unitId is < 1 or > ModbusArguments.MaxUnitId)
        {
            throw new ArgumentOutOfRangeException(nameof(unitId), unitId, "An RTU unit id is 1 to 247 (0 is the broadcast address).");
        }
    }

    private protected override Task StartCore(CancellationToken stopping)
    {
        var endpoint = Line.ToString();
        var pointer = LibModbus.NewRtu(Line.Device, Line.BaudRate, (byte)Line.ParityLetter, Line.DataBits, Line.StopBits);
        if (pointer == 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new ModbusLinkException("modbus_new_rtu", endpoint, null, null, null, errno, LibModbus.ErrorText(errno));
        }

        var context = ModbusContextHandle.Own(pointer);
        try
        {
            ConfigureServerContext(context);
            if (_options.RtsDelay is { } delay)
            {
                Check(LibModbus.RtuSetRtsDelay(context, (int)delay.TotalMicroseconds), "SetRtsDelay", endpoint);
            }

            Check(LibModbus.Connect(context), "Open", endpoint);
            if (_options.SerialMode == ModbusSerialMode.Rs485)
            {
                Check(LibModbus.RtuSetSerialMode(context, LibModbus.RtuRs485), "SetSerialMode RS-485", endpoint);
            }

            if (_options.RtsMode != ModbusRtsMode.None)
            {
                Check(LibModbus.RtuSetRts(context, (int)_options.RtsMode), "SetRts", endpoint);
            }

            // Frames are read with poll() and answers only written, so unlike masters and TCP clients the
            // port's descriptor may be beyond select()'s FD_SETSIZE.
            var fd = LibModbus.GetSocket(context);
            return RunThread($"modbus-rtu:{Line.Device}", () =>
            {
                try
                {
                    Serve(context, fd, stopping);
                }
                finally
                {
                    context.Dispose();
                }
            });
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    private static void Check(int rc, string operation, string endpoint)
    {
        if (rc == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new ModbusLinkException(operation, endpoint, null, null, null, errno, LibModbus.ErrorText(errno));
        }
    }

    private unsafe void Serve(ModbusContextHandle context, int fd, CancellationToken stopping)
    {
        const int maxFrame = 256; // MODBUS_RTU_MAX_ADU_LENGTH
        var buffer = new byte[2 * maxFrame];
        var length = 0;
        var discarding = false;
        var silence = (int)Math.Ceiling(_options.FrameSilence.TotalMilliseconds);
        var reportedReadError = false;
        while (!stopping.IsCancellationRequested)
        {
            var waiting = length > 0 || discarding;
            if (!Libc.WaitReadable(fd, waiting ? silence : PollMilliseconds, out var events))
            {
                if (length > 0 && !discarding)
                {
                    // A frame of a function whose length only the silence tells (or an incomplete one).
                    if (ModbusRequestParser.RtuRequestLength(buffer.AsSpan(0, length)) == 0 && ModbusRequestParser.CrcMatches(buffer.AsSpan(0, length)))
                    {
                        Dispatch(context, buffer, length, stopping);
                    }
                }

                length = 0;
                discarding = false;
                continue;
            }

            if ((events & Libc.PollIn) == 0)
            {
                // Hang-up or error without data (e.g. the other end of a pseudo-terminal closed): do not spin.
                stopping.WaitHandle.WaitOne(PollMilliseconds);
                continue;
            }

            nint read;
            int errno;
            fixed (byte* pointer = buffer)
            {
                read = Libc.Read(fd, pointer + length, (nuint)(buffer.Length - length));
                errno = Marshal.GetLastPInvokeError();
            }

            if (read <= 0)
            {
                if (read < 0 && errno is not (Libc.EAGAIN or Libc.EINTR) && !reportedReadError)
                {
                    reportedReadError = true;
                    ReportError(new ModbusLinkException("Read", Line.ToString(), null, null, null, errno, LibModbus.ErrorText(errno)));
                }

                stopping.WaitHandle.WaitOne(PollMilliseconds);
                continue;
            }

            reportedReadError = false;
            if (discarding)
            {
                continue; // until the line falls silent
            }

            length += (int)read;
            while (length > 0)
            {
                var expected = ModbusRequestParser.RtuRequestLength(buffer.AsSpan(0, length));
                if (expected <= 0 || length < expected)
                {
                    break; // more bytes, or the silence, will tell
                }

                if (expected > maxFrame || !ModbusRequestParser.CrcMatches(buffer.AsSpan(0, expected)))
                {
                    discarding = true;
                    length = 0;
                    break;
                }

                Dispatch(context, buffer, expected, stopping);
                Buffer.BlockCopy(buffer, expected, buffer, 0, length - expected);
                length -= expected;
            }

            if (length >= maxFrame)
            {
                discarding = true;
                length = 0;
            }
        }
    }

    private void Dispatch(ModbusContextHandle context, byte[] buffer, int length, CancellationToken stopping)
    {
        // modbus_reply needs the request at offset 0.
        var frame = buffer.AsSpan(0, length).ToArray();
        var unit = frame[0];
        if (unit == 0)
        {
            Broadcast(frame, length, stopping);
            return;
        }

        if (!TryGetMap(unit, out var map))
        {
            return;
        }

        _ = LibModbus.SetSlave(context, unit);
        if (!Answer(context, frame, length, headerLength: 1, checksumLength: 2, map, stopping))
        {
            ReportError(new ModbusLinkException("Reply", Line.ToString(), unit, null, null, Marshal.GetLastPInvokeError(), "the answer could not be written"));
        }
    }

    private void Broadcast(byte[] frame, int length, CancellationToken stopping)
    {
        var request = ModbusRequestParser.Parse(frame, length, 1, 2, Transport, _ => null);
        if (request.Write is not { } write || request.FunctionCode is not (5 or 6 or 15 or 16))
        {
            return;
        }

        var decision = Decide(request);
        if (decision.Delay > TimeSpan.Zero && stopping.WaitHandle.WaitOne(decision.Delay))
        {
            return;
        }

        if (decision.Kind != ModbusResponseKind.Normal)
        {
            return;
        }

        foreach (var (unitId, map) in Snapshot())
        {
            if (!ModbusRequestParser.WillApply(request, map))
            {
                continue;
            }

            try
            {
                if (write.Table == ModbusTable.Coils)
                {
                    map.SetBits(ModbusTable.Coils, write.Address, write.CoilValues);
                }
                else
                {
                    map.SetRegisters(ModbusTable.HoldingRegisters, write.Address, write.RegisterValues);
                }
            }
            catch (ObjectDisposedException)
            {
                continue;
            }

            RaiseWriteApplied(write.ForUnit(unitId));
        }
    }
}
