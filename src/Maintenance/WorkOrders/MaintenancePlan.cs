using System.Globalization;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;

namespace Telemetry.Maintenance.WorkOrders;

/// <summary>
/// What domain section 5 calls for on a site: every recurring task on every asset of its families at the intervals in
/// force, a special patrol of every mast and street controller the day before each holiday of the site's calendar, and
/// one before extreme weather an operator declares. Pure: the same inputs give the same work orders.
/// </summary>
public static class MaintenancePlan
{
    /// <summary>The work orders due on site-local days from <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    public static IReadOnlyList<PlannedWorkOrder> Between(Site site, IReadOnlyDictionary<MaintenanceTask, MaintenanceInterval> intervals, DateOnly from, DateOnly to)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(intervals);
        var planned = new List<PlannedWorkOrder>();
        foreach (var task in MaintenanceTasks.Recurring)
        {
            var interval = intervals.TryGetValue(task, out var set) ? set : task.DefaultInterval();
            var slots = interval.SlotsDueBetween(from, to).ToList();
            foreach (var device in site.Devices.Where(d => task.AppliesTo(d.Family, d.DualSupply)))
            {
                planned.AddRange(slots.Select(slot => Order(site, device, task, slot.Period, slot.Due, null)));
            }
        }

        foreach (var holiday in site.Holidays)
        {
            var due = holiday.From.AddDays(-1);
            if (due >= from && due <= to)
            {
                planned.AddRange(Patrols(site, MaintenanceTask.HolidayPatrol, $"holiday-{holiday.From:yyyy-MM-dd}", due, holiday.Name));
            }
        }

        return planned;
    }

    /// <summary>
    /// The special patrols before extreme weather expected on <paramref name="expected"/>: due the day before, or
    /// <paramref name="today"/> when that has passed. One per asset and expected day, however often it is declared.
    /// </summary>
    public static IReadOnlyList<PlannedWorkOrder> BeforeWeather(Site site, DateOnly expected, DateOnly today, string description)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        var due = expected.AddDays(-1) < today ? today : expected.AddDays(-1);
        return [.. Patrols(site, MaintenanceTask.WeatherPatrol, $"weather-{expected:yyyy-MM-dd}", due, description.Trim())];
    }

    /// <summary>The end of <paramref name="day"/> in the site's time zone.</summary>
    public static DateTimeOffset EndOfDay(Site site, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(site);
        var local = day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, site.TimeZone.GetUtcOffset(local));
    }

    /// <summary>The site-local day of <paramref name="at"/>.</summary>
    public static DateOnly LocalDay(Site site, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(site);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, site.TimeZone).DateTime);
    }

    private static IEnumerable<PlannedWorkOrder> Patrols(Site site, MaintenanceTask task, string period, DateOnly due, string reason) =>
        site.Devices.Where(d => task.AppliesTo(d.Family, d.DualSupply)).Select(d => Order(site, d, task, period, due, reason));

    private static PlannedWorkOrder Order(Site site, SiteDevice device, MaintenanceTask task, string period, DateOnly due, string? reason) =>
        new(new AssetRef(site.Id, device.GatewayId, device.Id), device.Family, task, period.ToString(CultureInfo.InvariantCulture), due,
            EndOfDay(site, due), device.Crew, device.CrewZone, reason);
}
