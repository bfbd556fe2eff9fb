using System.Globalization;
using System.Runtime.InteropServices;
using Telemetry.Modbus.Native;

namespace Telemetry.Modbus;

/// <summary>The transport of a master or server.</summary>
public enum ModbusTransport
{
    /// <summary>Modbus TCP (MBAP header, no CRC).</summary>
    Tcp,

    /// <summary>Modbus RTU over a serial line (CRC-16).</summary>
    Rtu,
}

/// <summary>
/// A Modbus client (master) over TCP or RTU, backed by one libmodbus context.
/// </summary>
/// <remarks>
/// <para>
/// libmodbus calls block for up to the response timeout. The <c>*Async</c> methods run them on the thread
/// pool; the synchronous ones on the caller's thread. One connection cannot carry two requests at once, so
/// calls on one master are serialised (in arrival order of the lock, not guaranteed FIFO). A cancellation
/// token is honoured while waiting for the lock and just before the request is sent; a request on the
/// wire runs to its answer or its timeout.
/// </para>
/// <para>
/// The connection is opened on the first call (or by <see cref="Connect"/>). After a
/// <see cref="ModbusLinkException"/>, and on TCP also after a <see cref="ModbusTimeoutException"/> or
/// <see cref="ModbusFrameException"/> (a late or malformed answer could otherwise be taken for the next
/// one), the connection is closed and the next call connects again. On RTU, a timeout or a malformed
/// answer flushes the port's buffers and keeps it open.
/// </para>
/// <para>
/// Unit id 0 is the broadcast address on RTU: writes are sent and nobody answers, so they complete after
/// the response timeout without error; reads from unit 0 are refused. On TCP, 0 to 247 and 255 are plain
/// unit ids for the gateway or device.
/// </para>
/// <para>
/// libmodbus 3.1.6 waits with <c>select()</c>, which only handles descriptors below 1024 (glibc aborts the
/// process otherwise). A connect is therefore refused with a <see cref="ModbusLinkException"/> (errno
/// EMFILE) when the process has so many files open that the new socket or tty would get a higher number.
/// </para>
/// </remarks>
public sealed class ModbusMaster : IDisposable, IAsyncDisposable
{
    private readonly ModbusContextHandle _context;
    private readonly ModbusMasterOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _connected;
    private volatile bool _disposed;

    private ModbusMaster(ModbusContextHandle context, ModbusTransport transport, string endpoint, ModbusMasterOptions options)
    {
        _context = context;
        Transport = transport;
        Endpoint = endpoint;
        _options = options;
    }

    /// <summary>TCP or RTU.</summary>
    public ModbusTransport Transport { get; }

    /// <summary>The peer: <c>tcp://host:port</c>, or the serial line (<c>/dev/ttyUSB0 9600 8E1</c>).</summary>
    public string Endpoint { get; }

    /// <summary>Whether the connection (socket or tty) is currently open.</summary>
    public bool IsConnected => _connected;

    /// <summary>The settings this master was created with.</summary>
    public ModbusMasterOptions Options => _options;

    /// <summary>A master for a Modbus TCP server or gateway (<c>modbus_new_tcp_pi</c>: host names, IPv4 and IPv6).</summary>
    /// <param name="host">Host name or address.</param>
    /// <param name="port">TCP port, 502 by default.</param>
    /// <param name="options">Timeouts and recovery; libmodbus's defaults when omitted.</param>
    /// <returns>A master; nothing is connected yet.</returns>
    /// <exception cref="ArgumentException">The host is empty or longer than libmodbus accepts.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The port or an option is out of range.</exception>
    public static ModbusMaster ForTcp(string host, int port = 502, ModbusMasterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "The port must be 1 to 65535.");
        }

        options ??= new ModbusMasterOptions();
        options.Validate();
        var pointer = LibModbus.NewTcpPi(host, port.ToString(CultureInfo.InvariantCulture));
        var errno = Marshal.GetLastPInvokeError();
        if (pointer == 0)
        {
            throw errno == ModbusErrno.EINVAL
                ? new ArgumentException($"libmodbus refused the host '{host}' (too long?).", nameof(host))
                : ModbusErrors.FromErrno(errno, new ModbusCallSite("modbus_new_tcp_pi", host));
        }

        var endpoint = host.Contains(':', StringComparison.Ordinal) ? $"tcp://[{host}]:{port}" : $"tcp://{host}:{port}";
        return Create(ModbusContextHandle.Own(pointer), ModbusTransport.Tcp, endpoint, options);
    }

    /// <summary>A master on a serial line (<c>modbus_new_rtu</c>).</summary>
    /// <param name="device">The tty, e.g. <c>/dev/ttyUSB0</c>.</param>
    /// <param name="baudRate">Baud rate, e.g. 9600 or 19200.</param>
    /// <param name="parity">Parity, even by default as in the Modbus specification.</param>
    /// <param name="dataBits">Data bits, 8 for RTU.</param>
    /// <param name="stopBits">Stop bits, 1 or 2.</param>
    /// <param name="options">Timeouts, RS-485 and RTS settings; libmodbus's defaults when omitted.</param>
    /// <returns>A master; the port is opened on the first call.</returns>
    public static ModbusMaster ForRtu(string device, int baudRate, ModbusParity parity = ModbusParity.Even, int dataBits = 8, int stopBits = 1, ModbusMasterOptions? options = null) =>
        ForRtu(new ModbusSerialLine(device, baudRate, parity, dataBits, stopBits), options);

    /// <summary>A master on a serial line (<c>modbus_new_rtu</c>).</summary>
    /// <param name="line">Device and framing.</param>
    /// <param name="options">Timeouts, RS-485 and RTS settings; libmodbus's defaults when omitted.</param>
    /// <returns>A master; the port is opened on the first call.</returns>
    /// <exception cref="ArgumentException">The device is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A framing value or an option is out of range.</exception>
    public static ModbusMaster ForRtu(ModbusSerialLine line, ModbusMasterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(line);
        line.Validate();
        options ??= new ModbusMasterOptions();
        options.Validate();
        var pointer = LibModbus.NewRtu(line.Device, line.BaudRate, (byte)line.ParityLetter, line.DataBits, line.StopBits);
        var errno = Marshal.GetLastPInvokeError();
        if (pointer == 0)
        {
            throw errno == ModbusErrno.EINVAL
                ? new ArgumentException($"libmodbus refused the serial line {line}.", nameof(line))
                : ModbusErrors.FromErrno(errno, new ModbusCallSite("modbus_new_rtu", line.Device));
        }

        return Create(ModbusContextHandle.Own(pointer), ModbusTransport.Rtu, line.ToString(), options);
    }

    /// <summary>Opens the connection now instead of on the first request.</summary>
    /// <param name="cancellationToken">Cancels the wait for the master's lock.</param>
    /// <exception cref="ModbusLinkException">The peer refused, could not be reached, or the port could not be opened or configured.</exception>
    public void Connect(CancellationToken cancellationToken = default) =>
        Run(() => EnsureConnected(new ModbusCallSite("Connect", Endpoint)), cancellationToken);

    /// <summary>Opens the connection now instead of on the first request, off the caller's thread.</summary>
    /// <param name="cancellationToken">Cancels the wait for the master's lock.</param>
    /// <returns>Completes when connected.</returns>
    /// <exception cref="ModbusLinkException">The peer refused, could not be reached, or the port could not be opened or configured.</exception>
    public Task ConnectAsync(CancellationToken cancellationToken = default) =>
        RunAsync(() => EnsureConnected(new ModbusCallSite("Connect", Endpoint)), cancellationToken);

    /// <summary>Closes the connection (<c>modbus_close</c>); the next request connects again.</summary>
    public void Close()
    {
        if (_disposed)
        {
            return;
        }

        _gate.Wait();
        try
        {
            CloseConnection();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads coils (function 0x01, <c>modbus_read_bits</c>).</summary>
    /// <param name="unitId">Unit (slave) id, 1 to 247 (TCP: 0 to 247 or 255).</param>
    /// <param name="address">First coil, 0-based protocol address.</param>
    /// <param name="count">1 to 2000 coils.</param>
    /// <param name="cancellationToken">Honoured before the request is sent.</param>
    /// <returns>The coil states.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Unit id, address or count out of range.</exception>
    /// <exception cref="ModbusException">The request failed; see the derived types.</exception>
    public bool[] ReadCoils(int unitId, int address, int count, CancellationToken cancellationToken = default)
    {
        ValidateRead(unitId, address, count, LibModbus.MaxReadBits);
        return Run(() => ReadBitsCore("ReadCoils", inputs: false, unitId, address, count), cancellationToken);
    }

    /// <summary>Reads coils (function 0x01) off the caller's thread.</summary>
    /// <param name="unitId">Unit (slave) id.</param>
    /// <param name="address">First coil, 0-based protocol address.</param>
    /// <param name="count">1 to 2000 coils.</param>
    /// <param name="cancellationToken">Honoured before the request is sent.</param>
    /// <returns>The coil states.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Unit id, address or count out of range (thrown synchronously).</exception>
    /// <exception cref="ModbusException">The request failed; see the derived types.</exception>
    public Task<bool[]> ReadCoilsAsync(int unitId, int address, int count, CancellationToken cancellationToken = default)
    {
        ValidateRead(unitId, address, count, LibModbus.MaxReadBits);
        return RunAsync(() => ReadBitsCore("ReadCoils", inputs: false, unitId, address, count), cancellationToken);
    }

    /// <summary>Reads discrete inputs (function 0x02, <c>modbus_read_input_bits</c>).</summary>
    /// <param name="unitId">Unit (slave) id.</param>
    /// <param name="address">First input, 0-based protocol address.</param>
    /// <param name="count">1 to 2000 inputs.</param>
    /// <param name="cancellationToken">Honoured before the request is sent.</param>
    /// <returns>The input states.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Unit id, address or count out of range.</exception>
    /// <exception cref="ModbusException">The request failed; see the derived types.</exception>
    public bool[] ReadDiscreteInputs(int unitId, int address, int count, CancellationToken cancellationToken = default)
    {
        ValidateRead(unitId, address, count, LibModbus.MaxReadBits);
        return Run(() => ReadBitsCore("ReadDiscreteInputs", inputs: true, unitId, address, count), cancellationToken);
    }

    /// <summary>Reads discrete inputs (function 0x02) off the caller's thread.</summary>
    /// <param name="unitId">Unit (slave) id.</param>
    /// <param name="address">First input, 0-based protocol address.</param>
    /// <param name="count">1 to 2000 inputs.</param>
    /// <param name="cancellationToken">Honoured before the request is sent.</param>
    /// <returns>The input states.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Unit id, address or count out of range (thrown synchronously).</exception>
    /// <exception cref="ModbusException">The request failed; see the derived types.</exception>
    public Task<bool[]> ReadDiscreteInputsAsync(int unitId, int address, int count, CancellationToken cancellationToken = default)
    {
        ValidateRead(unitId, address, count, LibModbus.MaxReadBits);
        return RunAsync(() => ReadBitsCore("ReadDiscreteInputs", inputs: true, unitId, address, count), cancellationToken);
    }

    /// <summary>Reads holding registers (function 0x03, <c>modbus_read_registers</c>).</summary>
    /// <param name="unitId">Unit (slave) id.</param>
    /// <param name="address">First register, 0-based protocol address.</param>
    /// <param name="count">1 to 125 registers.</param>
    /// <param name="cancellationToken">Honoured before the request is sent.</param>
    /// <returns>The register values.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Unit id, address or count out of range.</exception>
    /// <exception cref="ModbusException">The request failed; see the derived types.</exception>
    public ushort[] ReadHoldingRegisters(int unitId, int address, int count, CancellationToken cancellationToken = default)
    {
        ValidateRead(unitId, address, count, LibModbus.MaxReadRegisters);
        return Run(() => ReadRegistersCore("ReadHoldingRegisters", inputs: false, unitId, address, count), cancellationToken);
    }

    /// <summary>Reads holding registers (function 0x03) off the caller's thread.</summary>
    /// <param name="unitId">Unit (slave) id.</param>
    /// <param name="address">First register, 0-based protocol address.</param>
    /// <param name="count">1 to 125 registers.</param>
    /// <param name="cancellationToken">Honoured before the request is sent.</param>
    /// <returns>The register values.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Unit id, address or count out of range (thrown synchronously).</exception>
    /// <exception cref="ModbusException">The request failed; see the derived types.</exception>
    public Task<ushort[]> ReadHoldingRegistersAsync(int unitId, int address, int count, CancellationToken cancellationToken = default)
    {
        ValidateRead(unitId, address, count, LibModbus.MaxReadRegisters);
        return RunAsync(() => ReadRegistersCore("ReadHoldingRegisters", inputs: false, unitId, address, count), cancellationToken);
    }

    /// <summary>Reads input registers (function 0x04, <c>modbus_read_input_registers</c>).</summary>
    /// <param name="unitId">Unit (slave) id.</param>
    /// <param name="address">First register, 0-based protocol address.</param>
    /// <param name="count">1 to 125 registers.</param>
    /// <param name="cancellationToken">Honoured before the request is sent.</param>
    /// <returns>The register values.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Unit id, address or count out of range.</exception>
    /// <exception cref="ModbusException">The request failed; see the derived types.</exception>
    public ushort[] ReadInputRegisters(int unitId, int address, int count, CancellationToken cancellationToken = default)
    {
        ValidateRead(unitId, address, count, LibModbus.MaxReadRegisters);
        return Run(() => ReadRegistersCore("ReadInputRegisters", inputs: true, unitId, address, count), cancellationToken);
    }

    /// <summary>Reads input registers (function 0x04) off the caller's thread.</summary>
    /// <param name="unitId">Unit (slave) id.</param>
    /// <param name="address">First register, 0-based protocol address.</param>
    /// <param name="count">1 to 125 registers.</param>
    /// <param name="cancellationToken">Honoured before the request is sent.</param>
    /// <returns>The register values.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Unit id, address or count out of range (thrown synchronously).</exception>
    /// <exception cref="ModbusException">The request failed; see the derived types.</exception>
    public Task<ushort[]> ReadInputRegistersAsync(int unitId, int address, int count, CancellationToken cancellationToken = default)
    {
        ValidateRead(unitId, address, count, LibModbus.MaxReadRegisters);
        return RunAsync(() => ReadRegistersCore("ReadInputRegisters", inputs: true, unitId, address, count), cancellationToken);
    }

    /// <summary>Writes one coil (function 0x05, <c>modbus_write_bit</c>).</summary>
    /// <param name="unitId">Unit (slave) id; 0 broadcasts on RTU.</param>
    /// <param name="address">The coil, 0-based protocol address.</param>
    /// <param name="value">On or off.</param>
    /// <param name="cancellationToken">Honoured before the request is sent.</param>
    /// <exception cref="ArgumentOutOfRangeException">Unit id or address out of range.</exception>
    /// <exception cref="ModbusException">The request failed; see the derived types.</exception>
    public void WriteSingleCoil(int unitId, int address, bool value, CancellationToken cancellationToken = default)
    {
        ValidateWrite(unitId, address, 1, 1);
        Run(() => WriteSingleCoilCore(unitId, address, value), cancellationToken);
    }

    /// <summary>Writes one coil (function 0x05) off the caller's thread.</summary>
    /// <param name="unitId">Unit (slave) id; 0 broadcasts on RTU.</param>
    /// <param name="address">The coil, 0-based protocol address.</param>
    /// <param name="value">On or off.</param>
    /// <param name="cancellationToken">Honoured before the request is sent.</param>
    /// <returns>Completes when the device confirmed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Unit id or address out of range (thrown synchronously).</exception>
    /// <exception cref="ModbusException">The request failed; see the derived types.</exception>
    public Task WriteSingleCoilAsync(int unitId, int address, bool value, CancellationToken cancellationToken = default)
    {
        ValidateWrite(unitId, address, 1, 1);
        return RunAsync(() => WriteSingleCoilCore(unitId, address, value), cancellationToken);
    }

    /// <summary>Writes one holding register (function 0x06, <c>modbus_write_register</c>).</summary>
    /// <param name="unitId">Unit (slave) id; 0 broadcasts on RTU.</param>
    /// <param name="address">The register, 0-based protocol address.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Honoured before the request is sent.</param>
    /// <exception cref="ArgumentOutOfRangeException">Unit id or address out of range.</exception>
    /// <exception cref="ModbusException">The request failed; see the derived types.</exception>
    public void WriteSingleRegister(int unitId, int address, ushort value, CancellationToken cancellationToken = default)
    {
        ValidateWrite(unitId, address, 1, 1);
        Run(() => WriteSingleRegisterCore(unitId, address, value), cancellationToken);
    }

    /// <summary>Writes one holding register (function 0x06) off the caller's thread.</summary>
    /// <param name="unitId">Unit (slave) id; 0 broadcasts on RTU.</param>
    /// <param name="address">The register, 0-based protocol address.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Honoured before the request is sent.</param>
    /// <returns>Completes when the device confirmed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Unit id or address out of range (thrown synchronously).</exception>
    /// <exception cref="ModbusException">The request failed; see the derived types.</exception>
    public Task WriteSingleRegisterAsync(int unitId, int address, ushort value, CancellationToken cancellationToken = default)
    {
        ValidateWrite(unitId, address, 1, 1);
        return RunAsync(() => WriteSingleRegisterCore(unitId, address, value), cancellationToken);
    }

    /// <summary>Writes consecutive coils (function 0x0F, <c>modbus_write_bits</c>).</summary>
    /// <param name="unitId">Unit (slave) id; 0 broadcasts on RTU.</param>
    /// <param name="address">First coil, 0-based protocol address.</param>
    /// <param name="values">1 to 1968 states.</param>
    /// <param name="cancellationToken">Honoured before the request is sent.</param>
    /// <exception cref="ArgumentOutOfRangeException">Unit id, address or number of values out of range.</exception>
    /// <exception cref="ModbusException">The request failed; see the derived types.</exception>
    public void WriteMultipleCoils(int unitId, int address, IReadOnlyList<bool> values, CancellationToken cancellationToken = default)
    {
        var bytes = CoilBytes(values);
        ValidateWrite(unitId, address, bytes.Length, LibModbus.MaxWriteBits, nameof(values));
        Run(() => WriteCoilsCore(unitId, address, bytes), cancellationToken);
    }

    /// <summary>Writes consecutive coils (function 0x0F) off the caller's thread.</summary>
    /// <param name="unitId">Unit (slave) id; 0 broadcasts on RTU.</param>
    /// <param name="address">First coil, 0-based protocol address.</param>
    /// <param name="values">1 to 1968 states (copied before the call returns).</param>
    /// <param name="cancellationToken">Honoured before the request is sent.</param>
    /// <returns>Completes when the device confirmed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Unit id, address or number of values out of range (thrown synchronously).</exception>
    /// <exception cref="ModbusException">The request failed; see the derived types.</exception>
    public Task WriteMultipleCoilsAsync(int unitId, int address, IReadOnlyList<bool> values, CancellationToken cancellationToken = default)
    {
        var bytes = CoilBytes(values);
        ValidateWrite(unitId, address, bytes.Length, LibModbus.MaxWriteBits, nameof(values));
        return RunAsync(() => WriteCoilsCore(unitId, address, bytes), cancellationToken);
    }

    /// <summary>Writes consecutive holding registers (function 0x10, <c>modbus_write_registers</c>).</summary>
    /// <param name="unitId">Unit (slave) id; 0 broadcasts on RTU.</param>
    /// <param name="address">First register, 0-based protocol address.</param>
    /// <param name="values">1 to 123 values.</param>
    /// <param name="cancellationToken">Honoured before the request is sent.</param>
    /// <exception cref="ArgumentOutOfRangeException">Unit id, address or number of values out of range.</exception>
    /// <exception cref="ModbusException">The request failed; see the derived types.</exception>
    public void WriteMultipleRegisters(int unitId, int address, IReadOnlyList<ushort> values, CancellationToken cancellationToken = default)
    {
        var copy = Copy(values);
        ValidateWrite(unitId, address, copy.Length, LibModbus.MaxWriteRegisters, nameof(values));
        Run(() => WriteRegistersCore(unitId, address, copy), cancellationToken);
    }

    /// <summary>Writes consecutive holding registers (function 0x10) off the caller's thread.</summary>
    /// <param name="unitId">Unit (slave) id; 0 broadcasts on RTU.</param>
    /// <param name="address">First register, 0-based protocol address.</param>
    /// <param name="values">1 to 123 values (copied before the call returns).</param>
    /// <param name="cancellationToken">Honoured before the request is sent.</param>
    /// <returns>Completes when the device confirmed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Unit id, address or number of values out of range (thrown synchronously).</exception>
    /// <exception cref="ModbusException">The request failed; see the derived types.</exception>
    public Task WriteMultipleRegistersAsync(int unitId, int address, IReadOnlyList<ushort> values, CancellationToken cancellationToken = default)
    {
        var copy = Copy(values);
        ValidateWrite(unitId, address, copy.Length, LibModbus.MaxWriteRegisters, nameof(values));
        return RunAsync(() => WriteRegistersCore(unitId, address, copy), cancellationToken);
    }

    /// <summary>Writes then reads holding registers in one transaction (function 0x17, <c>modbus_write_and_read_registers</c>).</summary>
    /// <param name="unitId">Unit (slave) id (not 0 on RTU).</param>
    /// <param name="writeAddress">First register to write.</param>
    /// <param name="values">1 to 121 values to write.</param>
    /// <param name="readAddress">First register to read.</param>
    /// <param name="readCount">1 to 125 registers to read.</param>
    /// <param name="cancellationToken">Honoured before the request is sent.</param>
    /// <returns>The registers read, after the write.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    /// <exception cref="ModbusException">The request failed; see the derived types.</exception>
    public ushort[] WriteAndReadRegisters(int unitId, int writeAddress, IReadOnlyList<ushort> values, int readAddress, int readCount, CancellationToken cancellationToken = default)
    {
        var copy = Copy(values);
        ValidateWriteAndRead(unitId, writeAddress, copy.Length, readAddress, readCount);
        return Run(() => WriteAndReadCore(unitId, writeAddress, copy, readAddress, readCount), cancellationToken);
    }

    /// <summary>Writes then reads holding registers in one transaction (function 0x17) off the caller's thread.</summary>
    /// <param name="unitId">Unit (slave) id (not 0 on RTU).</param>
    /// <param name="writeAddress">First register to write.</param>
    /// <param name="values">1 to 121 values to write (copied before the call returns).</param>
    /// <param name="readAddress">First register to read.</param>
    /// <param name="readCount">1 to 125 registers to read.</param>
    /// <param name="cancellationToken">Honoured before the request is sent.</param>
    /// <returns>The registers read, after the write.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range (thrown synchronously).</exception>
    /// <exception cref="ModbusException">The request failed; see the derived types.</exception>
    public Task<ushort[]> WriteAndReadRegistersAsync(int unitId, int writeAddress, IReadOnlyList<ushort> values, int readAddress, int readCount, CancellationToken cancellationToken = default)
    {
        var copy = Copy(values);
        ValidateWriteAndRead(unitId, writeAddress, copy.Length, readAddress, readCount);
        return RunAsync(() => WriteAndReadCore(unitId, writeAddress, copy, readAddress, readCount), cancellationToken);
    }

    /// <summary>Closes the connection and frees the libmodbus context. Idempotent; calls still in progress finish first (the handle is reference-counted).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _connected = false;
        _context.Dispose();
    }

    /// <summary>Same as <see cref="Dispose"/>.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>E.g. <c>ModbusMaster tcp://10.0.0.5:502</c>.</summary>
    /// <returns>The transport and endpoint.</returns>
    public override string ToString() => $"{nameof(ModbusMaster)} {Endpoint}";

    private static ModbusMaster Create(ModbusContextHandle context, ModbusTransport transport, string endpoint, ModbusMasterOptions options)
    {
        try
        {
            Configure(context, transport, endpoint, options);
            return new ModbusMaster(context, transport, endpoint, options);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    private static void Configure(ModbusContextHandle context, ModbusTransport transport, string endpoint, ModbusMasterOptions options)
    {
        var (seconds, microseconds) = ModbusTime.Split(options.ResponseTimeout);
        Check(LibModbus.SetResponseTimeout(context, seconds, microseconds), "modbus_set_response_timeout", endpoint);
        (seconds, microseconds) = ModbusTime.Split(options.ByteTimeout);
        Check(LibModbus.SetByteTimeout(context, seconds, microseconds), "modbus_set_byte_timeout", endpoint);
        Check(LibModbus.SetErrorRecovery(context, (int)options.ErrorRecovery), "modbus_set_error_recovery", endpoint);
        if (transport == ModbusTransport.Rtu && options.RtsDelay is { } delay)
        {
            Check(LibModbus.RtuSetRtsDelay(context, (int)delay.TotalMicroseconds), "modbus_rtu_set_rts_delay", endpoint);
        }
    }

    private static void Check(int rc, string operation, string endpoint)
    {
        if (rc == -1)
        {
            throw ModbusErrors.FromErrno(Marshal.GetLastPInvokeError(), new ModbusCallSite(operation, endpoint));
        }
    }

    private static byte[] CoilBytes(IReadOnlyList<bool> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var bytes = new byte[values.Count];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = values[i] ? (byte)1 : (byte)0;
        }

        return bytes;
    }

    private static ushort[] Copy(IReadOnlyList<ushort> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var copy = new ushort[values.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = values[i];
        }

        return copy;
    }

    private bool IsTcp => Transport == ModbusTransport.Tcp;

    private void ValidateRead(int unitId, int address, int count, int maxCount)
    {
        ModbusArguments.UnitId(unitId, IsTcp);
        if (!IsTcp && unitId == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(unitId), unitId, "Unit 0 is the RTU broadcast address: nobody answers a read sent to it.");
        }

        ModbusArguments.Block(address, count, maxCount);
    }

    private void ValidateWrite(int unitId, int address, int count, int maxCount, string countName = "count")
    {
        ModbusArguments.UnitId(unitId, IsTcp);
        ModbusArguments.Block(address, count, maxCount, countName: countName);
    }

    private void ValidateWriteAndRead(int unitId, int writeAddress, int writeCount, int readAddress, int readCount)
    {
        ValidateRead(unitId, readAddress, readCount, LibModbus.MaxWriteAndReadReadRegisters);
        ModbusArguments.Block(writeAddress, writeCount, LibModbus.MaxWriteAndReadWriteRegisters, nameof(writeAddress), "values");
    }

    private void Run(Action body, CancellationToken cancellationToken) =>
        Run(
            () =>
            {
                body();
                return true;
            },
            cancellationToken);

    private T Run<T>(Func<T> body, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        _gate.Wait(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            return body();
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task RunAsync(Action body, CancellationToken cancellationToken) =>
        RunAsync(
            () =>
            {
                body();
                return true;
            },
            cancellationToken);

    private async Task<T> RunAsync<T>(Func<T> body, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            return await Task.Run(body, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    // Everything below runs with the gate held.
    private void EnsureConnected(in ModbusCallSite site)
    {
        if (_connected)
        {
            return;
        }

        var connectSite = site.Operation == "Connect" ? site : site with { Operation = $"Connect (for {site.Operation})" };

        // modbus_connect may already select() on the new socket (non-blocking TCP connect): refuse to start
        // when the descriptor it would get is too large for that (glibc aborts the process on it).
        if (LibModbus.CheckSelectable(Libc.LowestFreeDescriptor(), connectSite.Operation, Endpoint) is { } noRoom)
        {
            throw noRoom;
        }

        if (LibModbus.Connect(_context) == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            LibModbus.Close(_context);
            throw AsLinkError(ModbusErrors.FromErrno(errno, connectSite), errno, connectSite);
        }

        try
        {
            if (LibModbus.CheckSelectable(LibModbus.GetSocket(_context), connectSite.Operation, Endpoint) is { } tooHigh)
            {
                throw tooHigh;
            }

            if (Transport == ModbusTransport.Rtu)
            {
                ApplyLineSettings(connectSite);
            }
        }
        catch
        {
            LibModbus.Close(_context);
            throw;
        }

        _connected = true;
    }

    private static ModbusException AsLinkError(ModbusException error, int errno, in ModbusCallSite site) =>
        error is ModbusLinkException
            ? error
            : new ModbusLinkException(site.Operation, site.Endpoint, site.UnitId, site.Address, site.Count, errno, error.NativeMessage);

    private void ApplyLineSettings(in ModbusCallSite site)
    {
        if (_options.SerialMode == ModbusSerialMode.Rs485 && LibModbus.RtuSetSerialMode(_context, LibModbus.RtuRs485) == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            var modeSite = site with { Operation = "SetSerialMode RS-485" };
            throw new ModbusLinkException(modeSite.Operation, modeSite.Endpoint, null, null, null, errno, LibModbus.ErrorText(errno));
        }

        if (_options.RtsMode != ModbusRtsMode.None && LibModbus.RtuSetRts(_context, (int)_options.RtsMode) == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new ModbusLinkException("SetRts", site.Endpoint, null, null, null, errno, LibModbus.ErrorText(errno));
        }
    }

    private void CloseConnection()
    {
        if (!_context.IsClosed)
        {
            LibModbus.Close(_context);
        }

        _connected = false;
    }

    private void Prepare(in ModbusCallSite site, int unitId)
    {
        EnsureConnected(site);
        if (LibModbus.SetSlave(_context, unitId) == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new ArgumentOutOfRangeException(nameof(unitId), unitId, $"libmodbus refused the unit id: {LibModbus.ErrorText(errno)}");
        }
    }

    private void ThrowFailure(in ModbusCallSite site, bool isWrite)
    {
        var errno = Marshal.GetLastPInvokeError();
        if (isWrite && Transport == ModbusTransport.Rtu && site.UnitId == 0 && errno == ModbusErrno.ETIMEDOUT)
        {
            return; // a broadcast is never answered
        }

        var error = ModbusErrors.FromErrno(errno, site);
        switch (error)
        {
            case ModbusLinkException:
            case ModbusFrameException or ModbusTimeoutException when Transport == ModbusTransport.Tcp:
                // A late or malformed answer could still be in the stream and be taken for the next one.
                CloseConnection();
                break;
            case ModbusFrameException:
            case ModbusTimeoutException:
                _ = LibModbus.Flush(_context);
                break;
        }

        throw error;
    }

    private unsafe bool[] ReadBitsCore(string operation, bool inputs, int unitId, int address, int count)
    {
        var site = new ModbusCallSite(operation, Endpoint, unitId, address, count);
        Prepare(site, unitId);
        var buffer = new byte[count];
        int rc;
        fixed (byte* destination = buffer)
        {
            rc = inputs
                ? LibModbus.ReadInputBits(_context, address, count, destination)
                : LibModbus.ReadBits(_context, address, count, destination);
        }

        if (rc == -1)
        {
            ThrowFailure(site, isWrite: false);
        }

        var values = new bool[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = buffer[i] != 0;
        }

        return values;
    }

    private unsafe ushort[] ReadRegistersCore(string operation, bool inputs, int unitId, int address, int count)
    {
        var site = new ModbusCallSite(operation, Endpoint, unitId, address, count);
        Prepare(site, unitId);
        var values = new ushort[count];
        int rc;
        fixed (ushort* destination = values)
        {
            rc = inputs
                ? LibModbus.ReadInputRegisters(_context, address, count, destination)
                : LibModbus.ReadRegisters(_context, address, count, destination);
        }

        if (rc == -1)
        {
            ThrowFailure(site, isWrite: false);
        }

        return values;
    }

    private void WriteSingleCoilCore(int unitId, int address, bool value)
    {
        var site = new ModbusCallSite("WriteSingleCoil", Endpoint, unitId, address, 1);
        Prepare(site, unitId);
        if (LibModbus.WriteBit(_context, address, value ? 1 : 0) == -1)
        {
            ThrowFailure(site, isWrite: true);
        }
    }

    private void WriteSingleRegisterCore(int unitId, int address, ushort value)
    {
        var site = new ModbusCallSite("WriteSingleRegister", Endpoint, unitId, address, 1);
        Prepare(site, unitId);
        if (LibModbus.WriteRegister(_context, address, value) == -1)
        {
            ThrowFailure(site, isWrite: true);
        }
    }

    private unsafe void WriteCoilsCore(int unitId, int address, byte[] values)
    {
        var site = new ModbusCallSite("WriteMultipleCoils", Endpoint, unitId, address, values.Length);
        Prepare(site, unitId);
        int rc;
        fixed (byte* source = values)
        {
            rc = LibModbus.WriteBits(_context, address, values.Length, source);
        }

        if (rc == -1)
        {
            ThrowFailure(site, isWrite: true);
        }
    }

    private unsafe void WriteRegistersCore(int unitId, int address, ushort[] values)
    {
        var site = new ModbusCallSite("WriteMultipleRegisters", Endpoint, unitId, address, values.Length);
        Prepare(site, unitId);
        int rc;
        fixed (ushort* source = values)
        {
            rc = LibModbus.WriteRegisters(_context, address, values.Length, source);
        }

        if (rc == -1)
        {
            ThrowFailure(site, isWrite: true);
        }
    }

    private unsafe ushort[] WriteAndReadCore(int unitId, int writeAddress, ushort[] values, int readAddress, int readCount)
    {
        var site = new ModbusCallSite("WriteAndReadRegisters", Endpoint, unitId, readAddress, readCount);
        Prepare(site, unitId);
        var result = new ushort[readCount];
        int rc;
        fixed (ushort* source = values)
        fixed (ushort* destination = result)
        {
            rc = LibModbus.WriteAndReadRegisters(_context, writeAddress, values.Length, source, readAddress, readCount, destination);
        }

        if (rc == -1)
        {
            ThrowFailure(site, isWrite: false);
        }

        return result;
    }
}
