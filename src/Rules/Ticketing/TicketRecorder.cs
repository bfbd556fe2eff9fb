using Microsoft.Extensions.Logging;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Tickets;
using Telemetry.Rules.Alerts;
using Telemetry.Rules.Health;

namespace Telemetry.Rules.Ticketing;

/// <summary>
/// Turns the rule engine's conclusions into tickets: a detection opens a ticket or counts an occurrence,
/// a clearing is recorded on the ticket. The store makes both idempotent, so a message judged twice after a
/// crash leaves the same tickets.
/// </summary>
public sealed partial class TicketRecorder(
    ITicketRepository tickets,
    AlertSignal alerts,
    RulesStatistics statistics,
    TimeProvider clock,
    ILogger<TicketRecorder> logger)
{
    /// <summary>Records every transition in order; returns when all are stored.</summary>
    public async Task RecordAsync(IReadOnlyList<FaultTransition> transitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        var changed = false;
        foreach (var transition in transitions)
        {
            switch (transition)
            {
                case FaultDetected detected:
                    statistics.Detected();
                    await RecordDetectedAsync(detected, cancellationToken).ConfigureAwait(false);
                    changed = true;
                    break;
                case FaultCleared cleared:
                    statistics.Cleared();
                    var ticket = await tickets.RecordClearedAsync(cleared, cancellationToken).ConfigureAwait(false);
                    if (ticket is not null)
                    {
                        LogCleared(logger, ticket.Number.ToString(), cleared.Fault.ToName(), cleared.Asset.Key, cleared.Summary);
                    }

                    break;
            }
        }

        if (changed)
        {
            alerts.Notify();
        }
    }

    private async Task RecordDetectedAsync(FaultDetected detected, CancellationToken cancellationToken)
    {
        var recorded = await tickets.RecordAsync(detected, cancellationToken).ConfigureAwait(false);
        var ticket = recorded.Ticket;
        statistics.Recorded(recorded.Opened, recorded.RepeatRepair, clock.GetUtcNow() - detected.At);
        if (recorded.Opened)
        {
            LogOpened(logger, ticket.Number.ToString(), (int)ticket.Grade, detected.Fault.ToName(), detected.Asset.Key, ticket.Crew, detected.Summary);
            if (recorded.RepeatRepair)
            {
                LogRepeatRepair(logger, ticket.Number.ToString(), ticket.RepeatOf?.ToString(), detected.Asset.Key, detected.Fault.ToName());
            }
        }

        // The ticket decides what a worse grade does (raise it, or reopen a resolved ticket); this only tells of it.
        if (recorded.GradeBefore is { } was && was != ticket.Grade)
        {
            LogRegraded(logger, ticket.Number.ToString(), (int)was, (int)ticket.Grade, ticket.Status.ToName(), detected.Summary);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {Number} opened: grade {Grade} {Fault} on {Asset} for {Crew}: {Summary}")]
    private static partial void LogOpened(ILogger logger, string number, int grade, string fault, string asset, string? crew, string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {Number} is a repeat repair of {RepeatOf}: {Fault} on {Asset} came back within the repeat window")]
    private static partial void LogRepeatRepair(ILogger logger, string number, string? repeatOf, string asset, string fault);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Number}: condition {Fault} on {Asset} cleared: {Summary}")]
    private static partial void LogCleared(ILogger logger, string number, string fault, string asset, string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {Number} raised from grade {From} to grade {To}, now {Status}: {Reason}")]
    private static partial void LogRegraded(ILogger logger, string number, int from, int to, string status, string reason);
}
