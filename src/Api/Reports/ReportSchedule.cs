using Telemetry.Api.Plant;
using Telemetry.Maintenance.Reports;

namespace Telemetry.Api.Reports;

/// <summary>One report the schedule owes: its kind, period and scope.</summary>
public sealed record DueReport(string Kind, ReportMonth Month, ReportHalfYear? Half, ReportScope Scope)
{
    public string Period => Half?.ToString() ?? Month.ToString();
}

/// <summary>
/// Which reports are due at an instant: the monthly report of the service unit, each site and each crew of the plant
/// for each month ended at most <see cref="ReportScheduleSettings.CatchUpMonths"/> months ago, due at
/// <see cref="ReportScheduleSettings.GenerateAt"/> on the 1st after it; and the half-year fault analysis of the same
/// scopes with the report of June and of December. A site's report is due at that hour of its own time zone, but never
/// before the month has ended in the service's, whose calendar months every report counts.
/// </summary>
public sealed class ReportSchedule(ApiPlant plant, TimeZoneInfo serviceZone, ReportScheduleSettings settings)
{
    /// <summary>The service unit, each site, and each crew that looks after a device, in that order.</summary>
    public IReadOnlyList<(ReportScope Scope, TimeZoneInfo Zone)> Scopes() =>
    [
        (ReportScope.ServiceUnit, serviceZone),
        .. plant.Sites.Select(s => (ReportScope.Site(s.Id), s.TimeZone)),
        .. plant.Sites
            .SelectMany(s => s.Gateways.SelectMany(g => g.Devices.Select(d => d.Crew)))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(c => (ReportScope.Crew(c), serviceZone)),
    ];

    /// <summary>When the report of <paramref name="month"/> is due in <paramref name="zone"/>.</summary>
    public DateTimeOffset DueAt(ReportMonth month, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var first = month.Next;
        var local = new DateTime(first.Year, first.Month, 1, 0, 0, 0, DateTimeKind.Unspecified) + settings.GenerateAt;

        // An hour the clocks skip (a spring-forward night) is reported at the first hour that exists after it.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        var due = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
        var ended = first.StartIn(serviceZone);
        return due > ended ? due : ended;
    }

    /// <summary>Every report due at <paramref name="now"/> within the catch-up months, stored or not.</summary>
    public IEnumerable<DueReport> DueAt(DateTimeOffset now)
    {
        var current = ReportMonth.Containing(now, serviceZone);
        foreach (var (scope, zone) in Scopes())
        {
            var months = Enumerable.Range(1, settings.CatchUpMonths + 1)
                .Select(back => Back(current, back))
                .Where(m => DueAt(m, zone) <= now)
                .Take(settings.CatchUpMonths);
            foreach (var month in months)
            {
                yield return new DueReport(StoredReportKind.Monthly, month, null, scope);
                if (month.Month is 6 or 12)
                {
                    yield return new DueReport(StoredReportKind.FaultAnalysis, month, new ReportHalfYear(month.Year, month.Month / 6), scope);
                }
            }
        }
    }

    private static ReportMonth Back(ReportMonth month, int months)
    {
        for (var i = 0; i < months; i++)
        {
            month = month.Previous;
        }

        return month;
    }
}
