namespace Telemetry.Maintenance.WorkOrders;

/// <summary>A step the work order's status does not allow, such as completing one that was skipped.</summary>
public sealed class WorkOrderLifecycleException(WorkOrderNumber number, WorkOrderStatus status, string step)
    : InvalidOperationException($"Work order {number} is {status.ToName()}: cannot {step}")
{
    public WorkOrderNumber Number { get; } = number;

    public WorkOrderStatus Status { get; } = status;

    public string Step { get; } = step;
}

/// <summary>A completion or skip missing what it needs: a checklist item unanswered, a reading missing or invalid, no reason.</summary>
public sealed class WorkOrderInputException(WorkOrderNumber number, IReadOnlyList<string> problems)
    : ArgumentException($"Work order {number}: {string.Join("; ", problems)}")
{
    public WorkOrderNumber Number { get; } = number;

    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>No work order has the number.</summary>
public sealed class WorkOrderNotFoundException(WorkOrderNumber number) : KeyNotFoundException($"Work order {number} does not exist")
{
    public WorkOrderNumber Number { get; } = number;
}
