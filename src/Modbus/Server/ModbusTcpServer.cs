using System.Globalization;
using System.Runtime.InteropServices;
using Telemetry.Modbus.Native;

namespace Telemetry.Modbus;

/// <summary>What a TCP server answers to a request for a unit id it does not serve.</summary>
public enum ModbusUnknownUnitResponse
{
    /// <summary>Exception 0x0B, as a gateway whose target does not answer (the default).</summary>
    GatewayTargetFailedToRespond,

    /// <summary>Exception 0x0A, as a gateway without a path to the target.</summary>
    GatewayPathUnavailable,

    /// <summary>No answer: the master times out.</summary>
    Silence,
}

/// <summary>Settings of a <see cref="ModbusTcpServer"/>.</summary>
public sealed class ModbusTcpServerOptions
{
    /// <summary>Listen backlog (<c>modbus_tcp_pi_listen</c>'s <c>nb_connection</c>).</summary>
    public int Backlog { get; init; } = 16;

    /// <summary>Clients served at once; further connections are accepted and closed immediately.</summary>
    public int MaxClients { get; init; } = 64;

    /// <summary>The answer to requests for unit ids without a map.</summary>
    public ModbusUnknownUnitResponse UnknownUnit { get; init; } = ModbusUnknownUnitResponse.GatewayTargetFailedToRespond;

    internal void Validate()
    {
        if (Backlog < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Backlog), Backlog, "The backlog must be positive.");
        }

        if (MaxClients < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxClients), MaxClients, "At least one client must be allowed.");
        }

        if (!Enum.IsDefined(UnknownUnit))
        {
            throw new ArgumentOutOfRangeException(nameof(UnknownUnit), UnknownUnit, "Unknown value.");
        }
    }
}

/// <summary>
/// A Modbus TCP server: listens with <c>modbus_tcp_pi_listen</c> / <c>modbus_tcp_pi_accept</c> and serves each
/// client on its own thread with its own libmodbus context (<c>modbus_set_socket</c>, <c>modbus_receive</c>,
/// <c>modbus_reply</c>), so one slow (delayed) answer only holds up its own connection.
/// </summary>
/// <remarks>
/// Unit ids 0 to 255 may be served; none is a broadcast on TCP. Requests for other unit ids get
/// <see cref="ModbusTcpServerOptions.UnknownUnit"/>. A client whose socket descriptor is 1024 or more is
/// disconnected at once (and <see cref="ModbusServer.Error"/> raised), because libmodbus's receive uses
/// <c>select()</c>.
/// </remarks>
/// <example>
/// <code>
/// using var map = new ModbusRegisterMap(coils: 16, discreteInputs: 16, holdingRegisters: 100, inputRegisters: 100);
/// await using var server = new ModbusTcpServer("127.0.0.1", 0);
/// server.AddUnit(1, map);
/// server.RequestHook = request => request.Write is { Address: 10 } ? ModbusResponse.Reject(ModbusExceptionCode.IllegalDataValue) : ModbusResponse.Normal;
/// server.WriteApplied += (_, e) => Console.WriteLine(e.Write);
/// server.Start(stoppingToken);
/// Console.WriteLine(server.Port);
/// </code>
/// </example>
public sealed class ModbusTcpServer : ModbusServer
{
    private readonly ModbusTcpServerOptions _options;
    private int _port;
    private int _clients;

    /// <summary>Creates a server; nothing is opened until <see cref="ModbusServer.Start"/>.</summary>
    /// <param name="host">Address or host name to listen on; null or empty for all addresses.</param>
    /// <param name="port">TCP port; 0 picks a free one, reported by <see cref="Port"/> after start.</param>
    /// <param name="options">Backlog, client limit, unknown-unit answer.</param>
    public ModbusTcpServer(string? host = "127.0.0.1", int port = 502, ModbusTcpServerOptions? options = null)
        : base(ModbusTransport.Tcp)
    {
        if (port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "The port must be 0 to 65535.");
        }

        _options = options ?? new ModbusTcpServerOptions();
        _options.Validate();
        Host = string.IsNullOrEmpty(host) ? null : host;
        _port = port;
    }

    /// <summary>The address listened on; null for all.</summary>
    public string? Host { get; }

    /// <summary>The TCP port; after start, the one actually bound (useful with port 0).</summary>
    public int Port => _port;

    /// <summary>Clients currently connected.</summary>
    public int ClientCount => Volatile.Read(ref _clients);

    private protected override void ValidateUnitId(int unitId)
    {
        if (unitId is < 0 or > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(unitId), unitId, "A TCP unit id is 0 to 255.");
        }
    }

    private protected override Task StartCore(CancellationToken stopping)
    {
        var endpoint = $"tcp://{Host ?? "*"}:{_port}";
        var pointer = LibModbus.NewTcpPi(Host, _port.ToString(CultureInfo.InvariantCulture));
        if (pointer == 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new ModbusLinkException("modbus_new_tcp_pi", endpoint, null, null, null, errno, LibModbus.ErrorText(errno));
        }

        var listenContext = ModbusContextHandle.Own(pointer);
        FileDescriptorHandle listener;
        try
        {
            var fd = LibModbus.TcpPiListen(listenContext, _options.Backlog);
            if (fd == -1)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new ModbusLinkException("Listen", endpoint, null, null, null, errno, LibModbus.ErrorText(errno));
            }

            listener = new FileDescriptorHandle(fd);
            _port = Libc.LocalPort(fd);
        }
        catch
        {
            listenContext.Dispose();
            throw;
        }

        return RunThread($"modbus-tcp-accept:{_port}", () => AcceptLoop(listenContext, listener, stopping));
    }

    private void AcceptLoop(ModbusContextHandle listenContext, FileDescriptorHandle listener, CancellationToken stopping)
    {
        var clients = new List<Task>();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                clients.RemoveAll(task => task.IsCompleted);
                if (!Libc.WaitReadable(listener.Fd, PollMilliseconds, out _))
                {
                    continue;
                }

                var listeningSocket = listener.Fd;
                var client = LibModbus.TcpPiAccept(listenContext, ref listeningSocket);
                var errno = Marshal.GetLastPInvokeError();

                // modbus_tcp_pi_accept stores the client socket in the listening context too; the client's
                // own context owns it from here.
                _ = LibModbus.SetSocket(listenContext, -1);
                if (client == -1)
                {
                    if (errno is not (Libc.EINTR or Libc.EAGAIN))
                    {
                        ReportError(new ModbusLinkException("Accept", $"tcp://{Host ?? "*"}:{_port}", null, null, null, errno, LibModbus.ErrorText(errno)));
                        stopping.WaitHandle.WaitOne(PollMilliseconds);
                    }

                    continue;
                }

                if (LibModbus.CheckSelectable(client, "Accept", $"tcp://{Host ?? "*"}:{_port}") is { } tooHigh)
                {
                    _ = Libc.Close(client);
                    ReportError(tooHigh);
                    continue;
                }

                if (Volatile.Read(ref _clients) >= _options.MaxClients)
                {
                    _ = Libc.Close(client);
                    continue;
                }

                var clientContext = CreateClientContext(client);
                if (clientContext is null)
                {
                    continue;
                }

                Interlocked.Increment(ref _clients);
                clients.Add(RunThread($"modbus-tcp-client:{client}", () =>
                {
                    try
                    {
                        ServeClient(clientContext, client, stopping);
                    }
                    finally
                    {
                        clientContext.Dispose();
                        Interlocked.Decrement(ref _clients);
                    }
                }));
            }
        }
        finally
        {
            listener.Dispose();
            listenContext.Dispose();
            Task.WaitAll([.. clients], TimeSpan.FromSeconds(10));
        }
    }

    private ModbusContextHandle? CreateClientContext(int socket)
    {
        var pointer = LibModbus.NewTcp("0.0.0.0", 0);
        if (pointer == 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            _ = Libc.Close(socket);
            ReportError(new ModbusLinkException("modbus_new_tcp", null, null, null, null, errno, LibModbus.ErrorText(errno)));
            return null;
        }

        var context = ModbusContextHandle.Own(pointer);
        _ = LibModbus.SetSocket(context, socket);
        ConfigureServerContext(context);
        return context;
    }

    private unsafe void ServeClient(ModbusContextHandle context, int socket, CancellationToken stopping)
    {
        var frame = new byte[LibModbus.MaxAduLength];
        var headerLength = LibModbus.GetHeaderLength(context);
        while (!stopping.IsCancellationRequested)
        {
            if (!Libc.WaitReadable(socket, PollMilliseconds, out var events))
            {
                continue;
            }

            if ((events & Libc.PollNval) != 0)
            {
                return;
            }

            int length;
            int errno;
            fixed (byte* pointer = frame)
            {
                length = LibModbus.Receive(context, pointer);
                errno = Marshal.GetLastPInvokeError();
            }

            if (length == -1)
            {
                if (errno == ModbusErrno.ETIMEDOUT)
                {
                    continue; // an incomplete request: dropped, as libmodbus does
                }

                return; // closed by the client (ECONNRESET), or a broken stream
            }

            if (length == 0)
            {
                continue;
            }

            var unit = frame[headerLength - 1];
            bool alive;
            if (TryGetMap(unit, out var map))
            {
                alive = Answer(context, frame, length, headerLength, 0, map, stopping);
            }
            else
            {
                alive = _options.UnknownUnit switch
                {
                    ModbusUnknownUnitResponse.GatewayTargetFailedToRespond => ReplyException(context, frame, ModbusExceptionCode.GatewayTargetFailedToRespond),
                    ModbusUnknownUnitResponse.GatewayPathUnavailable => ReplyException(context, frame, ModbusExceptionCode.GatewayPathUnavailable),
                    _ => true,
                };
            }

            if (!alive)
            {
                return;
            }
        }
    }
}
