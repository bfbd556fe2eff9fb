using Telemetry.Maintenance.Reports;
using Telemetry.Maintenance.ServiceLevels;

namespace Telemetry.Api.Reports;

/// <summary>
/// A monthly report as the Api serves it. Rates are fractions from 0 to 1, null when nothing was counted; an
/// extension's figures (<see cref="EmergencyTests"/>, <see cref="PlannedWork"/>) are null when not available.
/// </summary>
public sealed record MonthlyReportView(
    string Month,
    string Scope,
    string TimeZone,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset AsOf,
    LightingView Lighting,
    TicketCountsView Tickets,
    IReadOnlyList<GradeCountView> ByGrade,
    IReadOnlyList<FaultCount> ByFault,
    IReadOnlyList<DeadlineOnTimeView> Deadlines,
    RepairsView Repairs,
    IReadOnlyList<RepeatRepair> RepeatRepairs,
    EmergencyTestFigures? EmergencyTests,
    PlannedWorkFigures? PlannedWork)
{
    public static MonthlyReportView Of(MonthlyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var lighting = report.Lighting;
        return new(
            report.Month.ToString(),
            report.Scope.ToString(),
            report.TimeZone,
            report.Period.From,
            report.Period.To,
            report.AsOf,
            new LightingView(lighting.Rate, lighting.DueHours, lighting.LampHoursDue, lighting.LampHoursLit, lighting.UnmonitoredHours,
                [.. lighting.Units.Select(u => new LightingUnitView(u.Asset, u.Crew, u.Rate, u.DueHours, u.LampHoursDue, u.LampHoursLit, u.UnmonitoredHours))]),
            new TicketCountsView(report.TicketsOpened, report.TicketsClosed, report.TicketsOpenAtEnd),
            [.. report.ByGrade.Select(g => new GradeCountView((int)g.Grade, g.Tickets))],
            report.ByFault,
            [.. report.Deadlines.Select(d => new DeadlineOnTimeView(d.Kind.ToName(), d.OnTimeRate, d.Met, d.Missed, d.Pending))],
            new RepairsView(report.Repairs, report.MeanTimeToRepairHours),
            report.RepeatRepairs,
            report.EmergencyTests,
            report.PlannedWork);
    }
}

/// <summary>The lamp lighting rate (亮灯率) with its lamp-hours, and each unit's.</summary>
public sealed record LightingView(double? Rate, double DueHours, double LampHoursDue, double LampHoursLit, double UnmonitoredHours, IReadOnlyList<LightingUnitView> Units);

public sealed record LightingUnitView(string Asset, string? Crew, double? Rate, double DueHours, double LampHoursDue, double LampHoursLit, double UnmonitoredHours);

public sealed record TicketCountsView(int Opened, int Closed, int OpenAtEnd);

public sealed record GradeCountView(int Grade, int Tickets);

/// <summary>One kind of deadline (<c>response</c>, <c>arrival</c>, <c>fix</c>): on-time rate, met, missed, pending.</summary>
public sealed record DeadlineOnTimeView(string Kind, double? OnTimeRate, int Met, int Missed, int Pending);

/// <summary>Tickets resolved in the month and their mean time to repair (opening to resolution), in hours.</summary>
public sealed record RepairsView(int Resolved, double? MeanTimeToRepairHours);
