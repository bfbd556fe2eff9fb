using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telemetry.Contracts;
using Telemetry.Contracts.Validation;
using Telemetry.Hosting;
using Telemetry.Hosting.Sequences;
using Telemetry.InfluxDb.Writing;
using Telemetry.Ingest.Storage;
using Telemetry.Mqtt;

namespace Telemetry.Ingest.Consuming;

/// <summary>
/// Carries gateway messages from the broker into InfluxDB. A message is acknowledged only once the write
/// holding its points has been stored (or its dead letter written to disk), so a crash at any moment leaves it with
/// the broker, which sends it again; redelivered points overwrite themselves. While InfluxDB is down nothing
/// is acknowledged, so the broker stops at the receive maximum: that, and the writes in flight, bound memory.
/// Each message is handled on its own: one that cannot be handled is set aside with its reason, and the next is read.
/// </summary>
public sealed partial class IngestService(
    IMqttClient mqtt,
    GatewayMessageEncoder encoder,
    BatchWriter store,
    DeadLetterWriter deadLetters,
    BrokerSettings mqttSettings,
    InfluxSettings influxSettings,
    IngestStatistics statistics,
    GapRepair gaps,
    ConsumerProgress progress,
    TimeProvider clock,
    ILogger<IngestService> logger) : BackgroundService
{
    private static readonly TimeSpan StatisticsInterval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The database is made once, at start, if at all: one dropped later is the operator's to restore, and until
        // then Ingest keeps the readings unacknowledged and says it is unhealthy.
        var findingDatabase = Task.CompletedTask;
        if (influxSettings.CreateDatabase)
        {
            await store.CreateDatabaseAsync(stoppingToken);
        }
        else
        {
            findingDatabase = store.FindDatabaseAsync(stoppingToken);
        }

        progress.Watch(mqtt.Messages);
        mqtt.ConnectionStateChanged += (_, e) => statistics.BrokerConnected(e.State == MqttConnectionState.Connected);
        await Persistently.UntilDoneAsync(mqtt.ConnectAsync, "connect to the broker", logger, clock, stoppingToken, progress: progress);
        statistics.BrokerConnected(mqtt.State == MqttConnectionState.Connected);

        var topics = new Topics(mqttSettings.Root);
        string[] filters = [topics.AllTelemetry, topics.AllStates, topics.AllEvents];
        await mqtt.SubscribeAsync(
            [
                .. filters.Select(f => new MqttSubscription { TopicFilter = Topics.Shared(mqttSettings.SharedGroup, f), MaximumQoS = MqttQualityOfService.AtLeastOnce }),
                gaps.Subscription,
            ],
            stoppingToken);
        statistics.Subscribed();
        LogConsuming(logger, string.Join(", ", filters), mqttSettings.SharedGroup, influxSettings.WritesInFlight, influxSettings.CompressWrites);

        var writes = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(1) { SingleReader = false, SingleWriter = true });
        var writers = Enumerable.Range(0, influxSettings.WritesInFlight).Select(_ => WriteLoopAsync(writes.Reader, stoppingToken)).ToList();
        var reporting = ReportLoopAsync(stoppingToken);
        var repairing = gaps.RunAsync(stoppingToken);
        try
        {
            await ReadLoopAsync(writes.Writer, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // What is held and not yet written stays unacknowledged: the broker keeps it for the next start.
            LogStopping(logger, statistics.HeldMessages);
        }
        finally
        {
            writes.Writer.TryComplete();
            await Task.WhenAll([.. writers, reporting, repairing, findingDatabase]).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            using var goodbye = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await mqtt.DisconnectAsync(goodbye.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Fills a batch until it is full or the first message in it has waited the linger time, then hands it to a writer.</summary>
    private async Task ReadLoopAsync(ChannelWriter<PendingWrite> writes, CancellationToken cancellationToken)
    {
        var messages = mqtt.Messages;
        var builder = new PointBatchBuilder(influxSettings.BatchPoints, influxSettings.BatchBytes);
        var held = new List<HeldMessage>();
        var readings = 0;
        var hold = 0L;
        DateTimeOffset? oldest = null;
        while (true)
        {
            if (held.Count == 0 && !await messages.WaitToReadAsync(cancellationToken))
            {
                return;
            }

            var deadline = clock.GetTimestamp() + (long)(influxSettings.Linger.TotalSeconds * Stopwatch.Frequency);
            while (!builder.IsFull)
            {
                if (messages.TryRead(out var message))
                {
                    if (gaps.TryTakeSummary(message.Message))
                    {
                        // A replay's summary is the gap tracker's; nothing of it is stored.
                        await mqtt.AcknowledgeAsync(message, cancellationToken);
                        continue;
                    }

                    if (held.Count == 0)
                    {
                        // One hold per write, from its first (and oldest) message until the last is acknowledged.
                        hold = progress.Hold(message.ReceivedTimestamp);
                    }

                    var start = builder.Position;
                    statistics.Received(message.Message.Payload.Length);
                    var encoded = EncodeAlone(encoder, message.Message.Topic, message.Message.Payload.Span, builder, out var failure);
                    if (failure is not null)
                    {
                        LogUnprocessable(logger, message.Message.Topic, failure);
                    }

                    var deadLetter = encoded.Rejections.Count > 0 ? deadLetters.WriteAsync(message, encoded.Rejections, cancellationToken) : Task.CompletedTask;
                    held.Add(new HeldMessage(message, new PointRange(start.ByteCount, builder.ByteCount), deadLetter, encoded.Batch));
                    readings += encoded.Readings;
                    oldest = encoded.OldestReading is { } o && (oldest is null || o < oldest) ? o : oldest;
                    continue;
                }

                var left = clock.GetElapsedTime(clock.GetTimestamp(), deadline);
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                using var linger = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                linger.CancelAfter(left);
                try
                {
                    if (!await messages.WaitToReadAsync(linger.Token))
                    {
                        break;
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }

            if (held.Count == 0)
            {
                continue;
            }

            var batch = builder.IsEmpty ? null : builder.TakeBatch();
            await writes.WriteAsync(new PendingWrite(batch, [.. held], readings, oldest, hold), cancellationToken);
            held.Clear();
            readings = 0;
            oldest = null;
        }
    }

    /// <summary>
    /// Encodes one message into the batch. A failure nobody foresaw would happen again on every delivery, so it must
    /// not stop the stream: the message's points are taken back and it is refused as unprocessable, with the failure
    /// (the encoder takes no cancellation, so no exception of it means shutdown).
    /// </summary>
    internal static EncodedMessage EncodeAlone(GatewayMessageEncoder encoder, string topic, ReadOnlySpan<byte> payload, PointBatchBuilder builder, out Exception? failure)
    {
        var start = builder.Position;
        try
        {
            failure = null;
            return encoder.Encode(topic, payload, builder);
        }
        catch (Exception ex)
        {
            builder.RollBack(start);
            failure = ex;
            return new EncodedMessage(0, 0, null, [new Rejection(RejectionReason.Unprocessable, $"{ex.GetType().FullName}: {ex.Message}")]);
        }
    }

    private async Task WriteLoopAsync(ChannelReader<PendingWrite> writes, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var pending in writes.ReadAllAsync(cancellationToken))
            {
                using (pending)
                {
                    if (!await StoredAsync(pending, cancellationToken))
                    {
                        continue;
                    }

                    long bytes = 0;
                    var acknowledged = 0;
                    foreach (var held in pending.Messages)
                    {
                        // Never before its dead letter is on disk: until then the broker is the only place the message is kept.
                        if (!held.DeadLetter.IsCompletedSuccessfully && !await DeadLetteredAsync(held, cancellationToken))
                        {
                            continue;
                        }

                        if (held.Batch is { } number)
                        {
                            gaps.Handled(number.Topic, number.Seq, number.Sent, GapRepair.IsReplay(held.Message.Message));
                        }

                        await mqtt.AcknowledgeAsync(held.Message, cancellationToken);
                        bytes += held.Message.Message.Payload.Length;
                        acknowledged++;
                    }

                    statistics.Acknowledged(acknowledged, bytes);
                    if (acknowledged == pending.Messages.Length)
                    {
                        progress.Release(pending.Hold);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Unacknowledged: redelivered after the restart.
        }
    }

    /// <summary>Stores the write's points; false when that failed in a way no retry mends, so its messages must stay with the broker.</summary>
    private async Task<bool> StoredAsync(PendingWrite pending, CancellationToken cancellationToken)
    {
        try
        {
            await store.StoreAsync(pending, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Only a dead letter of a message InfluxDB refused can fail so. The write's hold is kept, as below.
            LogStoreImpossible(logger, pending.Messages.Length, ex);
            statistics.Unacknowledgeable(pending.Messages.Length, $"a dead letter cannot be written ({ex.GetType().Name}: {ex.Message})");
            return false;
        }
    }

    /// <summary>Waits for a dead letter being written (retried while the file fails); false when it can never be written, so its message must stay with the broker.</summary>
    private async Task<bool> DeadLetteredAsync(HeldMessage held, CancellationToken cancellationToken)
    {
        try
        {
            await held.DeadLetter;
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The write's hold is kept as well, so that health shows the stall beside its cause.
            LogDeadLetterImpossible(logger, held.Message.Message.Topic, ex);
            statistics.Unacknowledgeable(1, $"a dead letter cannot be written ({ex.GetType().Name}: {ex.Message})");
            return false;
        }
    }

    private async Task ReportLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(StatisticsInterval, clock);
            var (writeTimes, batchSizes) = (statistics.WriteMilliseconds, statistics.BatchPoints);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                statistics.UpdateRates();
                LogStatistics(logger, statistics.MessagesPerSecond, statistics.PointsPerSecond, statistics.HeldMessages, statistics.HeldBytes, statistics.ReadingsStored);

                // The distribution over the last interval only: what the service does now, not since it started.
                var (times, sizes) = (statistics.WriteMilliseconds, statistics.BatchPoints);
                var (recentTimes, recentSizes) = (times.Since(writeTimes), sizes.Since(batchSizes));
                if (recentTimes.Count > 0)
                {
                    LogWrites(logger, recentTimes.Count, recentTimes.Quantile(0.5), recentTimes.Quantile(0.95), recentTimes.Quantile(0.99), recentSizes.Quantile(0.5), recentSizes.Quantile(0.95), recentSizes.Quantile(0.99));
                }

                (writeTimes, batchSizes) = (times, sizes);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming {Filters} in shared group {Group} with {WritesInFlight} writes in flight, gzip {Gzip}")]
    private static partial void LogConsuming(ILogger logger, string filters, string group, int writesInFlight, bool gzip);

    [LoggerMessage(Level = LogLevel.Error, Message = "A message on {Topic} could not be processed; it is dead-lettered as unprocessable")]
    private static partial void LogUnprocessable(ILogger logger, string topic, Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The dead letter of a message on {Topic} cannot be written; the message stays unacknowledged until a restart")]
    private static partial void LogDeadLetterImpossible(ILogger logger, string topic, Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The {Messages} messages of a write could not be finished with; they stay unacknowledged until a restart")]
    private static partial void LogStoreImpossible(ILogger logger, int messages, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "{MessagesPerSecond:F0} messages/s in, {PointsPerSecond:F0} points/s out, {HeldMessages} messages ({HeldBytes} bytes) held, {ReadingsStored} readings stored")]
    private static partial void LogStatistics(ILogger logger, double messagesPerSecond, double pointsPerSecond, long heldMessages, long heldBytes, long readingsStored);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Writes} writes: took p50 {WriteP50:F0} p95 {WriteP95:F0} p99 {WriteP99:F0} ms; points per write p50 {PointsP50:F0} p95 {PointsP95:F0} p99 {PointsP99:F0}")]
    private static partial void LogWrites(ILogger logger, long writes, double? writeP50, double? writeP95, double? writeP99, double? pointsP50, double? pointsP95, double? pointsP99);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping with {Held} messages unacknowledged; the broker keeps them")]
    private static partial void LogStopping(ILogger logger, long held);
}
