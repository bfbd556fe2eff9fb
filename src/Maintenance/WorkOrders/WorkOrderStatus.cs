namespace Telemetry.Maintenance.WorkOrders;

/// <summary>Where a work order is; overdue is not a status but derived from the due day (<see cref="WorkOrder.IsOverdue"/>).</summary>
public enum WorkOrderStatus
{
    /// <summary>Scheduled; the crew has not started.</summary>
    Planned,

    /// <summary>The crew is on it.</summary>
    InProgress,

    /// <summary>Done, with its checklist and readings.</summary>
    Done,

    /// <summary>Not done, with a reason.</summary>
    Skipped,
}

/// <summary>Names of <see cref="WorkOrderStatus"/>.</summary>
public static class WorkOrderStatuses
{
    /// <summary>The spelling used in storage, JSON and queries: <c>planned</c>, <c>in_progress</c>, <c>done</c>, <c>skipped</c>.</summary>
    public static string ToName(this WorkOrderStatus status) => status switch
    {
        WorkOrderStatus.Planned => "planned",
        WorkOrderStatus.InProgress => "in_progress",
        WorkOrderStatus.Done => "done",
        WorkOrderStatus.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown work order status"),
    };

    public static bool TryParse(string? name, out WorkOrderStatus status)
    {
        foreach (var candidate in Enum.GetValues<WorkOrderStatus>())
        {
            if (candidate.ToName() == name)
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    /// <summary>Whether the work order is still to be done (planned or in progress).</summary>
    public static bool IsOpen(this WorkOrderStatus status) => status is WorkOrderStatus.Planned or WorkOrderStatus.InProgress;
}
