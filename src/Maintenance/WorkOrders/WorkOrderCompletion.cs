using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Maintenance.WorkOrders;

/// <summary>
/// A crew completing a work order: the work order is saved done with its checklist and readings, then the readings are
/// judged by the thresholds in force (<see cref="EnteredReadingJudge"/>) and each one past its limit is recorded in the
/// ticket store exactly as the rule's detection would be, opening the fault ticket or counting on the open one.
/// </summary>
public sealed class WorkOrderCompletion(IWorkOrderStore workOrders, ITicketRepository tickets, IThresholdStore thresholds, TimeProvider time)
{
    private readonly EnteredReadingJudge judge = new(thresholds.Catalogue);

    public async Task<CompletedWorkOrder> CompleteAsync(
        WorkOrderNumber number,
        string actor,
        IReadOnlyDictionary<string, bool> checklist,
        IReadOnlyDictionary<string, double> readings,
        string? note,
        Site site,
        CancellationToken cancellationToken)
    {
        var order = await workOrders.ChangeAsync(number, o => o.Complete(actor, time.GetUtcNow(), checklist, readings, note, site), cancellationToken).ConfigureAwait(false);
        var snapshot = await thresholds.LoadAsync(cancellationToken).ConfigureAwait(false);
        var recorded = new List<FaultRecorded>();
        foreach (var detected in judge.Judge(order, snapshot))
        {
            recorded.Add(await tickets.RecordAsync(detected, cancellationToken).ConfigureAwait(false));
        }

        return new CompletedWorkOrder(order, recorded);
    }
}

/// <summary>A completed work order and what its readings did in the ticket store (empty when all were within limits).</summary>
public sealed record CompletedWorkOrder(WorkOrder WorkOrder, IReadOnlyList<FaultRecorded> Tickets);
