using Telemetry.Mqtt.Packets;

namespace Telemetry.Mqtt;

/// <summary>An outgoing PUBLISH tracked from <see cref="IMqttClient.PublishAsync"/> until it completes.</summary>
internal sealed class OutboundPublish
{
    public OutboundPublish(MqttApplicationMessage message, int size)
    {
        Message = message;
        Size = size;
    }

    public MqttApplicationMessage Message { get; }

    /// <summary>The size of the PUBLISH packet on the wire.</summary>
    public int Size { get; }

    /// <summary>The packet identifier while in flight (QoS 1); 0 before admission and for QoS 0.</summary>
    public ushort PacketIdentifier { get; set; }

    /// <summary>Whether it was handed to a connection at least once (a retransmission then carries DUP=1).</summary>
    public bool Transmitted { get; set; }

    /// <summary>Its node in the in-flight order or in the quota waiters.</summary>
    public LinkedListNode<OutboundPublish>? Node { get; set; }

    public TaskCompletionSource<MqttPublishResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A SUBSCRIBE or UNSUBSCRIBE awaiting its acknowledgement; retransmitted after a reconnect.</summary>
internal sealed class PendingRequest
{
    public PendingRequest(MqttPacket packet, bool isInternal)
    {
        Packet = packet;
        IsInternal = isInternal;
    }

    /// <summary>The packet to send, with its packet identifier once assigned.</summary>
    public MqttPacket Packet { get; set; }

    public ushort PacketIdentifier { get; set; }

    public long Sequence { get; set; }

    /// <summary>A re-subscribe made by the client itself after a reconnect.</summary>
    public bool IsInternal { get; }

    /// <summary>The caller stopped waiting; it is not retransmitted after a reconnect.</summary>
    public bool Abandoned { get; set; }

    public TaskCompletionSource<MqttPacket> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>One entry of a connection's write queue: a control packet, or a publish written from its tracker.</summary>
internal readonly struct OutboundItem
{
    public OutboundItem(MqttPacket packet)
    {
        Packet = packet;
        Publish = null;
        Duplicate = false;
    }

    public OutboundItem(OutboundPublish publish, bool duplicate)
    {
        Packet = null;
        Publish = publish;
        Duplicate = duplicate;
    }

    public MqttPacket? Packet { get; }

    public OutboundPublish? Publish { get; }

    public bool Duplicate { get; }
}

/// <summary>Why a connection ended.</summary>
/// <param name="Description">A human readable cause.</param>
/// <param name="DisconnectReason">The DISCONNECT reason code sent or received, if any.</param>
/// <param name="ReasonString">The server's reason string, if it sent one.</param>
/// <param name="Exception">The error, if any.</param>
/// <param name="ClosedByClient">The application asked for it (disconnect or dispose).</param>
internal sealed record MqttConnectionCloseInfo(
    string Description,
    MqttDisconnectReasonCode? DisconnectReason = null,
    string? ReasonString = null,
    Exception? Exception = null,
    bool ClosedByClient = false);

/// <summary>Non-zero 16-bit packet identifiers, handed out round-robin and never twice at once.</summary>
internal sealed class PacketIdentifierPool
{
    private readonly bool[] _used = new bool[ushort.MaxValue + 1];
    private ushort _next = 1;

    public int InUse { get; private set; }

    public bool TryAllocate(out ushort identifier)
    {
        identifier = 0;
        if (InUse >= ushort.MaxValue)
        {
            return false;
        }

        while (true)
        {
            var candidate = _next;
            _next = _next == ushort.MaxValue ? (ushort)1 : (ushort)(_next + 1);
            if (!_used[candidate])
            {
                _used[candidate] = true;
                InUse++;
                identifier = candidate;
                return true;
            }
        }
    }

    public void Release(ushort identifier)
    {
        if (identifier != 0 && _used[identifier])
        {
            _used[identifier] = false;
            InUse--;
        }
    }
}

/// <summary>What a connection reports to the client that owns it.</summary>
internal interface IMqttConnectionOwner
{
    /// <summary>A packet other than PINGRESP or DISCONNECT arrived. Throw <see cref="MqttProtocolException"/> to reject it.</summary>
    ValueTask OnPacketReceivedAsync(MqttConnection connection, MqttPacket packet, CancellationToken cancellationToken);

    /// <summary>The connection closed; called once, before its write queue is drained.</summary>
    void OnConnectionClosed(MqttConnection connection, MqttConnectionCloseInfo info);

    /// <summary>A publish could not be encoded; it must be completed with the error.</summary>
    void OnPublishFailed(OutboundPublish publish, Exception exception);

    /// <summary>A QoS 0 publish was still queued, never written, when the connection closed.</summary>
    void OnPublishNotSent(OutboundPublish publish);
}
