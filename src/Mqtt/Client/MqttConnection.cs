using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Telemetry.Mqtt.Diagnostics;
using Telemetry.Mqtt.Formatter;
using Telemetry.Mqtt.Packets;
using Telemetry.Mqtt.Transport;

namespace Telemetry.Mqtt;

/// <summary>
/// One network connection: a reader loop, a single writer loop that coalesces queued packets into one socket
/// write per batch, and a keep-alive loop. Every loop catches everything and ends in <see cref="Close"/>.
/// </summary>
internal sealed class MqttConnection
{
    private const int BatchBytes = 64 * 1024;
    private static readonly TimeSpan MinimumTimerDelay = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan ProtocolErrorFlushTimeout = TimeSpan.FromSeconds(2);

    private readonly Stream _stream;
    private readonly MqttPacketReader _reader;
    private readonly Channel<OutboundItem> _outbound = Channel.CreateUnbounded<OutboundItem>(new UnboundedChannelOptions
    {
        SingleReader = true,
        SingleWriter = false,
        AllowSynchronousContinuations = false,
    });

    private readonly CancellationTokenSource _cts = new();
    private readonly TaskCompletionSource<MqttConnectionCloseInfo> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finalPacketWritten = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly MqttClientCounters _counters;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private IMqttConnectionOwner? _owner;
    private Task _loops = Task.CompletedTask;
    private long _lastWriteTimestamp;
    private long _lastReceiveTimestamp;
    private long _pingSentTimestamp;
    private volatile bool _pingOutstanding;
    private volatile bool _readerBlocked;
    private int _closing;

    public MqttConnection(Stream stream, int maximumPacketSize, MqttClientCounters counters, ILogger logger, TimeProvider time)
    {
        _stream = stream;
        _reader = new MqttPacketReader(stream, maximumPacketSize);
        _counters = counters;
        _logger = logger;
        _time = time;
    }

    /// <summary>1 for the client's first connection, incremented per reconnect.</summary>
    public long Generation { get; set; }

    /// <summary>Completes (never faults) when the connection has closed.</summary>
    public Task<MqttConnectionCloseInfo> Closed => _closed.Task;

    /// <summary>Set while the reader waits for room in the application's message queue: keep-alive timing pauses.</summary>
    public bool ReaderBlockedOnApplication
    {
        get => _readerBlocked;
        set => _readerBlocked = value;
    }

    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>Whether the server's overshoot of our Receive Maximum was already logged for this connection.</summary>
    public bool ReceiveMaximumExceededLogged { get; set; }

    /// <summary>Sends CONNECT and returns the server's first packet, which must be CONNACK.</summary>
    public async Task<ConnAckPacket> HandshakeAsync(ConnectPacket connect, CancellationToken cancellationToken)
    {
        using (var buffer = new PooledBufferWriter(512))
        {
            var size = MqttPacketEncoder.Encode(buffer, connect);
            await _stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            MqttClientCounters.Increment(ref _counters.PacketsSent);
            MqttClientCounters.Add(ref _counters.BytesSent, size);
        }

        var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new IOException("The server closed the connection without sending CONNACK.");
        MqttClientCounters.Increment(ref _counters.PacketsReceived);
        MqttClientCounters.Add(ref _counters.BytesReceived, result.Size);
        return result.Packet switch
        {
            ConnAckPacket connAck => connAck,
            DisconnectPacket disconnect => throw new MqttProtocolException(
                disconnect.ReasonCode,
                $"The server sent DISCONNECT {disconnect.ReasonCode} instead of CONNACK: {disconnect.ReasonString}"),
            var other => throw MqttProtocolException.ProtocolError($"The server sent {other.Type} instead of CONNACK."),
        };
    }

    /// <summary>Starts the loops once the owner has set up the session for this connection.</summary>
    public void Start(IMqttConnectionOwner owner, TimeSpan keepAlive)
    {
        _owner = owner;
        Volatile.Write(ref _lastWriteTimestamp, _time.GetTimestamp());
        Volatile.Write(ref _lastReceiveTimestamp, _time.GetTimestamp());
        var writer = Task.Run(WriteLoopAsync);
        var reader = Task.Run(ReadLoopAsync);
        var keepAliveLoop = keepAlive > TimeSpan.Zero ? Task.Run(() => KeepAliveLoopAsync(keepAlive)) : Task.CompletedTask;
        _loops = Task.WhenAll(writer, reader, keepAliveLoop);
    }

    /// <summary>Completes when every loop has ended (they never fault).</summary>
    public Task WhenStopped => _loops;

    /// <summary>Queues a packet; false once the connection is closing.</summary>
    public bool TryEnqueue(MqttPacket packet) => !IsClosing && _outbound.Writer.TryWrite(new OutboundItem(packet));

    /// <summary>Queues a publish; false once the connection is closing.</summary>
    public bool TryEnqueue(OutboundPublish publish, bool duplicate) => !IsClosing && _outbound.Writer.TryWrite(new OutboundItem(publish, duplicate));

    /// <summary>Queues DISCONNECT behind what is already queued, waits until it is written (bounded), then closes.</summary>
    public async Task DisconnectAsync(DisconnectPacket packet, MqttConnectionCloseInfo info, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!IsClosing && _outbound.Writer.TryWrite(new OutboundItem(packet)))
        {
            try
            {
                await _finalPacketWritten.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
            {
                // Close regardless.
            }
        }

        Close(info);
    }

    /// <summary>Closes the connection once: tells the owner, cancels the loops and closes the stream.</summary>
    public void Close(MqttConnectionCloseInfo info)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        try
        {
            _owner?.OnConnectionClosed(this, info);
        }
        catch (Exception exception)
        {
            MqttLog.BackgroundLoopFailed(_logger, exception);
        }

        try
        {
            _cts.Cancel();
        }
        catch (AggregateException exception)
        {
            MqttLog.BackgroundLoopFailed(_logger, exception);
        }

        try
        {
            _stream.Dispose();
        }
        catch (Exception exception)
        {
            MqttLog.WriteFailed(_logger, Generation, exception);
        }

        _closed.TrySetResult(info);
        if (_owner is null)
        {
            _outbound.Writer.TryComplete();
        }
    }

    private async Task WriteLoopAsync()
    {
        var buffer = new PooledBufferWriter();
        var written = new List<OutboundPublish>();
        var reader = _outbound.Reader;
        Exception? failure = null;
        try
        {
            while (await reader.WaitToReadAsync(_cts.Token).ConfigureAwait(false))
            {
                var stop = false;
                var packets = 0;
                var publishes = 0;
                while (buffer.WrittenCount < BatchBytes && reader.TryRead(out var item))
                {
                    if (item.Publish is { } publish)
                    {
                        try
                        {
                            MqttPacketEncoder.EncodePublish(buffer, publish.Message, publish.PacketIdentifier, item.Duplicate);
                        }
                        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
                        {
                            _owner!.OnPublishFailed(publish, exception);
                            continue;
                        }

                        publishes++;
                        if (publish.Message.QualityOfService == MqttQualityOfService.AtMostOnce)
                        {
                            written.Add(publish);
                        }
                    }
                    else
                    {
                        MqttPacketEncoder.Encode(buffer, item.Packet!);
                        stop = item.Packet is DisconnectPacket;
                    }

                    packets++;
                    if (stop)
                    {
                        break;
                    }
                }

                if (buffer.WrittenCount > 0)
                {
                    await _stream.WriteAsync(buffer.WrittenMemory, _cts.Token).ConfigureAwait(false);
                    await _stream.FlushAsync(_cts.Token).ConfigureAwait(false);
                    Volatile.Write(ref _lastWriteTimestamp, _time.GetTimestamp());
                    MqttClientCounters.Add(ref _counters.PacketsSent, packets);
                    MqttClientCounters.Add(ref _counters.PublishesSent, publishes);
                    MqttClientCounters.Add(ref _counters.BytesSent, buffer.WrittenCount);
                }

                buffer.Reset();
                foreach (var publish in written)
                {
                    publish.Completion.TrySetResult(new MqttPublishResult { ReasonCode = MqttPublishReasonCode.Success });
                }

                written.Clear();
                if (stop)
                {
                    _finalPacketWritten.TrySetResult();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
            // Closing.
        }
        catch (Exception exception)
        {
            failure = exception;
        }
        finally
        {
            _finalPacketWritten.TrySetResult();
            _outbound.Writer.TryComplete();
            foreach (var publish in written)
            {
                publish.Completion.TrySetException(new MqttClientDisconnectedException(
                    "The connection was lost while the QoS 0 message was being written; it may or may not have been delivered.", failure));
            }

            while (reader.TryRead(out var item))
            {
                if (item.Publish is { Message.QualityOfService: MqttQualityOfService.AtMostOnce } unsent)
                {
                    _owner?.OnPublishNotSent(unsent);
                }
            }

            buffer.Dispose();
            if (failure is not null)
            {
                MqttLog.WriteFailed(_logger, Generation, failure);
                Close(new MqttConnectionCloseInfo($"Writing to the server failed: {failure.Message}", Exception: failure));
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(_cts.Token).ConfigureAwait(false);
                if (result is not { } read)
                {
                    Close(new MqttConnectionCloseInfo("The server closed the connection."));
                    return;
                }

                MqttClientCounters.Increment(ref _counters.PacketsReceived);
                MqttClientCounters.Add(ref _counters.BytesReceived, read.Size);
                Volatile.Write(ref _lastReceiveTimestamp, _time.GetTimestamp());
                _pingOutstanding = false;
                switch (read.Packet)
                {
                    case PingRespPacket:
                        break;
                    case DisconnectPacket disconnect:
                        MqttLog.ServerDisconnected(_logger, Generation, disconnect.ReasonCode, disconnect.ReasonString);
                        Close(new MqttConnectionCloseInfo(
                            $"The server sent DISCONNECT {disconnect.ReasonCode} (0x{(byte)disconnect.ReasonCode:X2}).",
                            disconnect.ReasonCode,
                            disconnect.ReasonString));
                        return;
                    default:
                        await _owner!.OnPacketReceivedAsync(this, read.Packet, _cts.Token).ConfigureAwait(false);
                        break;
                }

                _reader.TrimIfIdle();
            }
        }
        catch (MqttProtocolException exception)
        {
            await FailAsync(exception).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
            // Closing.
        }
        catch (ChannelClosedException exception)
        {
            Close(new MqttConnectionCloseInfo("The client was disposed.", Exception: exception, ClosedByClient: true));
        }
        catch (Exception exception)
        {
            Close(new MqttConnectionCloseInfo($"Reading from the server failed: {exception.Message}", Exception: exception));
        }
    }

    /// <summary>Answers a protocol violation with DISCONNECT and the matching reason code, then closes.</summary>
    private async Task FailAsync(MqttProtocolException exception)
    {
        if (exception.ReasonCode is MqttDisconnectReasonCode.MalformedPacket or MqttDisconnectReasonCode.PacketTooLarge)
        {
            MqttClientCounters.Increment(ref _counters.MalformedPacketsReceived);
        }
        else
        {
            MqttClientCounters.Increment(ref _counters.ProtocolErrors);
        }

        MqttLog.ProtocolViolation(_logger, Generation, exception.ReasonCode, exception.Message);
        var reason = exception.Message.Length > 200 ? exception.Message[..200] : exception.Message;
        var packet = new DisconnectPacket
        {
            ReasonCode = exception.ReasonCode,
            ReasonString = MqttEncoding.IsValidString(reason) ? reason : null,
        };
        var info = new MqttConnectionCloseInfo(
            $"Protocol violation by the server: {exception.Message}",
            exception.ReasonCode,
            Exception: exception);
        await DisconnectAsync(packet, info, ProtocolErrorFlushTimeout, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task KeepAliveLoopAsync(TimeSpan keepAlive)
    {
        var responseTimeout = keepAlive;
        try
        {
            while (!_cts.IsCancellationRequested)
            {
                TimeSpan wait;
                if (_pingOutstanding)
                {
                    var sincePing = _time.GetElapsedTime(Volatile.Read(ref _pingSentTimestamp));
                    if (_readerBlocked)
                    {
                        // The answer may be waiting behind messages the application has not taken yet.
                        Volatile.Write(ref _pingSentTimestamp, _time.GetTimestamp());
                        wait = responseTimeout;
                    }
                    else if (sincePing >= responseTimeout)
                    {
                        MqttClientCounters.Increment(ref _counters.KeepAliveTimeouts);
                        MqttLog.KeepAliveTimeout(_logger, Generation, responseTimeout.TotalSeconds);
                        Close(new MqttConnectionCloseInfo(
                            $"No answer from the server within {responseTimeout.TotalSeconds}s of PINGREQ.",
                            MqttDisconnectReasonCode.KeepAliveTimeout,
                            Exception: new TimeoutException("The server did not answer PINGREQ.")));
                        return;
                    }
                    else
                    {
                        wait = responseTimeout - sincePing;
                    }
                }
                else
                {
                    // Ping when nothing was sent (the server's keep alive) or nothing arrived (is the server still there?).
                    var sinceWrite = _time.GetElapsedTime(Volatile.Read(ref _lastWriteTimestamp));
                    var sinceReceive = _time.GetElapsedTime(Volatile.Read(ref _lastReceiveTimestamp));
                    var idle = sinceWrite > sinceReceive ? sinceWrite : sinceReceive;
                    if (idle >= keepAlive)
                    {
                        Volatile.Write(ref _pingSentTimestamp, _time.GetTimestamp());
                        _pingOutstanding = true;
                        TryEnqueue(PingReqPacket.Instance);
                        wait = responseTimeout;
                    }
                    else
                    {
                        wait = keepAlive - idle;
                    }
                }

                await Task.Delay(wait < MinimumTimerDelay ? MinimumTimerDelay : wait, _time, _cts.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
            // Closing.
        }
        catch (Exception exception)
        {
            Close(new MqttConnectionCloseInfo($"Keep alive failed: {exception.Message}", Exception: exception));
        }
    }
}
