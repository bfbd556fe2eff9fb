using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.ServiceLevels;

namespace Telemetry.Maintenance.Reports;

/// <summary>
/// The monthly statistics the service owes (domain section 6) for one scope and calendar month; see
/// <see cref="MonthlyReportCalculator"/> for how each figure is counted.
/// </summary>
public sealed record MonthlyReport
{
    public required ReportMonth Month { get; init; }

    public required ReportScope Scope { get; init; }

    /// <summary>The time zone the month is a calendar month of.</summary>
    public required string TimeZone { get; init; }

    public required ReportPeriod Period { get; init; }

    /// <summary>The time the figures were computed at: a deadline not due yet then is pending.</summary>
    public required DateTimeOffset AsOf { get; init; }

    public required LightingFigures Lighting { get; init; }

    public required int TicketsOpened { get; init; }

    public required int TicketsClosed { get; init; }

    /// <summary>Tickets opened before the month's end and not closed by then.</summary>
    public required int TicketsOpenAtEnd { get; init; }

    /// <summary>Tickets opened in the month, by grade (every grade listed, 1 to 4).</summary>
    public required IReadOnlyList<GradeCount> ByGrade { get; init; }

    /// <summary>Tickets opened in the month, by fault type, most first.</summary>
    public required IReadOnlyList<FaultCount> ByFault { get; init; }

    /// <summary>Response, arrival and fix, in that order.</summary>
    public required IReadOnlyList<DeadlineFigures> Deadlines { get; init; }

    /// <summary>Tickets resolved in the month.</summary>
    public required int Repairs { get; init; }

    /// <summary>Mean of opening to resolution over <see cref="Repairs"/>, in hours; null when none.</summary>
    public required double? MeanTimeToRepairHours { get; init; }

    /// <summary>Tickets opened in the month that repeat a repair closed within the repeat-repair window.</summary>
    public required IReadOnlyList<RepeatRepair> RepeatRepairs { get; init; }

    /// <summary>Null when no source of the figures is registered: not available, never zero.</summary>
    public EmergencyTestFigures? EmergencyTests { get; init; }

    /// <summary>Null when no source of the figures is registered: not available, never zero.</summary>
    public PlannedWorkFigures? PlannedWork { get; init; }

    public DeadlineFigures For(DeadlineKind kind) => Deadlines.Single(d => d.Kind == kind);
}

public sealed record GradeCount(FaultGrade Grade, int Tickets);

public sealed record FaultCount(string Fault, int Tickets);

/// <summary>A repeat-repair ticket and the ticket whose repair it repeats.</summary>
public sealed record RepeatRepair(string Ticket, string RepeatOf, string Asset, string Fault, DateTimeOffset OpenedAt);

/// <summary>
/// One kind of deadline over the tickets whose deadline of that kind fell due in the month: met (the step done at or
/// before it), missed (done after it, or not done and past), pending (not done and not past at the report's time).
/// </summary>
public sealed record DeadlineFigures(DeadlineKind Kind, int Met, int Missed, int Pending)
{
    /// <summary>Met over met and missed, 0 to 1; null when none was decided.</summary>
    public double? OnTimeRate => Met + Missed > 0 ? (double)Met / (Met + Missed) : null;
}
