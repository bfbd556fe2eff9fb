using Microsoft.Extensions.Logging;
using Quartz;
using Telemetry.Maintenance.WorkOrders;
using Telemetry.Rules.Configuration;

namespace Telemetry.Rules.Planning;

/// <summary>
/// The Quartz job that makes the planned maintenance work orders of the plant's sites through the horizon ahead; one
/// at a time. Each run continues each site's schedule where the last one stopped, so it catches up after downtime, and
/// the store makes each work order once, so a restart or a second Rules process doubles none.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class WorkOrderScheduleJob(WorkOrderScheduler scheduler, PlantFiles plant, ILogger<WorkOrderScheduleJob> logger) : IJob
{
    public static readonly JobKey Key = new("schedule", "work-orders");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var created = await scheduler.RunAsync(plant.Sites, cancellationToken).ConfigureAwait(false);
            if (created > 0)
            {
                LogScheduled(logger, created, plant.Sites.Count);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next firing continues from the last day stored as scheduled, so nothing is lost.
            LogFailed(logger, ex.Message, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled {Count} planned maintenance work orders for {Sites} sites")]
    private static partial void LogScheduled(ILogger logger, int count, int sites);

    [LoggerMessage(Level = LogLevel.Error, Message = "Planned maintenance scheduling failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason, Exception exception);
}
