using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Mqtt.Diagnostics;
using Telemetry.Mqtt.Formatter;
using Telemetry.Mqtt.Packets;
using Telemetry.Mqtt.Transport;

namespace Telemetry.Mqtt;

/// <summary>
/// The MQTT 5 client. Thread-safe: every member may be called concurrently.
/// </summary>
/// <remarks>
/// <para>Session state lives in this object across reconnects: unacknowledged QoS 1 publishes are retransmitted
/// (DUP=1, same packet identifier when the server resumed the session; as new messages otherwise), pending
/// SUBSCRIBE/UNSUBSCRIBE requests are retransmitted, and subscriptions are made again when the server did not resume
/// the session. Outgoing QoS 1 publishes are pipelined up to the server's Receive Maximum.</para>
/// <para>Only the first <see cref="ConnectAsync"/> honours <see cref="MqttClientOptions.CleanStart"/>; automatic
/// reconnects always ask to resume the session.</para>
/// </remarks>
public sealed class MqttClient : IMqttClient, IMqttConnectionOwner
{
    /// <summary>Packet identifiers kept free of publishes so that SUBSCRIBE/UNSUBSCRIBE always find one.</summary>
    private const int PacketIdentifierReserve = 256;

    /// <summary>Topic filters per SUBSCRIBE when re-subscribing after a reconnect.</summary>
    private const int ResubscribeBatch = 64;

    private static readonly TimeSpan DisconnectFlushTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StopWaitTimeout = TimeSpan.FromSeconds(10);

    private readonly MqttClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ReadOnlyMemory<byte>? _password;
    private readonly MqttClientCounters _counters = new();
    private readonly Channel<MqttReceivedMessage> _messages;
    private readonly QueueReader _messagesReader;
    private readonly SemaphoreSlim _messageTaken = new(0, int.MaxValue);
    private long _queuedBytes;
    private readonly Channel<MqttConnectionStateChangedEventArgs> _events;
    private readonly Lock _sync = new();

    // Everything below is guarded by _sync.
    private readonly PacketIdentifierPool _packetIdentifiers = new();
    private readonly Dictionary<ushort, OutboundPublish> _inFlight = [];
    private readonly LinkedList<OutboundPublish> _inFlightOrder = new();
    private readonly LinkedList<OutboundPublish> _quotaWaiters = new();
    private readonly List<OutboundPublish> _unsentAtMostOnce = [];
    private readonly Dictionary<ushort, PendingRequest> _requests = [];
    private readonly Dictionary<string, MqttSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<ushort, MqttReceivedMessage> _unacknowledged = [];
    private volatile MqttConnectionState _state = MqttConnectionState.Disconnected;
    private MqttConnection? _connection;
    private long _generation;
    private bool _sessionPresent;
    private bool _stopping;
    private Task? _stopTask;
    private CancellationTokenSource? _runCts;
    private Task _supervisor = Task.CompletedTask;
    private TaskCompletionSource _stateSignal = NewSignal();
    private TaskCompletionSource? _drained;
    private string _clientId;
    private int _sendQuota = ushort.MaxValue - PacketIdentifierReserve;
    private long _serverMaximumPacketSize = MqttClientOptions.ProtocolMaximumPacketSize;
    private MqttQualityOfService _serverMaximumQoS = MqttQualityOfService.ExactlyOnce;
    private bool _retainAvailable = true;
    private LinkedListNode<OutboundPublish>? _nextToTransmit;
    private long _requestSequence;
    private int _peakInFlight;

    /// <summary>Creates a client; nothing happens on the network until <see cref="ConnectAsync"/>.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="logger">Where to log; nothing is logged when <see langword="null"/>.</param>
    /// <param name="time">The clock for keep alive, timeouts and backoff; the system clock when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public MqttClient(MqttClientOptions options, ILogger<MqttClient>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _clientId = options.ClientId;
        if (options.Password is not null)
        {
            // Assigned in a statement: a null byte[] would convert to empty (present) memory.
            _password = Encoding.UTF8.GetBytes(options.Password);
        }
        _messages = Channel.CreateBounded<MqttReceivedMessage>(new BoundedChannelOptions(options.MessageQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = false, // an old connection's reader may still be leaving WriteAsync when the new one starts
            SingleReader = false,
            AllowSynchronousContinuations = false,
        });
        _messagesReader = new QueueReader(this, _messages.Reader);
        _events = Channel.CreateUnbounded<MqttConnectionStateChangedEventArgs>(new UnboundedChannelOptions { SingleReader = true });
        _ = Task.Run(PumpEventsAsync);
    }

    /// <inheritdoc />
    public event EventHandler<MqttConnectionStateChangedEventArgs>? ConnectionStateChanged;

    /// <inheritdoc />
    public MqttConnectionState State => _state;

    /// <inheritdoc />
    public ChannelReader<MqttReceivedMessage> Messages => _messagesReader;

    /// <summary>The client identifier in use (the server-assigned one once connected, if <see cref="MqttClientOptions.ClientId"/> was empty).</summary>
    public string ClientId
    {
        get
        {
            lock (_sync)
            {
                return _clientId;
            }
        }
    }

    /// <summary>A consistent snapshot of the client's counters and gauges.</summary>
    public MqttClientStatistics GetStatistics()
    {
        int inFlight, peak, waiting, unacknowledged;
        lock (_sync)
        {
            inFlight = _inFlight.Count;
            peak = _peakInFlight;
            waiting = _quotaWaiters.Count;
            unacknowledged = _unacknowledged.Count;
        }

        return _counters.Snapshot(inFlight, peak, waiting, unacknowledged, _messages.Reader.Count);
    }

    /// <inheritdoc />
    public async Task<MqttConnectResult> ConnectAsync(CancellationToken cancellationToken)
    {
        CancellationTokenSource runCts;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_state == MqttConnectionState.Disposed, this);
            if (_state != MqttConnectionState.Disconnected || _stopping)
            {
                throw new InvalidOperationException($"ConnectAsync needs a disconnected client; the client is {_state}.");
            }

            _runCts?.Dispose();
            runCts = _runCts = new CancellationTokenSource();
            SetState(MqttConnectionState.Connecting);
        }

        MqttClientCounters.Increment(ref _counters.ConnectionAttempts);
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, runCts.Token);
            var (connection, connAck) = await EstablishAsync(_options.CleanStart, linked.Token).ConfigureAwait(false);
            if (!TryActivate(connection, connAck, out var result, out var keepAlive))
            {
                connection.Close(new MqttConnectionCloseInfo("The client was stopped while connecting.", ClosedByClient: true));
                throw new MqttClientDisconnectedException("The client was disconnected or disposed while connecting.");
            }

            connection.Start(this, keepAlive);
            lock (_sync)
            {
                _supervisor = Task.Run(() => SuperviseAsync(connection, runCts.Token));
            }

            return result;
        }
        catch (Exception exception)
        {
            lock (_sync)
            {
                if (_state == MqttConnectionState.Connecting && !_stopping)
                {
                    SetState(MqttConnectionState.Disconnected, exception: exception);
                    FailAllOperations(() => new MqttClientDisconnectedException("The first connect failed.", exception));
                    _runCts = null;
                    runCts.Dispose();
                }
            }

            if (exception is MqttConnectException or MqttClientDisconnectedException
                || (exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                throw;
            }

            if (exception is OperationCanceledException)
            {
                throw new MqttClientDisconnectedException("The client was disconnected or disposed while connecting.", exception);
            }

            throw new MqttConnectException(null, $"Could not connect to {_options.Host}:{_options.Port}: {exception.Message}", exception);
        }
    }

    /// <inheritdoc />
    public Task<MqttPublishResult> PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        MqttMessageValidator.Validate(message, nameof(message));
        var publish = new OutboundPublish(message, MqttPacketEncoder.GetPublishPacketSize(message));
        return message.QualityOfService == MqttQualityOfService.AtMostOnce
            ? PublishAtMostOnceAsync(publish, cancellationToken)
            : PublishAtLeastOnceAsync(publish, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<MqttSubscribeResult> SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        if (subscriptions.Count == 0)
        {
            throw new ArgumentException("At least one subscription is needed.", nameof(subscriptions));
        }

        foreach (var subscription in subscriptions)
        {
            ArgumentNullException.ThrowIfNull(subscription, nameof(subscriptions));
            MqttTopicFilter.Validate(subscription.TopicFilter);
            if (subscription.MaximumQoS == MqttQualityOfService.ExactlyOnce)
            {
                throw new NotSupportedException("QoS 2 subscriptions are not supported; use QoS 1.");
            }

            if (subscription.MaximumQoS > MqttQualityOfService.ExactlyOnce || subscription.RetainHandling > MqttRetainHandling.DoNotSend)
            {
                throw new ArgumentException($"Invalid options for '{subscription.TopicFilter}'.", nameof(subscriptions));
            }

            if (subscription.NoLocal && MqttTopicFilter.TryParseShared(subscription.TopicFilter, out _, out _))
            {
                throw new ArgumentException($"NoLocal is not allowed on the shared subscription '{subscription.TopicFilter}'.", nameof(subscriptions));
            }
        }

        var packet = new SubscribePacket { Subscriptions = [.. subscriptions] };
        var ack = (SubAckPacket)await SendRequestAsync(packet, cancellationToken).ConfigureAwait(false);
        var items = new MqttSubscribeResultItem[subscriptions.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new MqttSubscribeResultItem(subscriptions[i].TopicFilter, ack.ReasonCodes[i]);
        }

        return new MqttSubscribeResult { Items = items, ReasonString = ack.ReasonString, UserProperties = ack.UserProperties };
    }

    /// <inheritdoc />
    public async Task<MqttUnsubscribeResult> UnsubscribeAsync(IReadOnlyList<string> topicFilters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topicFilters);
        if (topicFilters.Count == 0)
        {
            throw new ArgumentException("At least one topic filter is needed.", nameof(topicFilters));
        }

        foreach (var filter in topicFilters)
        {
            MqttTopicFilter.Validate(filter);
        }

        var packet = new UnsubscribePacket { TopicFilters = [.. topicFilters] };
        var ack = (UnsubAckPacket)await SendRequestAsync(packet, cancellationToken).ConfigureAwait(false);
        var items = new MqttUnsubscribeResultItem[topicFilters.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new MqttUnsubscribeResultItem(topicFilters[i], ack.ReasonCodes[i]);
        }

        return new MqttUnsubscribeResult { Items = items, ReasonString = ack.ReasonString, UserProperties = ack.UserProperties };
    }

    /// <inheritdoc />
    public ValueTask AcknowledgeAsync(MqttReceivedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        if (message.Message.QualityOfService == MqttQualityOfService.AtMostOnce || !_options.ManualAcknowledgement)
        {
            return ValueTask.CompletedTask;
        }

        lock (_sync)
        {
            if (_connection is { } connection
                && message.ConnectionGeneration == _generation
                && _unacknowledged.TryGetValue(message.PacketIdentifier, out var outstanding)
                && ReferenceEquals(outstanding, message))
            {
                _unacknowledged.Remove(message.PacketIdentifier);
                connection.TryEnqueue(new PubAckPacket { PacketIdentifier = message.PacketIdentifier });
            }
            else
            {
                MqttLog.AcknowledgementDropped(_logger, message.PacketIdentifier, message.ConnectionGeneration, _generation);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public Task DisconnectAsync(CancellationToken cancellationToken) => StopAsync(disposing: false, cancellationToken);

    /// <summary>
    /// Closes the connection (DISCONNECT with reason Normal, without waiting for in-flight publishes, which fail),
    /// stops reconnecting and completes <see cref="Messages"/>.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(disposing: true, CancellationToken.None).ConfigureAwait(false);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task<MqttPublishResult> PublishAtMostOnceAsync(OutboundPublish publish, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task signal;
            lock (_sync)
            {
                ThrowIfNotUsable();
                CheckServerLimits(publish);
                if (_state == MqttConnectionState.Connected && _connection is { } connection && connection.TryEnqueue(publish, duplicate: false))
                {
                    break;
                }

                signal = _stateSignal.Task;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return await publish.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<MqttPublishResult> PublishAtLeastOnceAsync(OutboundPublish publish, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sync)
        {
            ThrowIfNotUsable();
            CheckServerLimits(publish);
            if (_quotaWaiters.Count == 0 && CanAdmit())
            {
                Admit(publish);
            }
            else
            {
                publish.Node = _quotaWaiters.AddLast(publish);
            }
        }

        if (!cancellationToken.CanBeCanceled)
        {
            return await publish.Completion.Task.ConfigureAwait(false);
        }

        try
        {
            return await publish.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            lock (_sync)
            {
                // Not sent yet: withdraw it. Already sent: it stays in the session until its PUBACK.
                if (publish.Node is { } node && node.List == _quotaWaiters)
                {
                    _quotaWaiters.Remove(node);
                    publish.Node = null;
                    publish.Completion.TrySetCanceled(cancellationToken);
                    CheckDrained();
                }
            }

            throw;
        }
    }

    private async Task<MqttPacket> SendRequestAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        var request = new PendingRequest(packet, isInternal: false);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task signal;
            lock (_sync)
            {
                ThrowIfNotUsable();
                if (_state == MqttConnectionState.Connected && _connection is { } connection)
                {
                    Register(request);
                    if (packet is UnsubscribePacket unsubscribe)
                    {
                        foreach (var filter in unsubscribe.TopicFilters)
                        {
                            _subscriptions.Remove(filter);
                        }
                    }

                    connection.TryEnqueue(request.Packet);
                    break;
                }

                signal = _stateSignal.Task;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await request.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            lock (_sync)
            {
                request.Abandoned = true;
            }

            throw;
        }
    }

    /// <summary>Gives a request a packet identifier and tracks it until its acknowledgement.</summary>
    private void Register(PendingRequest request)
    {
        if (!_packetIdentifiers.TryAllocate(out var identifier))
        {
            throw new InvalidOperationException("All 65535 packet identifiers are in use.");
        }

        request.PacketIdentifier = identifier;
        request.Sequence = ++_requestSequence;
        request.Packet = request.Packet switch
        {
            SubscribePacket subscribe => subscribe with { PacketIdentifier = identifier },
            UnsubscribePacket unsubscribe => unsubscribe with { PacketIdentifier = identifier },
            var other => other,
        };
        _requests.Add(identifier, request);

        // Its answer may arrive behind messages a full queue is holding back: the reader must go on to read it.
        WakeQueueWaiter();
    }

    private void ThrowIfNotUsable()
    {
        ObjectDisposedException.ThrowIf(_state == MqttConnectionState.Disposed, this);
        if (_stopping || _state == MqttConnectionState.Disconnected)
        {
            throw new MqttClientDisconnectedException(_stopping
                ? "The client is disconnecting."
                : "The client is not connected; call ConnectAsync first.");
        }
    }

    /// <summary>Limits announced by the server in the last CONNACK.</summary>
    private void CheckServerLimits(OutboundPublish publish)
    {
        if (publish.Size > _serverMaximumPacketSize)
        {
            throw new ArgumentException(
                $"The PUBLISH would be {publish.Size} bytes; the server's Maximum Packet Size is {_serverMaximumPacketSize}.",
                "message");
        }

        if (publish.Message.QualityOfService > _serverMaximumQoS)
        {
            throw new NotSupportedException($"The server supports at most {_serverMaximumQoS}.");
        }

        if (publish.Message.Retain && !_retainAvailable)
        {
            throw new NotSupportedException("The server does not support retained messages.");
        }
    }

    private bool CanAdmit() =>
        _state == MqttConnectionState.Connected && _connection is not null && _inFlight.Count < _sendQuota;

    /// <summary>Makes a QoS 1 publish in flight on the current connection.</summary>
    private void Admit(OutboundPublish publish)
    {
        if (!_packetIdentifiers.TryAllocate(out var identifier))
        {
            publish.Completion.TrySetException(new InvalidOperationException("All 65535 packet identifiers are in use."));
            return;
        }

        publish.PacketIdentifier = identifier;
        _inFlight.Add(identifier, publish);
        _peakInFlight = Math.Max(_peakInFlight, _inFlight.Count);
        publish.Node = _inFlightOrder.AddLast(publish);
        Transmit(publish);
    }

    private void Transmit(OutboundPublish publish)
    {
        var duplicate = publish.Transmitted && _sessionPresent;
        publish.Transmitted = true;
        _connection?.TryEnqueue(publish, duplicate);
    }

    private void AdmitWaiters()
    {
        while (_quotaWaiters.First is { } node && CanAdmit())
        {
            _quotaWaiters.RemoveFirst();
            node.Value.Node = null;
            var publish = node.Value;
            if (TryCheckServerLimits(publish))
            {
                Admit(publish);
            }
        }
    }

    /// <summary>Fails <paramref name="publish"/> when the current server limits no longer allow it.</summary>
    private bool TryCheckServerLimits(OutboundPublish publish)
    {
        try
        {
            CheckServerLimits(publish);
            return true;
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException)
        {
            MqttLog.PublishTooLarge(_logger, publish.Message.Topic, publish.Size, _serverMaximumPacketSize);
            publish.Completion.TrySetException(exception);
            return false;
        }
    }

    /// <summary>Removes a QoS 1 publish from the session, frees its slot and fills the slot.</summary>
    private void RemoveInFlight(OutboundPublish publish)
    {
        if (!_inFlight.Remove(publish.PacketIdentifier) || publish.Node is not { } node)
        {
            return;
        }

        var wasPending = false;
        for (var pending = _nextToTransmit; pending is not null; pending = pending.Next)
        {
            if (pending == node)
            {
                wasPending = true;
                break;
            }
        }

        if (_nextToTransmit == node)
        {
            _nextToTransmit = node.Next;
        }

        _inFlightOrder.Remove(node);
        publish.Node = null;
        _packetIdentifiers.Release(publish.PacketIdentifier);
        if (!wasPending)
        {
            // A transmitted publish left: its slot goes to the next held-back retransmission, else to a waiter.
            if (_nextToTransmit is { } next && _connection is not null)
            {
                _nextToTransmit = next.Next;
                Transmit(next.Value);
            }
            else if (_nextToTransmit is null)
            {
                AdmitWaiters();
            }
        }

        CheckDrained();
    }

    private void CheckDrained()
    {
        if (_drained is not null && _inFlight.Count == 0 && _quotaWaiters.Count == 0)
        {
            _drained.TrySetResult();
            _drained = null;
        }
    }

    private void SetState(
        MqttConnectionState state,
        MqttDisconnectReasonCode? reason = null,
        string? reasonString = null,
        Exception? exception = null)
    {
        var previous = _state;
        if (previous == state)
        {
            return;
        }

        _state = state;
        var signal = _stateSignal;
        _stateSignal = NewSignal();
        signal.TrySetResult();
        _events.Writer.TryWrite(new MqttConnectionStateChangedEventArgs(previous, state, reason, reasonString, exception));
    }

    private async Task PumpEventsAsync()
    {
        try
        {
            await foreach (var change in _events.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    ConnectionStateChanged?.Invoke(this, change);
                }
                catch (Exception exception)
                {
                    MqttLog.EventHandlerFailed(_logger, exception);
                }
            }
        }
        catch (Exception exception)
        {
            MqttLog.BackgroundLoopFailed(_logger, exception);
        }
    }

    private ConnectPacket BuildConnectPacket(string clientId, bool cleanStart) => new()
    {
        ClientId = clientId,
        CleanStart = cleanStart,
        KeepAliveSeconds = (ushort)_options.KeepAlive.TotalSeconds,
        UserName = _options.Username,
        Password = _password,
        Will = _options.Will is { } will ? new ConnectWill(will.Message, (uint)will.Delay.TotalSeconds) : null,
        SessionExpiryIntervalSeconds = (uint)_options.SessionExpiryInterval.TotalSeconds,
        ReceiveMaximum = _options.ReceiveMaximum,
        MaximumPacketSize = (uint)_options.MaximumPacketSize,
        UserProperties = _options.UserProperties,
    };

    /// <summary>TCP, TLS, CONNECT and CONNACK within <see cref="MqttClientOptions.ConnectTimeout"/>.</summary>
    private async Task<(MqttConnection Connection, ConnAckPacket ConnAck)> EstablishAsync(bool cleanStart, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        Stream? stream = null;
        MqttConnection? connection = null;
        try
        {
            stream = await MqttTransport.ConnectAsync(_options, linked.Token).ConfigureAwait(false);
            connection = new MqttConnection(stream, _options.MaximumPacketSize, _counters, _logger, _time);
            string clientId;
            lock (_sync)
            {
                clientId = _clientId;
            }

            var connAck = await connection.HandshakeAsync(BuildConnectPacket(clientId, cleanStart), linked.Token).ConfigureAwait(false);
            if (connAck.ReasonCode != MqttConnectReasonCode.Success)
            {
                var detail = connAck.ReasonString is null ? "" : $": {connAck.ReasonString}";
                throw new MqttConnectException(
                    connAck.ReasonCode,
                    $"The server refused the connection with {connAck.ReasonCode} (0x{(byte)connAck.ReasonCode:X2}){detail}.",
                    reasonString: connAck.ReasonString,
                    serverReference: connAck.ServerReference);
            }

            return (connection, connAck);
        }
        catch (Exception exception)
        {
            if (connection is not null)
            {
                connection.Close(new MqttConnectionCloseInfo("Connect failed.", Exception: exception));
            }
            else if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            if (exception is MqttConnectException || (exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                throw;
            }

            if (exception is OperationCanceledException && timeout.IsCancellationRequested)
            {
                throw new MqttConnectException(null, $"No CONNACK from {_options.Host}:{_options.Port} within {_options.ConnectTimeout}.", exception);
            }

            throw new MqttConnectException(null, $"Could not connect to {_options.Host}:{_options.Port}: {exception.Message}", exception);
        }
    }

    /// <summary>Makes <paramref name="connection"/> current and restores the session on it; false when stopping.</summary>
    private bool TryActivate(MqttConnection connection, ConnAckPacket connAck, out MqttConnectResult result, out TimeSpan keepAlive)
    {
        keepAlive = connAck.ServerKeepAliveSeconds is { } serverKeepAlive ? TimeSpan.FromSeconds(serverKeepAlive) : _options.KeepAlive;
        lock (_sync)
        {
            if (_stopping || _state == MqttConnectionState.Disposed || _runCts is null || _runCts.IsCancellationRequested)
            {
                result = null!;
                return false;
            }

            _generation++;
            connection.Generation = _generation;
            _connection = connection;
            _sessionPresent = connAck.SessionPresent;
            if (connAck.AssignedClientIdentifier is { } assigned)
            {
                _clientId = assigned;
            }

            var receiveMaximum = connAck.ReceiveMaximum ?? ushort.MaxValue;
            _sendQuota = Math.Min((int)receiveMaximum, ushort.MaxValue - PacketIdentifierReserve);
            _serverMaximumPacketSize = connAck.MaximumPacketSize ?? MqttClientOptions.ProtocolMaximumPacketSize;
            _serverMaximumQoS = connAck.MaximumQoS ?? MqttQualityOfService.ExactlyOnce;
            _retainAvailable = connAck.RetainAvailable ?? true;
            _unacknowledged.Clear();

            RestoreRequests(connection);
            RestorePublishes(connection);
            foreach (var unsent in _unsentAtMostOnce)
            {
                if (TryCheckServerLimits(unsent))
                {
                    connection.TryEnqueue(unsent, duplicate: false);
                }
            }

            _unsentAtMostOnce.Clear();
            var previous = _state;
            SetState(MqttConnectionState.Connected);
            AdmitWaiters();
            if (previous == MqttConnectionState.Reconnecting)
            {
                MqttClientCounters.Increment(ref _counters.Reconnects);
            }

            MqttLog.Connected(_logger, _options.Host, _options.Port, _clientId, connAck.SessionPresent, _generation, receiveMaximum, (int)keepAlive.TotalSeconds);
            result = new MqttConnectResult
            {
                SessionPresent = connAck.SessionPresent,
                ClientId = _clientId,
                AssignedClientIdentifier = connAck.AssignedClientIdentifier,
                ReceiveMaximum = receiveMaximum,
                MaximumPacketSize = connAck.MaximumPacketSize,
                MaximumQoS = _serverMaximumQoS,
                RetainAvailable = _retainAvailable,
                TopicAliasMaximum = connAck.TopicAliasMaximum ?? 0,
                WildcardSubscriptionAvailable = connAck.WildcardSubscriptionAvailable ?? true,
                SubscriptionIdentifiersAvailable = connAck.SubscriptionIdentifiersAvailable ?? true,
                SharedSubscriptionAvailable = connAck.SharedSubscriptionAvailable ?? true,
                KeepAlive = keepAlive,
                SessionExpiryInterval = TimeSpan.FromSeconds(connAck.SessionExpiryIntervalSeconds ?? (uint)_options.SessionExpiryInterval.TotalSeconds),
                ReasonString = connAck.ReasonString,
                ResponseInformation = connAck.ResponseInformation,
                ServerReference = connAck.ServerReference,
                UserProperties = connAck.UserProperties,
            };
            return true;
        }
    }

    /// <summary>
    /// Subscribes again, then retransmits SUBSCRIBE/UNSUBSCRIBE still unacknowledged. Subscriptions are sent again even
    /// when the broker says the session is present: Mosquitto 2.0 restores a persistent session after a restart
    /// without its shared subscriptions, and subscribing again to a filter the session has is harmless.
    /// </summary>
    private void RestoreRequests(MqttConnection connection)
    {
        var pending = new List<PendingRequest>(_requests.Count);
        foreach (var request in _requests.Values)
        {
            if (request.IsInternal || request.Abandoned)
            {
                _packetIdentifiers.Release(request.PacketIdentifier);
                request.Completion.TrySetCanceled();
            }
            else
            {
                pending.Add(request);
            }
        }

        _requests.Clear();
        foreach (var request in pending)
        {
            _requests.Add(request.PacketIdentifier, request);
        }

        if (_subscriptions.Count > 0)
        {
            foreach (var batch in _subscriptions.Values.Chunk(ResubscribeBatch))
            {
                var resubscribe = new PendingRequest(new SubscribePacket { Subscriptions = batch }, isInternal: true);
                Register(resubscribe);
                connection.TryEnqueue(resubscribe.Packet);
            }
        }

        pending.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        foreach (var request in pending)
        {
            connection.TryEnqueue(request.Packet);
        }
    }

    /// <summary>Retransmits in-flight QoS 1 publishes in their original order, as many as the server's quota allows.</summary>
    private void RestorePublishes(MqttConnection connection)
    {
        var transmitted = 0;
        var node = _inFlightOrder.First;
        while (node is not null && transmitted < _sendQuota)
        {
            var next = node.Next;
            var publish = node.Value;
            if (TryCheckServerLimits(publish))
            {
                var duplicate = publish.Transmitted && _sessionPresent;
                publish.Transmitted = true;
                connection.TryEnqueue(publish, duplicate);
                transmitted++;
            }
            else
            {
                _inFlight.Remove(publish.PacketIdentifier);
                _inFlightOrder.Remove(node);
                publish.Node = null;
                _packetIdentifiers.Release(publish.PacketIdentifier);
            }

            node = next;
        }

        _nextToTransmit = node;
        CheckDrained();
    }

    private async Task SuperviseAsync(MqttConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await connection.Closed.ConfigureAwait(false);
                lock (_sync)
                {
                    if (_stopping || _state != MqttConnectionState.Reconnecting || cancellationToken.IsCancellationRequested)
                    {
                        return;
                    }
                }

                var next = await ReconnectAsync(cancellationToken).ConfigureAwait(false);
                if (next is null)
                {
                    return;
                }

                connection = next;
            }
        }
        catch (Exception exception)
        {
            MqttLog.BackgroundLoopFailed(_logger, exception);
        }
    }

    private async Task<MqttConnection?> ReconnectAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var delay = BackoffDelay(attempt);
            MqttLog.Reconnecting(_logger, _options.Host, _options.Port, attempt, (long)delay.TotalMilliseconds);
            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            MqttClientCounters.Increment(ref _counters.ConnectionAttempts);
            try
            {
                var (connection, connAck) = await EstablishAsync(cleanStart: false, cancellationToken).ConfigureAwait(false);
                if (!TryActivate(connection, connAck, out _, out var keepAlive))
                {
                    connection.Close(new MqttConnectionCloseInfo("The client was stopped while reconnecting.", ClosedByClient: true));
                    return null;
                }

                connection.Start(this, keepAlive);
                return connection;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception exception)
            {
                var reason = (exception as MqttConnectException)?.ReasonCode;
                MqttLog.ReconnectFailed(_logger, attempt, _options.Host, _options.Port, reason, (long)BackoffDelay(attempt + 1).TotalMilliseconds, exception);
            }
        }
    }

    /// <summary>Exponential backoff from InitialDelay to MaxDelay, with 50 % jitter so that many clients spread out.</summary>
    private TimeSpan BackoffDelay(int attempt)
    {
        var initial = _options.Reconnect.InitialDelay.TotalMilliseconds;
        var maximum = _options.Reconnect.MaxDelay.TotalMilliseconds;
        var exponential = Math.Min(maximum, initial * Math.Pow(2, Math.Min(attempt - 1, 30)));
        return TimeSpan.FromMilliseconds(exponential * (0.5 + (Random.Shared.NextDouble() * 0.5)));
    }

    private Task StopAsync(bool disposing, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            if (_state == MqttConnectionState.Disposed)
            {
                return Task.CompletedTask;
            }

            if (_stopTask is { } running)
            {
                return disposing ? running.ContinueWith(_ => StopAsync(true, CancellationToken.None), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap() : running;
            }

            if (_state == MqttConnectionState.Disconnected)
            {
                if (disposing)
                {
                    SetState(MqttConnectionState.Disposed);
                    _messages.Writer.TryComplete();
                    _events.Writer.TryComplete();
                }

                return Task.CompletedTask;
            }

            _stopping = true;
            return _stopTask = StopCoreAsync(disposing, cancellationToken);
        }
    }

    private async Task StopCoreAsync(bool disposing, CancellationToken cancellationToken)
    {
        Task? drained = null;
        lock (_sync)
        {
            if (!disposing && _state == MqttConnectionState.Connected && (_inFlight.Count > 0 || _quotaWaiters.Count > 0))
            {
                _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                drained = _drained.Task;
            }
        }

        if (drained is not null)
        {
            try
            {
                await drained.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stop waiting for acknowledgements; disconnect anyway.
            }
        }

        MqttConnection? connection;
        Task supervisor;
        CancellationTokenSource? runCts;
        lock (_sync)
        {
            _drained = null;
            connection = _connection;
            supervisor = _supervisor;
            runCts = _runCts;
        }

        runCts?.Cancel();

        if (connection is not null)
        {
            var info = new MqttConnectionCloseInfo(
                disposing ? "The client was disposed." : "The client disconnected.",
                MqttDisconnectReasonCode.NormalDisconnection,
                ClosedByClient: true);
            await connection.DisconnectAsync(
                new DisconnectPacket { ReasonCode = MqttDisconnectReasonCode.NormalDisconnection },
                info,
                DisconnectFlushTimeout,
                cancellationToken).ConfigureAwait(false);
            await connection.WhenStopped.WaitAsync(StopWaitTimeout, _time, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await supervisor.WaitAsync(StopWaitTimeout, _time, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_sync)
        {
            MqttLog.Disconnected(_logger, _options.Host, _options.Port, _inFlight.Count);
            _connection = null;
            FailAllOperations(() => disposing
                ? new ObjectDisposedException(nameof(MqttClient), "The client was disposed before the operation completed.")
                : new MqttClientDisconnectedException("The client disconnected before the operation completed; a QoS 1 message may or may not have been delivered."));
            _subscriptions.Clear();
            _unacknowledged.Clear();
            _runCts?.Dispose();
            _runCts = null;
            _stopping = false;
            _stopTask = null;
            if (disposing)
            {
                SetState(MqttConnectionState.Disconnected, MqttDisconnectReasonCode.NormalDisconnection, "Disposed.");
                SetState(MqttConnectionState.Disposed);
                _messages.Writer.TryComplete();
                _events.Writer.TryComplete();
            }
            else
            {
                SetState(MqttConnectionState.Disconnected, MqttDisconnectReasonCode.NormalDisconnection, "Disconnected by the application.");
            }
        }
    }

    /// <summary>Completes every pending operation with an error; the session state is forgotten.</summary>
    private void FailAllOperations(Func<Exception> error)
    {
        foreach (var publish in _inFlightOrder)
        {
            publish.Node = null;
            publish.Completion.TrySetException(error());
        }

        foreach (var publish in _quotaWaiters)
        {
            publish.Node = null;
            publish.Completion.TrySetException(error());
        }

        foreach (var publish in _unsentAtMostOnce)
        {
            publish.Completion.TrySetException(error());
        }

        foreach (var request in _requests.Values)
        {
            _packetIdentifiers.Release(request.PacketIdentifier);
            request.Completion.TrySetException(error());
        }

        foreach (var identifier in _inFlight.Keys)
        {
            _packetIdentifiers.Release(identifier);
        }

        _inFlight.Clear();
        _inFlightOrder.Clear();
        _quotaWaiters.Clear();
        _unsentAtMostOnce.Clear();
        _requests.Clear();
        _nextToTransmit = null;
        _drained?.TrySetResult();
        _drained = null;
    }

    ValueTask IMqttConnectionOwner.OnPacketReceivedAsync(MqttConnection connection, MqttPacket packet, CancellationToken cancellationToken)
    {
        switch (packet)
        {
            case PublishPacket publish:
                return OnPublishReceivedAsync(connection, publish, cancellationToken);
            case PubAckPacket pubAck:
                OnPubAck(pubAck);
                return ValueTask.CompletedTask;
            case SubAckPacket subAck:
                OnRequestAcknowledged(subAck.PacketIdentifier, subAck, subAck.ReasonCodes.Count);
                return ValueTask.CompletedTask;
            case UnsubAckPacket unsubAck:
                OnRequestAcknowledged(unsubAck.PacketIdentifier, unsubAck, unsubAck.ReasonCodes.Count);
                return ValueTask.CompletedTask;
            case PubRecPacket or PubRelPacket or PubCompPacket:
                throw MqttProtocolException.ProtocolError($"The server sent {packet.Type}, but this client never uses QoS 2.");
            case ConnAckPacket:
                throw MqttProtocolException.ProtocolError("The server sent a second CONNACK.");
            case AuthPacket:
                throw MqttProtocolException.ProtocolError("The server sent AUTH, but no authentication method was requested.");
            default:
                throw MqttProtocolException.ProtocolError($"The server sent {packet.Type}, which only clients send.");
        }
    }

    /// <summary>
    /// Whether a message of <paramref name="size"/> payload bytes may join the queue now (see
    /// <see cref="MqttClientOptions.MessageQueueBytes"/>). While a SUBSCRIBE or UNSUBSCRIBE waits for its answer the
    /// byte limit is lifted (the message count still holds): the answer may come behind messages sent as soon as a
    /// persistent session resumed, before the application, still subscribing, takes any.
    /// </summary>
    private bool HasQueueRoom(int size)
    {
        var limit = _options.MessageQueueBytes;
        var queued = Volatile.Read(ref _queuedBytes);
        if (limit <= 0 || queued == 0 || queued + size <= limit)
        {
            return true;
        }

        lock (_sync)
        {
            return _requests.Count > 0;
        }
    }

    /// <summary>The application took a message: its bytes leave the queue, and a reader waiting for room looks again.</summary>
    private void OnMessageTaken(MqttReceivedMessage message)
    {
        Interlocked.Add(ref _queuedBytes, -message.Message.Payload.Length);
        WakeQueueWaiter();
    }

    private void WakeQueueWaiter()
    {
        if (_options.MessageQueueBytes > 0 && _messageTaken.CurrentCount == 0)
        {
            _messageTaken.Release();
        }
    }

    /// <summary><see cref="Messages"/>: the queue's own reader, counting the bytes the application takes out.</summary>
    private sealed class QueueReader(MqttClient owner, ChannelReader<MqttReceivedMessage> inner) : ChannelReader<MqttReceivedMessage>
    {
        public override Task Completion => inner.Completion;

        public override bool CanCount => inner.CanCount;

        public override int Count => inner.Count;

        public override bool CanPeek => inner.CanPeek;

        public override bool TryPeek([MaybeNullWhen(false)] out MqttReceivedMessage item) => inner.TryPeek(out item);

        public override bool TryRead([MaybeNullWhen(false)] out MqttReceivedMessage item)
        {
            if (!inner.TryRead(out item))
            {
                return false;
            }

            owner.OnMessageTaken(item);
            return true;
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => inner.WaitToReadAsync(cancellationToken);
    }

    private async ValueTask OnPublishReceivedAsync(MqttConnection connection, PublishPacket publish, CancellationToken cancellationToken)
    {
        MqttClientCounters.Increment(ref _counters.PublishesReceived);
        var message = publish.Message;
        if (message.QualityOfService == MqttQualityOfService.ExactlyOnce)
        {
            throw MqttProtocolException.ProtocolError("The server sent a QoS 2 PUBLISH, but every subscription asked for at most QoS 1.");
        }

        if (publish.TopicAlias is not null)
        {
            throw new MqttProtocolException(MqttDisconnectReasonCode.TopicAliasInvalid, "The server used a topic alias, but Topic Alias Maximum 0 was announced.");
        }

        var received = new MqttReceivedMessage(message, publish.Duplicate, publish.PacketIdentifier, publish.SubscriptionIdentifiers, connection.Generation)
        {
            ReceivedTimestamp = _time.GetTimestamp(),
        };
        var atLeastOnce = message.QualityOfService == MqttQualityOfService.AtLeastOnce;
        if (atLeastOnce)
        {
            lock (_sync)
            {
                if (_connection != connection)
                {
                    return; // The connection is closing; the server redelivers the message.
                }

                if (!_unacknowledged.ContainsKey(publish.PacketIdentifier) && _unacknowledged.Count >= _options.ReceiveMaximum)
                {
                    // MQTT 5.0 3.3.4 asks for DISCONNECT 0x93 here, but Mosquitto 2.0 overshoots the quota under load
                    // (eclipse-mosquitto#2301); disconnecting would only make the client flap. The message is accepted
                    // (memory stays bounded by the 65535 packet identifiers and the message queue's back-pressure).
                    MqttClientCounters.Increment(ref _counters.ReceiveMaximumExceeded);
                    if (!connection.ReceiveMaximumExceededLogged)
                    {
                        connection.ReceiveMaximumExceededLogged = true;
                        MqttLog.ReceiveMaximumExceeded(_logger, connection.Generation, _options.ReceiveMaximum);
                    }
                }

                _unacknowledged[publish.PacketIdentifier] = received;
            }
        }

        var size = received.Message.Payload.Length;
        if (!HasQueueRoom(size))
        {
            connection.ReaderBlockedOnApplication = true;
            try
            {
                while (!HasQueueRoom(size))
                {
                    await _messageTaken.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                connection.ReaderBlockedOnApplication = false;
            }
        }

        Interlocked.Add(ref _queuedBytes, size);
        if (!_messages.Writer.TryWrite(received))
        {
            connection.ReaderBlockedOnApplication = true;
            try
            {
                await _messages.Writer.WriteAsync(received, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                Interlocked.Add(ref _queuedBytes, -size);
                throw;
            }
            finally
            {
                connection.ReaderBlockedOnApplication = false;
            }
        }

        if (atLeastOnce && !_options.ManualAcknowledgement)
        {
            lock (_sync)
            {
                if (_connection == connection
                    && _unacknowledged.TryGetValue(publish.PacketIdentifier, out var outstanding)
                    && ReferenceEquals(outstanding, received))
                {
                    _unacknowledged.Remove(publish.PacketIdentifier);
                    connection.TryEnqueue(new PubAckPacket { PacketIdentifier = publish.PacketIdentifier });
                }
            }
        }
    }

    private void OnPubAck(PubAckPacket pubAck)
    {
        lock (_sync)
        {
            if (!_inFlight.TryGetValue(pubAck.PacketIdentifier, out var publish))
            {
                MqttLog.UnknownPacketIdentifier(_logger, "PUBACK", pubAck.PacketIdentifier);
                return;
            }

            RemoveInFlight(publish);
            publish.Completion.TrySetResult(new MqttPublishResult
            {
                ReasonCode = (MqttPublishReasonCode)pubAck.ReasonCode,
                ReasonString = pubAck.ReasonString,
                UserProperties = pubAck.UserProperties,
                PacketIdentifier = pubAck.PacketIdentifier,
            });
        }
    }

    private void OnRequestAcknowledged(ushort packetIdentifier, MqttPacket ack, int reasonCodeCount)
    {
        lock (_sync)
        {
            if (!_requests.TryGetValue(packetIdentifier, out var request))
            {
                MqttLog.UnknownPacketIdentifier(_logger, ack.Type.ToString(), packetIdentifier);
                return;
            }

            var expectedCount = request.Packet switch
            {
                SubscribePacket subscribe when ack is SubAckPacket => subscribe.Subscriptions.Count,
                UnsubscribePacket unsubscribe when ack is UnsubAckPacket => unsubscribe.TopicFilters.Count,
                _ => throw MqttProtocolException.ProtocolError($"The server answered {request.Packet.Type} {packetIdentifier} with {ack.Type}."),
            };
            if (expectedCount != reasonCodeCount)
            {
                throw MqttProtocolException.ProtocolError(
                    $"{ack.Type} {packetIdentifier} has {reasonCodeCount} reason codes for {expectedCount} topic filters.");
            }

            _requests.Remove(packetIdentifier);
            _packetIdentifiers.Release(packetIdentifier);
            if (request.Packet is SubscribePacket subscribed && ack is SubAckPacket subAck)
            {
                for (var i = 0; i < subAck.ReasonCodes.Count; i++)
                {
                    var subscription = subscribed.Subscriptions[i];
                    if ((byte)subAck.ReasonCodes[i] < 0x80)
                    {
                        _subscriptions[subscription.TopicFilter] = subscription;
                    }
                    else if (request.IsInternal)
                    {
                        MqttLog.ResubscribeRefused(_logger, subscription.TopicFilter, subAck.ReasonCodes[i]);
                    }
                }
            }

            request.Completion.TrySetResult(ack);
        }
    }

    void IMqttConnectionOwner.OnConnectionClosed(MqttConnection connection, MqttConnectionCloseInfo info)
    {
        CancellationTokenSource? runCts = null;
        lock (_sync)
        {
            if (_connection != connection)
            {
                return;
            }

            _connection = null;
            _unacknowledged.Clear();
            _nextToTransmit = _inFlightOrder.First;
            if (!info.ClosedByClient)
            {
                MqttClientCounters.Increment(ref _counters.ConnectionsLost);
                MqttLog.ConnectionLost(_logger, connection.Generation, _options.Host, _options.Port, info.Description, info.Exception);
            }

            if (_stopping)
            {
                // A disconnect is waiting for acknowledgements that can no longer arrive.
                _drained?.TrySetResult();
                _drained = null;
                return;
            }

            if (_options.Reconnect.Enabled)
            {
                SetState(MqttConnectionState.Reconnecting, info.DisconnectReason, info.ReasonString ?? info.Description, info.Exception);
            }
            else
            {
                SetState(MqttConnectionState.Disconnected, info.DisconnectReason, info.ReasonString ?? info.Description, info.Exception);
                FailAllOperations(() => new MqttClientDisconnectedException(
                    $"The connection was lost and reconnection is disabled: {info.Description}", info.Exception));
                _subscriptions.Clear();
                runCts = _runCts;
            }
        }

        // Outside the lock: cancellation runs callbacks synchronously.
        runCts?.Cancel();
    }

    void IMqttConnectionOwner.OnPublishFailed(OutboundPublish publish, Exception exception)
    {
        lock (_sync)
        {
            if (publish.PacketIdentifier != 0)
            {
                RemoveInFlight(publish);
            }

            publish.Completion.TrySetException(exception);
        }
    }

    void IMqttConnectionOwner.OnPublishNotSent(OutboundPublish publish)
    {
        lock (_sync)
        {
            if (_stopping || _state is MqttConnectionState.Disconnected or MqttConnectionState.Disposed)
            {
                publish.Completion.TrySetException(new MqttClientDisconnectedException("The connection closed before the QoS 0 message was written."));
            }
            else
            {
                _unsentAtMostOnce.Add(publish);
            }
        }
    }
}
