using System.Globalization;

namespace Telemetry.Api.Reports;

/// <summary>One figure of a report as the exports list it: a stable key, and the value (null when not available).</summary>
public sealed record ReportFigure(string Key, double? Value);

/// <summary>
/// The figures of a monthly report as one flat list, in the order the exports write them, so that the CSV and the
/// workbook carry the same figures as the JSON. Rates are percentages here, rounded to 0.1 %.
/// </summary>
public static class MonthlyReportFigures
{
    public static IReadOnlyList<ReportFigure> Of(MonthlyReportView report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var figures = new List<ReportFigure>
        {
            new("lighting_rate_percent", Percent(report.Lighting.Rate)),
            new("lighting_due_hours", Round(report.Lighting.DueHours)),
            new("lamp_hours_due", Round(report.Lighting.LampHoursDue)),
            new("lamp_hours_lit", Round(report.Lighting.LampHoursLit)),
            new("unmonitored_unit_hours", Round(report.Lighting.UnmonitoredHours)),
            new("tickets_opened", report.Tickets.Opened),
            new("tickets_closed", report.Tickets.Closed),
            new("tickets_open_at_end", report.Tickets.OpenAtEnd),
        };
        figures.AddRange(report.ByGrade.Select(g => new ReportFigure(string.Create(CultureInfo.InvariantCulture, $"tickets_grade{g.Grade}"), g.Tickets)));
        figures.AddRange(report.ByFault.Select(f => new ReportFigure($"tickets_fault_{f.Fault}", f.Tickets)));
        foreach (var deadline in report.Deadlines)
        {
            figures.Add(new($"{deadline.Kind}_on_time_percent", Percent(deadline.OnTimeRate)));
            figures.Add(new($"{deadline.Kind}_met", deadline.Met));
            figures.Add(new($"{deadline.Kind}_missed", deadline.Missed));
            figures.Add(new($"{deadline.Kind}_pending", deadline.Pending));
        }

        figures.Add(new("tickets_resolved", report.Repairs.Resolved));
        figures.Add(new("mean_time_to_repair_hours", report.Repairs.MeanTimeToRepairHours is { } mttr ? Round(mttr) : null));
        figures.Add(new("repeat_repairs", report.RepeatRepairs.Count));
        figures.Add(new("emergency_tests_due", report.EmergencyTests?.TestsDue));
        figures.Add(new("emergency_tests_passed", report.EmergencyTests?.TestsPassed));
        figures.Add(new("emergency_test_pass_percent", Percent(report.EmergencyTests?.PassRate)));
        figures.Add(new("planned_tasks_due", report.PlannedWork?.TasksDue));
        figures.Add(new("planned_tasks_done_on_time", report.PlannedWork?.TasksDoneOnTime));
        figures.Add(new("planned_work_on_time_percent", Percent(report.PlannedWork?.OnTimeRate)));
        return figures;
    }

    public static double? Percent(double? rate) => rate is { } r ? Math.Round(r * 100, 1, MidpointRounding.AwayFromZero) : null;

    private static double Round(double value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
}
