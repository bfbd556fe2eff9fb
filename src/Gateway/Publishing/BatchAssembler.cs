using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telemetry.Contracts;
using Telemetry.Gateway.Configuration;
using Telemetry.Gateway.Health;
using Telemetry.Gateway.Polling;

namespace Telemetry.Gateway.Publishing;

/// <summary>
/// Once per cycle takes every reading made since the last cycle and appends them to the queue as one batch
/// (split only when a batch would exceed what consumers accept). On shutdown it takes the last readings too,
/// after the pollers have stopped, so nothing read is left behind.
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
    /// <summary>Keeps a batch well under Ingest's payload limit (256 KiB by default).</summary>
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
            var part = readings.Count <= MaxReadingsPerBatch ? readings : readings.Skip(start).Take(MaxReadingsPerBatch).ToList();
            try
            {
                var seq = outbound.AppendBatch(plant.SiteId, plant.GatewayId, part, clock.GetUtcNow());
                statistics.BatchQueued(seq, part.Count);
                batches++;
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
            {
                // The disk refused: the readings are lost, which must be visible.
                statistics.BatchLost(part.Count);
                LogAppendFailed(logger, part.Count, ex.Message);
            }
        }

        return batches;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Flushed {Batches} last batches to the queue; seq is at {Seq}")]
    private static partial void LogFlushed(ILogger logger, int batches, long seq);
}
