using Quartz;
using Telemetry.Rules.Configuration;

namespace Telemetry.Rules.Predictive;

/// <summary>
/// The Quartz job that forecasts the plant and opens the predictive work orders (<c>Rules:ForecastInterval</c>), one
/// run at a time. Everything it makes is stored idempotently, so a restart or a missed firing only delays it.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ForecastJob(ForecastRun run, PlantFiles plant) : IJob
{
    public static readonly JobKey Key = new("forecast", "predictive");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Each site's failure is logged and counted by the run; the previous forecasts stay.
        await run.RunAsync(plant.Sites, cancellationToken).ConfigureAwait(false);
    }
}
