using Microsoft.Extensions.Logging;
using Telemetry.Maintenance.Tickets;
using Telemetry.Rules.Alerts;
using Telemetry.Rules.Health;

namespace Telemetry.Rules.Escalation;

/// <summary>
/// Escalates every ticket whose response, arrival or fix deadline has passed without the step it measures.
/// Breaches are computed from the stored times, so one that fell due while Rules was down is escalated on the
/// first sweep after the start; each deadline escalates once, however often the sweep runs.
/// </summary>
public sealed partial class EscalationSweep(
    ITicketRepository tickets,
    AlertSignal alerts,
    RulesStatistics statistics,
    TimeProvider clock,
    ILogger<EscalationSweep> logger)
{
    /// <summary>Escalates what is breached now; returns the number of escalations made.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var escalated = 0;
        foreach (var breached in await tickets.ListUnescalatedBreachesAsync(now, cancellationToken).ConfigureAwait(false))
        {
            foreach (var kind in breached.UnescalatedBreaches(now))
            {
                try
                {
                    await tickets.ChangeAsync(breached.Number, t => t.Escalate(kind, now), cancellationToken).ConfigureAwait(false);
                    escalated++;
                    statistics.Escalated();
                    LogEscalated(logger, breached.Number.ToString(), (int)breached.Grade, kind.ToString(), breached.Asset.Key, breached.Crew);
                }
                catch (TicketLifecycleException ex)
                {
                    // Acknowledged (or escalated by another instance) since it was listed: nothing to escalate.
                    LogNoLongerBreached(logger, breached.Number.ToString(), kind.ToString(), ex.Message);
                }
            }
        }

        if (escalated > 0)
        {
            alerts.Notify();
        }

        return escalated;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {Number} (grade {Grade}) escalated: {Deadline} deadline breached on {Asset}, crew {Crew}")]
    private static partial void LogEscalated(ILogger logger, string number, int grade, string deadline, string asset, string? crew);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Number} not escalated for {Deadline}: {Reason}")]
    private static partial void LogNoLongerBreached(ILogger logger, string number, string deadline, string reason);
}
