using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telemetry.Contracts;
using Telemetry.Gateway.Configuration;
using Telemetry.Gateway.Health;
using Telemetry.Gateway.Polling;

namespace Telemetry.Gateway.Publishing;

/// <summary>
/// Once per cycle takes every reading made since the last cycle and appends them to the queue as one batch,
/// split only when a batch would exceed what consumers accept: <see cref="MaxReadingsPerBatch"/> readings, and
/// <see cref="PublishingSettings.MaxBatchBytes"/> of JSON (a part too large is halved until it fits). On shutdown
/// it takes the last readings too, after the pollers have stopped, so nothing read is left behind.
/// </summary>
public sealed partial class BatchAssembler(
    ReadingCollector collector,
    OutboundQueue outbound,
    SiteConfiguration site,
    GatewaySettings settings,
    GatewayStatistics statistics,
    TimeProvider clock,
    ILogger<BatchAssembler> logger) : BackgroundService
{
    /// <summary>Keeps a batch under Ingest's reading limit (5000 by default) with room to spare.</summary>
    public const int MaxReadingsPerBatch = 500;

    /// <summary>Appends what has been collected; returns the number of batches appended.</summary>
    public int Flush()
    {
        var readings = collector.TakeAll();
        if (readings.Count == 0)
        {
            return 0;
        }

        var plant = site.Current;
        var batches = 0;
        for (var start = 0; start < readings.Count; start += MaxReadingsPerBatch)
        {
            var part = readings.Count <= MaxReadingsPerBatch ? readings : Slice(readings, start, Math.Min(MaxReadingsPerBatch, readings.Count - start));
            batches += Append(plant.SiteId, plant.GatewayId, part);
        }

        return batches;
    }

    private int Append(string siteId, string gatewayId, IReadOnlyList<Reading> readings)
    {
        long? seq;
        try
        {
            seq = outbound.TryAppendBatch(siteId, gatewayId, readings, clock.GetUtcNow(), settings.Publishing.MaxBatchBytes);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            // The disk refused: the readings are lost, which must be visible.
            statistics.BatchLost(readings.Count);
            LogAppendFailed(logger, readings.Count, ex.Message);
            return 0;
        }

        if (seq is { } appended)
        {
            statistics.BatchQueued(appended, readings.Count);
            LogQueued(logger, appended, readings.Count);
            return 1;
        }

        var half = readings.Count / 2;
        return Append(siteId, gatewayId, Slice(readings, 0, half)) + Append(siteId, gatewayId, Slice(readings, half, readings.Count - half));
    }

    private static List<Reading> Slice(IReadOnlyList<Reading> readings, int start, int count)
    {
        var slice = new List<Reading>(count);
        for (var i = start; i < start + count; i++)
        {
            slice.Add(readings[i]);
        }

        return slice;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.BatchInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Flush();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var batches = Flush();
        LogFlushed(logger, batches, outbound.LastSeq);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not queue a batch of {Readings} readings; they are lost: {Reason}")]
    private static partial void LogAppendFailed(ILogger logger, int readings, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Batch {Seq} queued with {Readings} readings")]
    private static partial void LogQueued(ILogger logger, long seq, int readings);

    [LoggerMessage(Level = LogLevel.Information, Message = "Flushed {Batches} last batches to the queue; seq is at {Seq}")]
    private static partial void LogFlushed(ILogger logger, int batches, long seq);
}
