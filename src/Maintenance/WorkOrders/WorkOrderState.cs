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

    public required DateOnly DueDate { get; set; }

    public required DateTimeOffset DueAt { get; set; }

    public string? Reason { get; set; }

    /// <summary>The grade of a predictive work order (3); null for planned maintenance.</summary>
    public Faults.FaultGrade? Grade { get; init; }

    /// <summary>The forecast a predictive work order was opened on, as it last stood.</summary>
    public PredictiveBasis? Basis { get; set; }

    /// <summary>The spare lamps a forecast asks the crew to carry on this patrol, and the forecast's time.</summary>
    public SpareLamps? Spares { get; set; }

    /// <summary>What earlier forecasts said, oldest first, each time a newer one moved the work order.</summary>
    public List<WorkOrderRevision> Revisions { get; init; } = [];

    public required DateTimeOffset CreatedAt { get; init; }

    public WorkOrderStatus Status { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public string? StartedBy { get; set; }

    public DateTimeOffset? DoneAt { get; set; }

    public string? DoneBy { get; set; }

    /// <summary>The gateway's emergency test that completed it; null when a crew did.</summary>
    public GatewayTest? GatewayTest { get; set; }

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
    string? Reason = null,
    Faults.FaultGrade? Grade = null,
    PredictiveBasis? Basis = null);

/// <summary>
/// The forecast behind a predictive work order: what it forecast (<c>battery_end_of_life</c>,
/// <c>insulation_time_to_limit</c>), when it was made, the expected date and the 80 % interval.
/// </summary>
public sealed record PredictiveBasis(string Kind, DateTimeOffset AsOf, DateTimeOffset Expected, DateTimeOffset Low, DateTimeOffset High);

/// <summary>The lamps a crew carries on a patrol: the high end of the 80 % interval of lamps forecast to go dark, by asset (a mast, or a controller's circuits).</summary>
public sealed record SpareLamps(int Count, DateTimeOffset AsOf, int Days);

/// <summary>A predictive work order as it stood before a newer forecast moved it.</summary>
public sealed record WorkOrderRevision(DateTimeOffset At, DateOnly DueDate, string? Reason, PredictiveBasis? Basis);
