using Microsoft.Extensions.Logging;
using Quartz;

namespace Telemetry.Rules.Escalation;

/// <summary>The Quartz job that runs the escalation sweep on its schedule; one at a time.</summary>
[DisallowConcurrentExecution]
public sealed partial class EscalationJob(EscalationSweep sweep, ILogger<EscalationJob> logger) : IJob
{
    public static readonly JobKey Key = new("escalation", "tickets");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await sweep.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next firing tries again; breaches are recomputed from stored times, so none is lost.
            LogFailed(logger, ex.Message, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Escalation sweep failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason, Exception exception);
}
