namespace Telemetry.Mqtt;

/// <summary>A snapshot of the counters of an <see cref="MqttClient"/>. Counters are cumulative over the client's life.</summary>
public sealed record MqttClientStatistics
{
    /// <summary>Control packets written to the network.</summary>
    public long PacketsSent { get; init; }

    /// <summary>Control packets read from the network.</summary>
    public long PacketsReceived { get; init; }

    /// <summary>Bytes written to the network (before TLS).</summary>
    public long BytesSent { get; init; }

    /// <summary>Bytes read from the network (after TLS).</summary>
    public long BytesReceived { get; init; }

    /// <summary>PUBLISH packets written, retransmissions included.</summary>
    public long PublishesSent { get; init; }

    /// <summary>PUBLISH packets received.</summary>
    public long PublishesReceived { get; init; }

    /// <summary>Outgoing QoS 1 publishes awaiting PUBACK right now.</summary>
    public int PublishesInFlight { get; init; }

    /// <summary>The most outgoing QoS 1 publishes that were ever awaiting PUBACK at once (bounded by the server's Receive Maximum).</summary>
    public int PeakPublishesInFlight { get; init; }

    /// <summary>Outgoing QoS 1 publishes waiting for a free slot of the server's Receive Maximum right now.</summary>
    public int PublishesWaitingForQuota { get; init; }

    /// <summary>Received QoS 1 messages not yet acknowledged right now.</summary>
    public int UnacknowledgedReceivedMessages { get; init; }

    /// <summary>Received messages waiting in the message queue right now.</summary>
    public int QueuedReceivedMessages { get; init; }

    /// <summary>Connection attempts (first connect and reconnect attempts).</summary>
    public long ConnectionAttempts { get; init; }

    /// <summary>Connections lost without <see cref="IMqttClient.DisconnectAsync"/>.</summary>
    public long ConnectionsLost { get; init; }

    /// <summary>Successful reconnections.</summary>
    public long Reconnects { get; init; }

    /// <summary>Packets from the server that could not be decoded (the connection was closed with 0x81 or 0x95).</summary>
    public long MalformedPacketsReceived { get; init; }

    /// <summary>Protocol violations by the server (the connection was closed with 0x82 or a related code).</summary>
    public long ProtocolErrors { get; init; }

    /// <summary>Connections closed because the server did not answer a PINGREQ in time.</summary>
    public long KeepAliveTimeouts { get; init; }

    /// <summary>
    /// QoS 1 messages received while our announced Receive Maximum was already reached. A compliant server never
    /// does this; Mosquitto 2.0 does under load. They are accepted, not refused.
    /// </summary>
    public long ReceiveMaximumExceeded { get; init; }
}

/// <summary>Thread-safe counters behind <see cref="MqttClientStatistics"/>.</summary>
internal sealed class MqttClientCounters
{
    public long PacketsSent;
    public long PacketsReceived;
    public long BytesSent;
    public long BytesReceived;
    public long PublishesSent;
    public long PublishesReceived;
    public long ConnectionAttempts;
    public long ConnectionsLost;
    public long Reconnects;
    public long MalformedPacketsReceived;
    public long ProtocolErrors;
    public long KeepAliveTimeouts;
    public long ReceiveMaximumExceeded;

    public static void Increment(ref long counter) => Interlocked.Increment(ref counter);

    public static void Add(ref long counter, long value) => Interlocked.Add(ref counter, value);

    public MqttClientStatistics Snapshot(int inFlight, int peakInFlight, int waiting, int unacknowledged, int queued) => new()
    {
        PeakPublishesInFlight = peakInFlight,
        PacketsSent = Interlocked.Read(ref PacketsSent),
        PacketsReceived = Interlocked.Read(ref PacketsReceived),
        BytesSent = Interlocked.Read(ref BytesSent),
        BytesReceived = Interlocked.Read(ref BytesReceived),
        PublishesSent = Interlocked.Read(ref PublishesSent),
        PublishesReceived = Interlocked.Read(ref PublishesReceived),
        PublishesInFlight = inFlight,
        PublishesWaitingForQuota = waiting,
        UnacknowledgedReceivedMessages = unacknowledged,
        QueuedReceivedMessages = queued,
        ConnectionAttempts = Interlocked.Read(ref ConnectionAttempts),
        ConnectionsLost = Interlocked.Read(ref ConnectionsLost),
        Reconnects = Interlocked.Read(ref Reconnects),
        MalformedPacketsReceived = Interlocked.Read(ref MalformedPacketsReceived),
        ProtocolErrors = Interlocked.Read(ref ProtocolErrors),
        KeepAliveTimeouts = Interlocked.Read(ref KeepAliveTimeouts),
        ReceiveMaximumExceeded = Interlocked.Read(ref ReceiveMaximumExceeded),
    };
}
