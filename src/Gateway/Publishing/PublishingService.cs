using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telemetry.Contracts;
using Telemetry.Gateway.Buffering;
using Telemetry.Gateway.Configuration;
using Telemetry.Gateway.Health;
using Telemetry.Mqtt;

namespace Telemetry.Gateway.Publishing;

/// <summary>
/// Publishes the queue in order (QoS 1) and removes a record only when its PUBACK arrives. While the broker is
/// away, publishes in flight wait in the client and everything else waits in the queue; after the reconnect
/// they go out oldest first, no faster than the configured rate, so the backlog drains without crowding out
/// live data. On shutdown it keeps publishing for a few seconds, then says offline and disconnects.
/// </summary>
public sealed partial class PublishingService(
    IMqttClient mqtt,
    OutboundQueue outbound,
    SiteConfiguration site,
    GatewaySettings settings,
    Topics topics,
    GatewayStatistics statistics,
    TimeProvider clock,
    ILogger<PublishingService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan NoSubscriberRetryDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DrainOnStop = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _window = new(settings.Publishing.MaxInFlight, settings.Publishing.MaxInFlight);
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _inFlight = [];
    private long _nextPublishTimestamp;
    private int _rewindRequested;

    private StoreAndForwardQueue Queue => outbound.Queue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        mqtt.ConnectionStateChanged += OnConnectionStateChanged;
        await UntilDoneAsync(mqtt.ConnectAsync, "connect to the broker", stoppingToken);
        statistics.BrokerConnected(mqtt.State == MqttConnectionState.Connected);
        await PublishStateAsync(GatewayStatus.Online, stoppingToken);
        LogPublishing(logger, topics.Telemetry(site.Current.SiteId, site.Current.GatewayId), Queue.Statistics.PendingRecords);
        try
        {
            await PublishLoopAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await DrainAndDisconnectAsync();
    }

    private async Task PublishLoopAsync(CancellationToken cancellationToken)
    {
        var interval = Stopwatch.Frequency / settings.Publishing.MaxBatchesPerSecond;
        while (true)
        {
            if (Interlocked.Exchange(ref _rewindRequested, 0) == 1)
            {
                Queue.Rewind();
            }

            if (!Queue.TryReadNext(out var record))
            {
                using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                poll.CancelAfter(TimeSpan.FromMilliseconds(500));
                try
                {
                    await Queue.WaitToReadAsync(poll.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                }

                continue;
            }

            await _window.WaitAsync(cancellationToken);
            var wait = clock.GetElapsedTime(clock.GetTimestamp(), _nextPublishTimestamp);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, clock, cancellationToken);
            }

            _nextPublishTimestamp = Math.Max(clock.GetTimestamp(), _nextPublishTimestamp) + (long)interval;
            Start(record, cancellationToken);
        }
    }

    private void Start(QueuedRecord record, CancellationToken cancellationToken)
    {
        var task = PublishOneAsync(record, cancellationToken);
        lock (_gate)
        {
            _inFlight.Add(task);
        }

        _ = task.ContinueWith(
            t =>
            {
                lock (_gate)
                {
                    _inFlight.Remove(t);
                }

                _window.Release();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task PublishOneAsync(QueuedRecord record, CancellationToken cancellationToken)
    {
        if (OutboundQueue.Open(record.Payload) is not { } opened)
        {
            Queue.Acknowledge(record.Id);
            statistics.PublishDropped();
            LogUnknownRecord(logger, record.Id);
            return;
        }

        var plant = site.Current;
        var message = new MqttApplicationMessage
        {
            Topic = opened.Kind == OutboundKind.Telemetry ? topics.Telemetry(plant.SiteId, plant.GatewayId) : topics.Event(plant.SiteId, plant.GatewayId),
            Payload = opened.Json,
            QualityOfService = MqttQualityOfService.AtLeastOnce,
            ContentType = "application/json",
            PayloadFormatIndicator = MqttPayloadFormatIndicator.Utf8,
        };
        try
        {
            // Not cancelled by shutdown once sent: the wait ends but the delivery does not.
            var result = await mqtt.PublishAsync(message, cancellationToken);

            // Checked before IsSuccess: MQTT 5 counts 0x10 among the success codes (below 0x80), yet the broker
            // has dropped the message.
            if (result.ReasonCode == MqttPublishReasonCode.NoMatchingSubscribers)
            {
                // Nobody is subscribed yet (Ingest still reconnecting, or a broker restart that lost the shared
                // subscriptions, which Mosquitto 2.0 does not persist). Keep it; send it again.
                statistics.PublishUnheard();
                LogUnheard(logger, record.Id);
                await Task.Delay(NoSubscriberRetryDelay, clock, cancellationToken);
                Interlocked.Exchange(ref _rewindRequested, 1);
            }
            else if (result.IsSuccess)
            {
                Queue.Acknowledge(record.Id);
                statistics.Published(opened.Kind, clock.GetUtcNow() - record.EnqueuedAt);
            }
            else if (result.ReasonCode is MqttPublishReasonCode.PayloadFormatInvalid or MqttPublishReasonCode.TopicNameInvalid)
            {
                // The broker will never take it: keeping it would block the queue for good.
                Queue.Acknowledge(record.Id);
                statistics.PublishDropped();
                LogRefusedForGood(logger, record.Id, result.ReasonCode, result.ReasonString);
            }
            else
            {
                statistics.PublishFailed();
                LogRefused(logger, record.Id, result.ReasonCode, result.ReasonString);
                await Task.Delay(MaxRetryDelay, clock, cancellationToken);
                Interlocked.Exchange(ref _rewindRequested, 1);
            }
        }
        catch (ArgumentException ex)
        {
            Queue.Acknowledge(record.Id);
            statistics.PublishDropped();
            LogRefusedForGood(logger, record.Id, null, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stays in the queue; sent again after the restart.
        }
        catch (MqttClientDisconnectedException)
        {
            // Stopping: stays in the queue.
        }
    }

    private async Task DrainAndDisconnectAsync()
    {
        using var drain = new CancellationTokenSource(DrainOnStop);
        try
        {
            // The stop ended every publish in flight without acknowledging its record: one waiting out "no
            // matching subscribers" before its retry, or waiting for its PUBACK. The read cursor is already past
            // them, so once they are over the drain starts again from the oldest record not acknowledged. Nothing
            // is in flight then, so nothing goes out twice from here.
            await InFlightDoneAsync(drain.Token);
            do
            {
                Interlocked.Exchange(ref _rewindRequested, 0);
                Queue.Rewind();
                while (mqtt.State == MqttConnectionState.Connected && Queue.TryReadNext(out var record))
                {
                    await _window.WaitAsync(drain.Token);
                    Start(record, drain.Token);
                }

                await InFlightDoneAsync(drain.Token);
            }
            while (mqtt.State == MqttConnectionState.Connected && Volatile.Read(ref _rewindRequested) == 1);
        }
        catch (OperationCanceledException)
        {
        }

        var left = Queue.Statistics.PendingRecords;
        using var goodbye = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        if (mqtt.State == MqttConnectionState.Connected)
        {
            try
            {
                await mqtt.PublishAsync(BrokerOptions.StateMessage(site.Current, topics, GatewayStatus.Offline, clock.GetUtcNow()), goodbye.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or MqttClientDisconnectedException)
            {
            }
        }

        await mqtt.DisconnectAsync(goodbye.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        LogStopped(logger, left);
    }

    private Task InFlightDoneAsync(CancellationToken cancellationToken)
    {
        Task[] pending;
        lock (_gate)
        {
            pending = [.. _inFlight];
        }

        return Task.WhenAll(pending).WaitAsync(cancellationToken);
    }

    private void OnConnectionStateChanged(object? sender, MqttConnectionStateChangedEventArgs e)
    {
        statistics.BrokerConnected(e.State == MqttConnectionState.Connected);
        if (e.State == MqttConnectionState.Connected && e.PreviousState == MqttConnectionState.Reconnecting)
        {
            statistics.Reconnected();
            LogReconnected(logger, Queue.Statistics.PendingRecords);

            // The will may have said offline while we were away.
            _ = PublishStateAsync(GatewayStatus.Online, CancellationToken.None);
        }
        else if (e.State == MqttConnectionState.Reconnecting)
        {
            LogLost(logger, e.ReasonString ?? e.Exception?.Message ?? "connection lost");
        }
    }

    private async Task PublishStateAsync(GatewayStatus status, CancellationToken cancellationToken)
    {
        try
        {
            await mqtt.PublishAsync(BrokerOptions.StateMessage(site.Current, topics, status, clock.GetUtcNow()), cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or MqttClientDisconnectedException)
        {
        }
    }

    private async Task UntilDoneAsync<T>(Func<CancellationToken, Task<T>> operation, string what, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await operation(cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                statistics.BrokerConnected(false);
                LogRetrying(logger, what, delay, ex.Message);
                await Task.Delay(delay, clock, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    public override void Dispose()
    {
        _window.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Record {RecordId} reached no subscriber; it stays queued and is sent again")]
    private static partial void LogUnheard(ILogger logger, long recordId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Publishing to {Topic}; {Pending} records waiting in the queue")]
    private static partial void LogPublishing(ILogger logger, string topic, long pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not {Operation}, retrying in {Delay}: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string operation, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broker connection lost ({Reason}); batches wait in the queue")]
    private static partial void LogLost(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Broker connection back; replaying {Pending} queued records in order")]
    private static partial void LogReconnected(ILogger logger, long pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broker refused record {Id} ({Reason} {Detail}); retrying")]
    private static partial void LogRefused(ILogger logger, long id, MqttPublishReasonCode reason, string? detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Broker will never take record {Id} ({Reason} {Detail}); dropped")]
    private static partial void LogRefusedForGood(ILogger logger, long id, MqttPublishReasonCode? reason, string? detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue record {Id} is of no known kind; dropped")]
    private static partial void LogUnknownRecord(ILogger logger, long id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Publisher stopped; {Pending} records stay queued for the next start")]
    private static partial void LogStopped(ILogger logger, long pending);
}
