using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Telemetry.Gateway.Buffering;
using Telemetry.Gateway.Configuration;
using Telemetry.Gateway.Polling;
using Telemetry.Gateway.Publishing;
using Telemetry.Hosting;

namespace Telemetry.Gateway.Health;

/// <summary>What the gateway has done since it started: readings per second, errors by kind, queue depth and age, broker state.</summary>
public sealed class GatewayStatistics(TimeProvider clock) : IHealthSource
{
    private readonly ConcurrentDictionary<ErrorKind, long> _errors = new();
    private readonly ConcurrentDictionary<string, long> _commands = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _commandRefusals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _batteryTestsScheduled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _batteryTestsPostponed = new(StringComparer.Ordinal);
    private long _commandsUnanswered;
    private long _readingsGood;
    private long _readingsError;
    private long _batchesQueued;
    private long _readingsQueued;
    private long _readingsLost;
    private long _lastSeq;
    private long _batchesPublished;
    private long _eventsPublished;
    private long _publishFailures;
    private long _publishesUnheard;
    private long _publishDropped;
    private long _reconnects;
    private long _lastDeliveryLagMs;
    private int _brokerConnected;
    private int _listeningForCommands;
    private (long Timestamp, long Readings) _rateMark = (clock.GetTimestamp(), 0);

    public string Name => "gateway";

    /// <summary>Connected to the broker: what is read now is delivered now (otherwise it waits in the queue).</summary>
    public HealthVerdict Verdict => Volatile.Read(ref _brokerConnected) == 1 ? HealthVerdict.Healthy : HealthVerdict.Unhealthy("not connected to the broker");

    /// <summary>The queue, once open, for depth and age.</summary>
    public StoreAndForwardQueue? Queue { get; set; }

    /// <summary>The devices and their health, from the pollers.</summary>
    public Func<IEnumerable<PolledDevice>>? Devices { get; set; }

    /// <summary>The commands waiting to be carried out: how many and their payload bytes.</summary>
    public Func<(int Count, long Bytes)>? CommandsWaiting { get; set; }

    /// <summary>The site file, for its version and the reloads taken and refused.</summary>
    public SiteConfiguration? Site { get; set; }

    public double ReadingsPerSecond { get; private set; }

    public long ReadingsGood => Interlocked.Read(ref _readingsGood);

    public long ReadingsError => Interlocked.Read(ref _readingsError);

    public long BatchesQueued => Interlocked.Read(ref _batchesQueued);

    public long ReadingsQueued => Interlocked.Read(ref _readingsQueued);

    public long BatchesPublished => Interlocked.Read(ref _batchesPublished);

    /// <summary>Readings the queue refused to take: they will never be delivered.</summary>
    public long ReadingsLost => Interlocked.Read(ref _readingsLost);

    public bool BrokerIsConnected => Volatile.Read(ref _brokerConnected) == 1;

    public long Errors(ErrorKind kind) => _errors.GetValueOrDefault(kind);

    public void ReadingsMade(int good, int error)
    {
        Interlocked.Add(ref _readingsGood, good);
        Interlocked.Add(ref _readingsError, error);
    }

    public void Error(ErrorKind kind) => _errors.AddOrUpdate(kind, 1, (_, n) => n + 1);

    public void BatchQueued(long seq, int readings)
    {
        Interlocked.Increment(ref _batchesQueued);
        Interlocked.Add(ref _readingsQueued, readings);
        Interlocked.Exchange(ref _lastSeq, seq);
    }

    public void BatchLost(int readings) => Interlocked.Add(ref _readingsLost, readings);

    public void Published(OutboundKind kind, TimeSpan lag)
    {
        Interlocked.Increment(ref kind == OutboundKind.Telemetry ? ref _batchesPublished : ref _eventsPublished);
        Interlocked.Exchange(ref _lastDeliveryLagMs, (long)lag.TotalMilliseconds);
    }

    public void PublishFailed() => Interlocked.Increment(ref _publishFailures);

    /// <summary>The broker took a batch but had no subscriber for it; it stays queued and is sent again.</summary>
    public void PublishUnheard() => Interlocked.Increment(ref _publishesUnheard);

    public void PublishDropped() => Interlocked.Increment(ref _publishDropped);

    public void BrokerConnected(bool connected) => Volatile.Write(ref _brokerConnected, connected ? 1 : 0);

    public void Reconnected() => Interlocked.Increment(ref _reconnects);

    public void Command(string result) => _commands.AddOrUpdate(result, 1, (_, n) => n + 1);

    /// <summary>A command refused before anything was written, by the refusal's code (<c>replayed</c>, <c>busy</c>...).</summary>
    public void CommandRefused(string code) => _commandRefusals.AddOrUpdate(code, 1, (_, n) => n + 1);

    /// <summary>A busy refusal not answered: too many answers were pending.</summary>
    public void CommandUnanswered() => Interlocked.Increment(ref _commandsUnanswered);

    public long CommandRefusals(string code) => _commandRefusals.GetValueOrDefault(code);

    /// <summary>The command topic is subscribed (in the broker's session, so it holds across reconnections).</summary>
    /// <summary>An automatic emergency test was started.</summary>
    public void BatteryTestScheduled(string test) => _batteryTestsScheduled.AddOrUpdate(test, 1, (_, n) => n + 1);

    /// <summary>A due emergency test was postponed (counted once per postponement recorded).</summary>
    public void BatteryTestPostponed(string reason) => _batteryTestsPostponed.AddOrUpdate(reason, 1, (_, n) => n + 1);

    /// <summary>Lines of the battery-test ledger that could not be read at start.</summary>
    public int BatteryTestLedgerCorrupt { get; set; }

    public long BatteryTestsScheduled(string test) => _batteryTestsScheduled.GetValueOrDefault(test);

    public long BatteryTestsPostponed(string reason) => _batteryTestsPostponed.GetValueOrDefault(reason);

    public void ListeningForCommands() => Volatile.Write(ref _listeningForCommands, 1);

    public void UpdateRates()
    {
        var now = (clock.GetTimestamp(), ReadingsGood + ReadingsError);
        var seconds = (now.Item1 - _rateMark.Timestamp) / (double)Stopwatch.Frequency;
        if (seconds > 0)
        {
            ReadingsPerSecond = (now.Item2 - _rateMark.Readings) / seconds;
        }

        _rateMark = now;
    }

    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteBoolean("broker_connected", BrokerIsConnected);
        writer.WriteNumber("reconnects", Interlocked.Read(ref _reconnects));
        writer.WriteBoolean("commands_listening", Volatile.Read(ref _listeningForCommands) == 1);
        writer.WriteNumber("readings_good", ReadingsGood);
        writer.WriteNumber("readings_error", ReadingsError);
        writer.WriteNumber("readings_per_second", Math.Round(ReadingsPerSecond, 1));
        writer.WriteNumber("batches_queued", BatchesQueued);
        writer.WriteNumber("readings_queued", ReadingsQueued);
        writer.WriteNumber("readings_lost", Interlocked.Read(ref _readingsLost));
        writer.WriteNumber("last_seq", Interlocked.Read(ref _lastSeq));
        writer.WriteNumber("batches_published", BatchesPublished);
        writer.WriteNumber("events_published", Interlocked.Read(ref _eventsPublished));
        writer.WriteNumber("publish_failures", Interlocked.Read(ref _publishFailures));
        writer.WriteNumber("publishes_without_subscribers", Interlocked.Read(ref _publishesUnheard));
        writer.WriteNumber("publish_dropped", Interlocked.Read(ref _publishDropped));
        writer.WriteNumber("delivery_lag_ms", Interlocked.Read(ref _lastDeliveryLagMs));
        if (Queue?.Statistics is { } queue)
        {
            writer.WriteNumber("queue_depth", queue.PendingRecords);
            writer.WriteNumber("queue_bytes", queue.PendingBytes);
            writer.WriteNumber("queue_age_s", Math.Round(queue.OldestPendingAge?.TotalSeconds ?? 0, 1));
            writer.WriteNumber("queue_dropped", queue.Dropped);
            writer.WriteNumber("queue_corrupt", queue.Corrupt);
        }

        if (Site is { } site)
        {
            writer.WriteNumber("site_version", site.Current.Version);
            writer.WriteNumber("site_reloads", site.Reloads);
            writer.WriteNumber("site_reloads_refused", site.RejectedReloads);
            if (site.LastRefusal is { } refusal)
            {
                writer.WriteString("site_refusal", refusal);
            }
        }

        writer.WriteNumber("working_set_bytes", Environment.WorkingSet);
        writer.WriteStartObject("errors");
        foreach (var (kind, count) in _errors.OrderBy(e => e.Key))
        {
            writer.WriteNumber(JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString()), count);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("commands");
        foreach (var (result, count) in _commands.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(result, count);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("command_refusals");
        foreach (var (code, count) in _commandRefusals.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(code, count);
        }

        writer.WriteEndObject();
        writer.WriteNumber("commands_unanswered", Interlocked.Read(ref _commandsUnanswered));
        writer.WriteStartObject("battery_tests_scheduled");
        foreach (var (test, count) in _batteryTestsScheduled.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(test, count);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("battery_tests_postponed");
        foreach (var (reason, count) in _batteryTestsPostponed.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(reason, count);
        }

        writer.WriteEndObject();
        writer.WriteNumber("battery_test_ledger_corrupt", BatteryTestLedgerCorrupt);
        if (CommandsWaiting?.Invoke() is var (waiting, waitingBytes))
        {
            writer.WriteNumber("commands_waiting", waiting);
            writer.WriteNumber("commands_waiting_bytes", waitingBytes);
        }

        writer.WriteStartObject("devices");
        foreach (var (device, link, interval, health) in Devices?.Invoke() ?? [])
        {
            writer.WriteStartObject(device);
            writer.WriteString("link", link);
            writer.WriteNumber("poll_interval_s", interval.TotalSeconds);
            writer.WriteString("state", health.State);
            writer.WriteNumber("polls", health.Polls);
            writer.WriteNumber("failures", health.Failures);
            writer.WriteNumber("consecutive_failures", health.ConsecutiveFailures);
            writer.WriteNumber("backed_off_polls", health.BackedOffPolls);
            if (health.LastError is { } error)
            {
                writer.WriteString("last_error", error);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
