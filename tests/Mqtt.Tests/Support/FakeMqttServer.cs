using System.Net;
using System.Net.Sockets;
using Telemetry.Mqtt.Formatter;
using Telemetry.Mqtt.Packets;
using Telemetry.Mqtt.Transport;

namespace Telemetry.Mqtt.Tests.Support;

/// <summary>
/// A scripted MQTT server for protocol tests: the test accepts each connection and reads and writes packets itself,
/// so it can misbehave on purpose and check exactly what the client sends.
/// </summary>
internal sealed class FakeMqttServer : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener;
    private readonly List<FakeConnection> _connections = [];

    public FakeMqttServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
    }

    public int Port { get; }

    /// <summary>Waits for the client's next TCP connection.</summary>
    public async Task<FakeConnection> AcceptAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var socket = await _listener.AcceptSocketAsync(cts.Token);
        var connection = new FakeConnection(socket);
        _connections.Add(connection);
        return connection;
    }

    /// <summary>Accepts a connection, reads its CONNECT and answers with <paramref name="connAck"/> (Success by default).</summary>
    public async Task<(FakeConnection Connection, ConnectPacket Connect)> AcceptAndConnectAsync(ConnAckPacket? connAck = null)
    {
        var connection = await AcceptAsync();
        var connect = await connection.ReadAsync<ConnectPacket>();
        await connection.SendAsync(connAck ?? new ConnAckPacket());
        return (connection, connect);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }
}

/// <summary>The server side of one client connection.</summary>
internal sealed class FakeConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly MqttPacketReader _reader;

    internal FakeConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new MqttPacketReader(_stream, MqttClientOptions.ProtocolMaximumPacketSize);
    }

    /// <summary>The next packet from the client, or null when it closed the connection.</summary>
    internal async Task<MqttPacket?> ReadPacketAsync()
    {
        using var cts = new CancellationTokenSource(FakeMqttServer.Timeout);
        try
        {
            var result = await _reader.ReadAsync(cts.Token);
            return result?.Packet;
        }
        catch (IOException)
        {
            return null;
        }
    }

    internal async Task<T> ReadAsync<T>()
        where T : MqttPacket
    {
        var packet = await ReadPacketAsync();
        return packet as T ?? throw new InvalidOperationException($"Expected {typeof(T).Name} but got {(packet is null ? "end of stream" : Canonical.Describe(packet))}.");
    }

    /// <summary>Reads until the client closes the connection; returns what it sent before that.</summary>
    internal async Task<List<MqttPacket>> ReadUntilClosedAsync()
    {
        var packets = new List<MqttPacket>();
        while (await ReadPacketAsync() is { } packet)
        {
            packets.Add(packet);
        }

        return packets;
    }

    internal Task SendAsync(MqttPacket packet) => SendRawAsync(MqttPacketEncoder.ToArray(packet));

    public async Task SendRawAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(FakeMqttServer.Timeout);
        await _stream.WriteAsync(bytes, cts.Token);
    }

    /// <summary>Resets the connection without DISCONNECT.</summary>
    public void Abort()
    {
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
            _socket.Close();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        Abort();
        return _stream.DisposeAsync();
    }
}
