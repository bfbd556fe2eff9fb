using Telemetry.Contracts;
using Telemetry.Devices.Sites;

namespace Telemetry.Maintenance.WorkOrders;

/// <summary>The stored form of a work order: everything it is, as plain data. Only <see cref="WorkOrder"/> changes it.</summary>
internal sealed record WorkOrderState
{
    public required string Number { get; init; }

    public required string AssetKey { get; init; }

    public required string Site { get; init; }

    public required DeviceFamily Family { get; init; }

    public required MaintenanceTask Task { get; init; }

    public required string Period { get; init; }

    public string? Crew { get; init; }

    public CrewZone Zone { get; init; }

    public required DateOnly DueDate { get; init; }

    public required DateTimeOffset DueAt { get; init; }

    public string? Reason { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public WorkOrderStatus Status { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public string? StartedBy { get; set; }

    public DateTimeOffset? DoneAt { get; set; }

    public string? DoneBy { get; set; }

    public DateOnly? ReportDueDate { get; set; }

    public DateTimeOffset? SkippedAt { get; set; }

    public string? SkippedBy { get; set; }

    public string? SkipReason { get; set; }

    public string? Note { get; set; }

    public List<ChecklistItem> Checklist { get; init; } = [];

    public Dictionary<string, double> Readings { get; init; } = new(StringComparer.Ordinal);

    public long Version { get; set; }
}

/// <summary>One item of a work order's checklist: its code and the crew's answer (null until answered).</summary>
/// <param name="Code">What to check, e.g. <c>rcd_trip_time</c>.</param>
/// <param name="Passed">True when it was found in order, false when not; null while unanswered.</param>
/// <param name="Note">What the crew wrote about it.</param>
public sealed record ChecklistItem(string Code, bool? Passed = null, string? Note = null);

/// <summary>A work order the schedule calls for, before it is stored and numbered.</summary>
public sealed record PlannedWorkOrder(
    Faults.AssetRef Asset,
    DeviceFamily Family,
    MaintenanceTask Task,
    string Period,
    DateOnly DueDate,
    DateTimeOffset DueAt,
    string? Crew,
    CrewZone Zone,
    string? Reason = null);
