using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Telemetry.Hosting;
using Telemetry.Hosting.DeadLetters;
using Telemetry.Ingest.Storage;
using Telemetry.Contracts.Validation;

namespace Telemetry.Ingest.Consuming;

/// <summary>What Ingest has done since it started, for <c>/healthz</c> and the periodic log line.</summary>
public sealed class IngestStatistics(TimeProvider clock, GatewayMessageEncoder encoder, ConsumerProgress progress) : IHealthSource
{
    private readonly ConcurrentDictionary<RejectionReason, long> _rejections = new();
    private readonly FixedBucketHistogram _writeMilliseconds = FixedBucketHistogram.Milliseconds();
    private readonly FixedBucketHistogram _batchPoints = FixedBucketHistogram.Points();
    private long _messagesReceived;
    private long _messagesAcknowledged;
    private long _readingsStored;
    private long _pointsWritten;
    private long _writes;
    private long _writeFailures;
    private long _lastWriteMilliseconds;
    private long _lastBatchPoints;
    private long _lastLagMilliseconds;
    private long _heldMessages;
    private long _heldBytes;
    private long _peakHeldBytes;
    private int _brokerConnected;
    private int _subscribed;
    private long _unacknowledgeable;
    private string? _unacknowledgeableReason;
    private (long Timestamp, long Received, long Points) _rateMark = (clock.GetTimestamp(), 0, 0);

    public string Name => "ingest";

    /// <summary>
    /// Connected to the broker and subscribed, so that messages published now reach Ingest, and making progress with
    /// them: no message waiting too long for its acknowledgement, nothing blocked on an operator, no write or dead
    /// letter being retried (degraded while one is, unhealthy once it has lasted too long).
    /// </summary>
    public HealthVerdict Verdict
    {
        get
        {
            var verdict = HealthVerdict.Healthy
                .When(Volatile.Read(ref _brokerConnected) == 0, HealthStatus.Unhealthy, "not connected to the broker")
                .When(Volatile.Read(ref _subscribed) == 0, HealthStatus.Unhealthy, "not subscribed yet");
            if (Interlocked.Read(ref _unacknowledgeable) is > 0 and var stuck)
            {
                verdict = verdict.When(
                    true,
                    HealthStatus.Unhealthy,
                    $"{stuck} messages stay unacknowledged until a restart: {Volatile.Read(ref _unacknowledgeableReason)}");
            }

            return verdict.And(progress.Verdict);
        }
    }

    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    public long ReadingsStored => Interlocked.Read(ref _readingsStored);

    public long PointsWritten => Interlocked.Read(ref _pointsWritten);

    public long HeldMessages => Interlocked.Read(ref _heldMessages);

    public long HeldBytes => Interlocked.Read(ref _heldBytes);

    public double MessagesPerSecond { get; private set; }

    public double PointsPerSecond { get; private set; }

    /// <summary>How long writes took (until InfluxDB answered, retries included), in milliseconds.</summary>
    public HistogramSnapshot WriteMilliseconds => _writeMilliseconds.Snapshot();

    /// <summary>How many points each write carried.</summary>
    public HistogramSnapshot BatchPoints => _batchPoints.Snapshot();

    public long Rejections(RejectionReason reason) => _rejections.GetValueOrDefault(reason);

    public void BrokerConnected(bool connected) => Volatile.Write(ref _brokerConnected, connected ? 1 : 0);

    public void Subscribed() => Volatile.Write(ref _subscribed, 1);

    public void Received(int payloadBytes)
    {
        Interlocked.Increment(ref _messagesReceived);
        Interlocked.Increment(ref _heldMessages);
        var held = Interlocked.Add(ref _heldBytes, payloadBytes);
        long peak;
        while (held > (peak = Interlocked.Read(ref _peakHeldBytes)) && Interlocked.CompareExchange(ref _peakHeldBytes, held, peak) != peak)
        {
        }
    }

    public void Acknowledged(int messages, long payloadBytes)
    {
        Interlocked.Add(ref _messagesAcknowledged, messages);
        Interlocked.Add(ref _heldMessages, -messages);
        Interlocked.Add(ref _heldBytes, -payloadBytes);
    }

    public void Rejected(RejectionReason reason) => _rejections.AddOrUpdate(reason, 1, (_, n) => n + 1);

    public void Written(int points, int readings, TimeSpan took, TimeSpan? lag)
    {
        _writeMilliseconds.Record(took.TotalMilliseconds);
        _batchPoints.Record(points);
        Interlocked.Add(ref _pointsWritten, points);
        Interlocked.Add(ref _readingsStored, readings);
        Interlocked.Increment(ref _writes);
        Interlocked.Exchange(ref _lastWriteMilliseconds, (long)took.TotalMilliseconds);
        Interlocked.Exchange(ref _lastBatchPoints, points);
        if (lag is { } l)
        {
            Interlocked.Exchange(ref _lastLagMilliseconds, (long)l.TotalMilliseconds);
        }
    }

    public void WriteFailed() => Interlocked.Increment(ref _writeFailures);

    /// <summary>Messages that cannot be finished with (their dead letter cannot be written): left unacknowledged rather than lost.</summary>
    public void Unacknowledgeable(int messages, string reason)
    {
        Volatile.Write(ref _unacknowledgeableReason, reason);
        Interlocked.Add(ref _unacknowledgeable, messages);
    }

    /// <summary>Recomputes the rates over the time since the last call.</summary>
    public void UpdateRates()
    {
        var now = (clock.GetTimestamp(), MessagesReceived, PointsWritten);
        var seconds = (now.Item1 - _rateMark.Timestamp) / (double)Stopwatch.Frequency;
        if (seconds > 0)
        {
            MessagesPerSecond = (now.MessagesReceived - _rateMark.Received) / seconds;
            PointsPerSecond = (now.PointsWritten - _rateMark.Points) / seconds;
        }

        _rateMark = now;
    }

    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteBoolean("broker_connected", Volatile.Read(ref _brokerConnected) == 1);
        writer.WriteBoolean("subscribed", Volatile.Read(ref _subscribed) == 1);
        writer.WriteNumber("messages_received", MessagesReceived);
        writer.WriteNumber("messages_acknowledged", Interlocked.Read(ref _messagesAcknowledged));

        // Telemetry not in the form gateways write (or refused) is read by the slower, general path: a gateway that
        // sends it all the time costs Ingest more CPU per reading.
        writer.WriteNumber("messages_general_path", encoder.GeneralPathMessages);
        writer.WriteNumber("messages_per_second", Math.Round(MessagesPerSecond, 1));
        writer.WriteNumber("readings_stored", ReadingsStored);
        writer.WriteNumber("points_written", PointsWritten);
        writer.WriteNumber("points_per_second", Math.Round(PointsPerSecond, 1));
        writer.WriteNumber("writes", Interlocked.Read(ref _writes));
        writer.WriteNumber("write_failures", Interlocked.Read(ref _writeFailures));
        writer.WriteNumber("last_batch_points", Interlocked.Read(ref _lastBatchPoints));
        writer.WriteNumber("last_write_ms", Interlocked.Read(ref _lastWriteMilliseconds));
        writer.WriteNumber("lag_ms", Interlocked.Read(ref _lastLagMilliseconds));
        writer.WritePropertyName("write_ms");
        WriteMilliseconds.Write(writer);
        writer.WritePropertyName("batch_points");
        BatchPoints.Write(writer);
        writer.WriteNumber("held_messages", HeldMessages);
        writer.WriteNumber("held_bytes", HeldBytes);
        writer.WriteNumber("oldest_unacknowledged_ms", (long)progress.OldestUnacknowledgedAge.TotalMilliseconds);
        writer.WriteNumber("peak_held_bytes", Interlocked.Read(ref _peakHeldBytes));
        writer.WriteNumber("working_set_bytes", Environment.WorkingSet);
        writer.WriteStartObject("dead_letters");
        foreach (var (reason, count) in _rejections.OrderBy(r => r.Key))
        {
            writer.WriteNumber(reason.ToName(), count);
        }

        writer.WriteEndObject();
    }
}
