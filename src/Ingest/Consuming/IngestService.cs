using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telemetry.Contracts;
using Telemetry.Hosting;
using Telemetry.InfluxDb;
using Telemetry.InfluxDb.Writing;
using Telemetry.Hosting.DeadLetters;
using Telemetry.Ingest.Storage;
using Telemetry.Contracts.Validation;
using Telemetry.Mqtt;

namespace Telemetry.Ingest.Consuming;

/// <summary>
/// Carries gateway messages from the broker into InfluxDB. A message is acknowledged only once the write
/// holding its points has been stored (or its dead letter written), so a crash at any moment leaves it with
/// the broker, which sends it again; redelivered points overwrite themselves. While InfluxDB is down nothing
/// is acknowledged, so the broker stops at the receive maximum: that, and the writes in flight, bound memory.
/// </summary>
public sealed partial class IngestService(
    IMqttClient mqtt,
    InfluxClient influx,
    GatewayMessageEncoder encoder,
    DeadLetterSink deadLetters,
    BrokerSettings mqttSettings,
    InfluxSettings influxSettings,
    IngestStatistics statistics,
    TimeProvider clock,
    ILogger<IngestService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StatisticsInterval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await UntilDoneAsync(ct => influx.CreateDatabaseAsync(influxSettings.Database, ct), "create the database", stoppingToken);
        mqtt.ConnectionStateChanged += (_, e) => statistics.BrokerConnected(e.State == MqttConnectionState.Connected);
        await UntilDoneAsync(mqtt.ConnectAsync, "connect to the broker", stoppingToken);
        statistics.BrokerConnected(mqtt.State == MqttConnectionState.Connected);

        var topics = new Topics(mqttSettings.Root);
        string[] filters = [topics.AllTelemetry, topics.AllStates, topics.AllEvents];
        await mqtt.SubscribeAsync(
            [.. filters.Select(f => new MqttSubscription { TopicFilter = Topics.Shared(mqttSettings.SharedGroup, f), MaximumQoS = MqttQualityOfService.AtLeastOnce })],
            stoppingToken);
        statistics.Subscribed();
        LogConsuming(logger, string.Join(", ", filters), mqttSettings.SharedGroup, influxSettings.WritesInFlight, influxSettings.CompressWrites);

        var writes = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(1) { SingleReader = false, SingleWriter = true });
        var writers = Enumerable.Range(0, influxSettings.WritesInFlight).Select(_ => WriteLoopAsync(writes.Reader, stoppingToken)).ToList();
        var reporting = ReportLoopAsync(stoppingToken);
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
            await Task.WhenAll([.. writers, reporting]).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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
        DateTimeOffset? oldest = null;
        while (true)
        {
            if (held.Count == 0)
            {
                await messages.WaitToReadAsync(cancellationToken);
            }

            var deadline = clock.GetTimestamp() + (long)(influxSettings.Linger.TotalSeconds * Stopwatch.Frequency);
            while (!builder.IsFull)
            {
                if (messages.TryRead(out var message))
                {
                    var start = builder.ByteCount;
                    statistics.Received(message.Message.Payload.Length);
                    var encoded = encoder.Encode(message.Message.Topic, message.Message.Payload.Span, builder);
                    var deadLetter = encoded.Rejections.Count > 0 ? RejectAsync(message, encoded.Rejections, cancellationToken) : Task.CompletedTask;
                    held.Add(new HeldMessage(message, start, builder.ByteCount, deadLetter));
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
                    await messages.WaitToReadAsync(linger.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }

            var batch = builder.IsEmpty ? null : builder.TakeBatch();
            await writes.WriteAsync(new PendingWrite(batch, [.. held], readings, oldest), cancellationToken);
            held.Clear();
            readings = 0;
            oldest = null;
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
                    await StoreAsync(pending, cancellationToken);
                    long bytes = 0;
                    foreach (var held in pending.Messages)
                    {
                        await held.DeadLetter;
                        await mqtt.AcknowledgeAsync(held.Message, cancellationToken);
                        bytes += held.Message.Message.Payload.Length;
                    }

                    statistics.Acknowledged(pending.Messages.Length, bytes);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Unacknowledged: redelivered after the restart.
        }
    }

    private async Task StoreAsync(PendingWrite pending, CancellationToken cancellationToken)
    {
        if (pending.Batch is not { } batch)
        {
            return;
        }

        var started = clock.GetTimestamp();
        var refusal = await WriteUntilAnsweredAsync(batch.Body, cancellationToken);
        if (refusal is null)
        {
            statistics.Written(batch.PointCount, pending.Readings, clock.GetElapsedTime(started), clock.GetUtcNow() - pending.OldestReading);
            return;
        }

        // InfluxDB refused (part of) the batch. Find the messages it cannot take by writing each on its own:
        // the good ones are stored (again, harmlessly), the bad ones go to dead letters rather than round forever.
        LogIsolating(logger, batch.PointCount, pending.Messages.Length, refusal.ServerMessage ?? refusal.Message);
        foreach (var held in pending.Messages.Where(m => m.End > m.Start))
        {
            if (await WriteUntilAnsweredAsync(batch.Body[held.Start..held.End], cancellationToken) is { } refused)
            {
                await RejectAsync(held.Message, [new Rejection(RejectionReason.RejectedByDatabase, refused.ServerMessage ?? refused.Message)], cancellationToken);
            }
        }

        statistics.Written(batch.PointCount, pending.Readings, clock.GetElapsedTime(started), clock.GetUtcNow() - pending.OldestReading);
    }

    /// <summary>Writes until InfluxDB answers: null when it stored everything, the refusal when it will not.</summary>
    private Task<InfluxWriteException?> WriteUntilAnsweredAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        UntilDoneAsync<InfluxWriteException?>(
            async ct =>
            {
                try
                {
                    await influx.WriteAsync(body, ct);
                    return null;
                }
                catch (InfluxWriteException ex) when (!ex.IsTransient && !ex.IsDatabaseNotFound)
                {
                    return ex;
                }
            },
            "write to InfluxDB",
            cancellationToken,
            onFailure: ex =>
            {
                statistics.WriteFailed();
                if (ex is InfluxWriteException { IsDatabaseNotFound: true })
                {
                    // Someone dropped the database under us: make it again rather than refuse readings.
                    _ = influx.CreateDatabaseAsync(influxSettings.Database, cancellationToken);
                }
            });

    /// <summary>Writes the dead letter to its file now and publishes it; the message is acknowledged once the task completes.</summary>
    private Task RejectAsync(MqttReceivedMessage message, IReadOnlyList<Rejection> rejections, CancellationToken cancellationToken)
    {
        foreach (var rejection in rejections)
        {
            statistics.Rejected(rejection.Reason);
        }

        return deadLetters.WriteAsync(message.Message.Topic, message.Message.Payload, rejections, cancellationToken);
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

    /// <summary>Retries a transient failure with growing delays until it works or the service stops.</summary>
    private Task<T> UntilDoneAsync<T>(Func<CancellationToken, Task<T>> operation, string what, CancellationToken cancellationToken, Action<Exception>? onFailure = null) =>
        Persistently.UntilDoneAsync(operation, what, logger, clock, cancellationToken, MaxRetryDelay, onFailure);

    private Task UntilDoneAsync(Func<CancellationToken, Task> operation, string what, CancellationToken cancellationToken) =>
        Persistently.UntilDoneAsync(operation, what, logger, clock, cancellationToken);

    /// <summary>A message waiting for its points to be stored (bytes Start..End of the batch body) and its dead letter, if any.</summary>
    private sealed record HeldMessage(MqttReceivedMessage Message, int Start, int End, Task DeadLetter);

    private sealed class PendingWrite(LineProtocolBatch? batch, HeldMessage[] messages, int readings, DateTimeOffset? oldestReading) : IDisposable
    {
        public LineProtocolBatch? Batch { get; } = batch;

        public HeldMessage[] Messages { get; } = messages;

        public int Readings { get; } = readings;

        public DateTimeOffset? OldestReading { get; } = oldestReading;

        public void Dispose() => Batch?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming {Filters} in shared group {Group} with {WritesInFlight} writes in flight, gzip {Gzip}")]
    private static partial void LogConsuming(ILogger logger, string filters, string group, int writesInFlight, bool gzip);

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB refused a batch of {Points} points from {Messages} messages ({Reason}); writing them one message at a time")]
    private static partial void LogIsolating(ILogger logger, int points, int messages, string reason);


    [LoggerMessage(Level = LogLevel.Information, Message = "{MessagesPerSecond:F0} messages/s in, {PointsPerSecond:F0} points/s out, {HeldMessages} messages ({HeldBytes} bytes) held, {ReadingsStored} readings stored")]
    private static partial void LogStatistics(ILogger logger, double messagesPerSecond, double pointsPerSecond, long heldMessages, long heldBytes, long readingsStored);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Writes} writes: took p50 {WriteP50:F0} p95 {WriteP95:F0} p99 {WriteP99:F0} ms; points per write p50 {PointsP50:F0} p95 {PointsP95:F0} p99 {PointsP99:F0}")]
    private static partial void LogWrites(ILogger logger, long writes, double? writeP50, double? writeP95, double? writeP99, double? pointsP50, double? pointsP95, double? pointsP99);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping with {Held} messages unacknowledged; the broker keeps them")]
    private static partial void LogStopping(ILogger logger, long held);
}
