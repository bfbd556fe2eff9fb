using System.Collections.Concurrent;
using System.Text.Json;
using Telemetry.Contracts.Validation;
using Telemetry.Hosting;

namespace Telemetry.Rules.Health;

/// <summary>What Rules has done since it started, for <c>/healthz</c> and the periodic log line.</summary>
public sealed class RulesStatistics(TimeProvider clock, ConsumerProgress progress) : IHealthSource
{
    private readonly long[] _rejections = new long[Enum.GetValues<RejectionReason>().Length];
    private readonly ConcurrentDictionary<string, (long Delivered, long Failed)> _deliveries = new(StringComparer.Ordinal);
    private long _batches;
    private long _readings;
    private long _duplicateReadings;
    private long _states;
    private long _events;
    private long _detections;
    private long _clearances;
    private long _ticketsOpened;
    private long _occurrences;
    private long _repeatRepairs;
    private long _storeFailures;
    private long _storeRefusals;
    private long _deadLetters;
    private long _silenceChecksSkipped;
    private long _escalations;
    private long _lastLagMilliseconds;
    private long _lastTicketLatencyMilliseconds;
    private int _brokerConnected;
    private int _subscribed;
    private (long Timestamp, long Readings) _rateMark = (clock.GetTimestamp(), 0);

    public string Name => "rules";

    public HealthVerdict Verdict => HealthVerdict.Healthy
        .When(Volatile.Read(ref _brokerConnected) == 0, HealthStatus.Unhealthy, "not connected to the broker")
        .When(Volatile.Read(ref _subscribed) == 0, HealthStatus.Unhealthy, "not subscribed yet")
        .And(progress.Verdict);

    public long Readings => Interlocked.Read(ref _readings);

    public long TicketsOpened => Interlocked.Read(ref _ticketsOpened);

    public long Escalations => Interlocked.Read(ref _escalations);

    public double ReadingsPerSecond { get; private set; }

    public long Rejections(RejectionReason reason) => Interlocked.Read(ref _rejections[(int)reason]);

    public void BrokerConnected(bool connected) => Volatile.Write(ref _brokerConnected, connected ? 1 : 0);

    public void Subscribed() => Volatile.Write(ref _subscribed, 1);

    /// <summary>A message, or <paramref name="count"/> readings of one, refused for <paramref name="reason"/>.</summary>
    public void Rejected(RejectionReason reason, long count = 1)
    {
        if (count > 0)
        {
            Interlocked.Add(ref _rejections[(int)reason], count);
        }
    }

    /// <summary>A dead letter was written for a message.</summary>
    public void DeadLettered() => Interlocked.Increment(ref _deadLetters);

    /// <summary>The store refused a change for good (not a failure worth a retry).</summary>
    public void StoreRefused() => Interlocked.Increment(ref _storeRefusals);

    /// <summary>A tick left silence and offline unjudged because Rules itself was behind.</summary>
    public void SilenceCheckSkipped() => Interlocked.Increment(ref _silenceChecksSkipped);

    public void Batch(int readings, int duplicates, TimeSpan lag)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _readings, readings);
        Interlocked.Add(ref _duplicateReadings, duplicates);
        Interlocked.Exchange(ref _lastLagMilliseconds, (long)lag.TotalMilliseconds);
    }

    public void State() => Interlocked.Increment(ref _states);

    public void Event() => Interlocked.Increment(ref _events);

    public void Detected() => Interlocked.Increment(ref _detections);

    public void Cleared() => Interlocked.Increment(ref _clearances);

    /// <summary>A detection reached the store; <paramref name="latency"/> is from the reading's time to the ticket's.</summary>
    public void Recorded(bool opened, bool repeatRepair, TimeSpan latency)
    {
        if (opened)
        {
            Interlocked.Increment(ref _ticketsOpened);
        }
        else
        {
            Interlocked.Increment(ref _occurrences);
        }
        if (repeatRepair)
        {
            Interlocked.Increment(ref _repeatRepairs);
        }

        Interlocked.Exchange(ref _lastTicketLatencyMilliseconds, (long)latency.TotalMilliseconds);
    }

    public void StoreFailed() => Interlocked.Increment(ref _storeFailures);

    public void Escalated() => Interlocked.Increment(ref _escalations);

    public void Delivery(string destination, bool delivered) =>
        _deliveries.AddOrUpdate(
            destination,
            delivered ? (1, 0) : (0, 1),
            (_, n) => delivered ? (n.Delivered + 1, n.Failed) : (n.Delivered, n.Failed + 1));

    /// <summary>Recomputes the rate over the time since the last call; called by the periodic log.</summary>
    public void Sample()
    {
        var now = clock.GetTimestamp();
        var readings = Readings;
        var seconds = clock.GetElapsedTime(_rateMark.Timestamp, now).TotalSeconds;
        if (seconds > 0)
        {
            ReadingsPerSecond = (readings - _rateMark.Readings) / seconds;
        }

        _rateMark = (now, readings);
    }

    public void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteBoolean("broker_connected", Volatile.Read(ref _brokerConnected) == 1);
        writer.WriteNumber("batches", Interlocked.Read(ref _batches));
        writer.WriteNumber("readings", Readings);
        writer.WriteNumber("duplicate_readings", Interlocked.Read(ref _duplicateReadings));
        writer.WriteNumber("readings_per_second", Math.Round(ReadingsPerSecond, 1));
        writer.WriteNumber("states", Interlocked.Read(ref _states));
        writer.WriteNumber("events", Interlocked.Read(ref _events));
        writer.WriteNumber("lag_ms", Interlocked.Read(ref _lastLagMilliseconds));
        writer.WriteNumber("detections", Interlocked.Read(ref _detections));
        writer.WriteNumber("clearances", Interlocked.Read(ref _clearances));
        writer.WriteNumber("tickets_opened", TicketsOpened);
        writer.WriteNumber("occurrences", Interlocked.Read(ref _occurrences));
        writer.WriteNumber("repeat_repairs", Interlocked.Read(ref _repeatRepairs));
        writer.WriteNumber("reading_to_ticket_ms", Interlocked.Read(ref _lastTicketLatencyMilliseconds));
        writer.WriteNumber("store_failures", Interlocked.Read(ref _storeFailures));
        writer.WriteNumber("store_refusals", Interlocked.Read(ref _storeRefusals));
        writer.WriteNumber("dead_letters", Interlocked.Read(ref _deadLetters));
        writer.WriteNumber("oldest_unacknowledged_ms", (long)progress.OldestUnacknowledgedAge.TotalMilliseconds);
        writer.WriteBoolean("keeping_up", progress.KeepingUp);
        writer.WriteNumber("silence_checks_skipped", Interlocked.Read(ref _silenceChecksSkipped));
        writer.WriteNumber("escalations", Escalations);
        writer.WriteStartObject("rejected");
        foreach (var reason in Enum.GetValues<RejectionReason>())
        {
            writer.WriteNumber(reason.ToName(), Rejections(reason));
        }

        writer.WriteEndObject();
        writer.WriteStartObject("notifications");
        foreach (var (destination, counts) in _deliveries.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            writer.WriteStartObject(destination);
            writer.WriteNumber("delivered", counts.Delivered);
            writer.WriteNumber("failed", counts.Failed);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
