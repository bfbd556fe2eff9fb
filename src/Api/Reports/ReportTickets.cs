using Telemetry.Maintenance.Reports;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Reports;

/// <summary>The tickets a report counts, read from the ticket store page by page.</summary>
public sealed class ReportTickets(ITicketRepository tickets)
{
    /// <summary>Every ticket of the scope opened before <paramref name="period"/>'s end and not closed before its start.</summary>
    public async Task<IReadOnlyList<Ticket>> AliveAsync(ReportScope scope, ReportPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var all = new List<Ticket>();
        while (true)
        {
            var page = await tickets.ListAsync(
                new TicketQuery
                {
                    Site = scope.Kind == ReportScopeKind.Site ? scope.Name : null,
                    Crew = scope.Kind == ReportScopeKind.Crew ? scope.Name : null,
                    OpenedTo = period.To,
                    NotClosedBefore = period.From,
                    Limit = TicketQuery.MaxLimit,
                    Offset = all.Count,
                },
                cancellationToken);
            all.AddRange(page);
            if (page.Count < TicketQuery.MaxLimit)
            {
                return all;
            }
        }
    }
}
