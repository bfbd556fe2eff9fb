using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.ServiceLevels;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Maintenance.Reports;

/// <summary>What a monthly report is computed from: plain values, read by whoever reads the stores.</summary>
/// <param name="Month">The calendar month.</param>
/// <param name="Zone">The service's time zone.</param>
/// <param name="Scope">What the report covers; tickets and units outside it are left out here.</param>
/// <param name="AsOf">Now: deadlines not past by then are pending.</param>
/// <param name="Tickets">At least every ticket opened before the month's end and not closed before its start.</param>
/// <param name="Lamps">The lighting units' readings over the month (and the latest before it).</param>
public sealed record MonthlyReportInput(
    ReportMonth Month,
    TimeZoneInfo Zone,
    ReportScope Scope,
    DateTimeOffset AsOf,
    IReadOnlyList<Ticket> Tickets,
    IReadOnlyList<LampSeries> Lamps)
{
    public EmergencyTestFigures? EmergencyTests { get; init; }

    public PlannedWorkFigures? PlannedWork { get; init; }
}

/// <summary>
/// Computes the monthly report. A ticket is in the scope by its asset's site or its crew (<see cref="ReportScope"/>).
/// Opened, by grade, by fault type and repeat repairs count the tickets opened in the month; closed those closed in it;
/// mean time to repair is opening to resolution over the tickets resolved in it. A deadline counts in the month it
/// falls due, whenever the ticket was opened, so a ticket open across months is measured once per deadline. The
/// lighting rate is <see cref="LightingRateCalculator"/>'s.
/// </summary>
public sealed class MonthlyReportCalculator(LightingRateCalculator lighting)
{
    public MonthlyReport Compute(MonthlyReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var period = input.Month.In(input.Zone);
        var tickets = input.Tickets.Where(t => input.Scope.Includes(t.Asset.Site, t.Crew)).DistinctBy(t => t.Number).ToList();
        var opened = tickets.Where(t => period.Contains(t.OpenedAt)).ToList();
        var repaired = tickets.Where(t => t.ResolvedAt is { } at && period.Contains(at)).ToList();

        return new MonthlyReport
        {
            Month = input.Month,
            Scope = input.Scope,
            TimeZone = input.Zone.Id,
            Period = period,
            AsOf = input.AsOf,
            Lighting = lighting.Compute(input.Lamps.Where(l => input.Scope.Includes(l.Asset.Site, l.Crew)), period),
            TicketsOpened = opened.Count,
            TicketsClosed = tickets.Count(t => t.ClosedAt is { } at && period.Contains(at)),
            TicketsOpenAtEnd = tickets.Count(t => t.OpenedAt < period.To && (t.ClosedAt is null || t.ClosedAt >= period.To)),
            ByGrade = [.. Enum.GetValues<FaultGrade>().Select(g => new GradeCount(g, opened.Count(t => t.Grade == g)))],
            ByFault = [.. opened.GroupBy(t => t.Fault.Name).Select(g => new FaultCount(g.Key, g.Count())).OrderByDescending(f => f.Tickets).ThenBy(f => f.Fault, StringComparer.Ordinal)],
            Deadlines = [.. Enum.GetValues<DeadlineKind>().Select(k => Deadline(k, tickets, period, input.AsOf))],
            Repairs = repaired.Count,
            MeanTimeToRepairHours = repaired.Count == 0 ? null : repaired.Average(t => (t.ResolvedAt!.Value - t.OpenedAt).TotalHours),
            RepeatRepairs = [.. opened.Where(t => t.RepeatOf is not null).OrderBy(t => t.OpenedAt)
                .Select(t => new RepeatRepair(t.Number.ToString(), t.RepeatOf!.Value.ToString(), t.Asset.Key, t.Fault.Name, t.OpenedAt))],
            EmergencyTests = input.EmergencyTests,
            PlannedWork = input.PlannedWork,
        };
    }

    private static DeadlineFigures Deadline(DeadlineKind kind, List<Ticket> tickets, ReportPeriod period, DateTimeOffset asOf)
    {
        int met = 0, missed = 0, pending = 0;
        foreach (var ticket in tickets)
        {
            if (ticket.Deadlines.For(kind) is not { } due || !period.Contains(due))
            {
                continue;
            }

            var done = ticket.DoneAt(kind);
            if (done is { } at && at <= due)
            {
                met++;
            }
            else if (done is not null || asOf > due)
            {
                missed++;
            }
            else
            {
                pending++;
            }
        }

        return new DeadlineFigures(kind, met, missed, pending);
    }
}
