using Telemetry.Maintenance.Reports;
using Telemetry.Maintenance.WorkOrders;

namespace Telemetry.Api.Reports;

/// <summary>
/// The monthly report's planned maintenance figures from the work-order store: the work orders of the scope whose due
/// day falls in the month (their <see cref="WorkOrder.DueAt"/>, the end of that day, within the month), and of those the
/// ones done before it ended (<see cref="WorkOrder.DoneOnTime"/>). A skipped or still open order counts as not on time.
/// </summary>
public sealed class PlannedWorkFromWorkOrders(IWorkOrderStore workOrders) : IPlannedWorkFigureSource
{
    public async Task<PlannedWorkFigures> ReadAsync(ReportScope scope, ReportPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);

        // The store filters by site-local day; a day either side of the period's UTC dates catches every time zone,
        // and the due time decides.
        var query = new WorkOrderQuery
        {
            Site = scope.Kind == ReportScopeKind.Site ? scope.Name : null,
            Crew = scope.Kind == ReportScopeKind.Crew ? scope.Name : null,
            DueFrom = DateOnly.FromDateTime(period.From.UtcDateTime).AddDays(-1),
            DueTo = DateOnly.FromDateTime(period.To.UtcDateTime).AddDays(1),
            Limit = WorkOrderQuery.MaxLimit,
        };

        var due = 0;
        var onTime = 0;
        for (var offset = 0; ; offset += WorkOrderQuery.MaxLimit)
        {
            var page = await workOrders.ListAsync(query with { Offset = offset }, cancellationToken);
            foreach (var order in page.Where(o => o.DueAt > period.From && o.DueAt <= period.To && scope.Includes(o.Site, o.Crew)))
            {
                due++;
                onTime += order.DoneOnTime ? 1 : 0;
            }

            if (page.Count < WorkOrderQuery.MaxLimit)
            {
                return new PlannedWorkFigures(due, onTime);
            }
        }
    }
}
