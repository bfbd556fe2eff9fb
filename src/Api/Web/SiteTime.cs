using System.Globalization;
using Telemetry.Api.Plant;

namespace Telemetry.Api.Web;

/// <summary>Times as the site's people read them: in the site's time zone (the Api's zone for a site no file names), in the page's language.</summary>
public sealed class SiteTime(ApiPlant plant, ApiSettings settings, TimeProvider clock)
{
    private readonly TimeZoneInfo _default = TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone);

    public DateTimeOffset Now => clock.GetUtcNow();

    public TimeZoneInfo ZoneOf(string? site) => site is not null && plant.FindSite(site) is { } known ? known.TimeZone : _default;

    public DateTimeOffset Local(DateTimeOffset at, string? site) => TimeZoneInfo.ConvertTime(at, ZoneOf(site));

    /// <summary>Date and time to the minute: <c>2026-12-07 18:05</c>.</summary>
    public string Format(DateTimeOffset? at, string? site) =>
        at is { } t ? Local(t, site).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "";

    /// <summary>Time of day to the second, for a live list.</summary>
    public string Clock(DateTimeOffset? at, string? site) =>
        at is { } t ? Local(t, site).ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "";

    /// <summary>A span as the trade says it: <c>1 h 05 min</c>, <c>12 min</c>, <c>2 d 3 h</c>.</summary>
    public static string Span(TimeSpan span)
    {
        var s = span.Duration();
        return s.TotalDays >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)s.TotalDays} d {s.Hours} h")
            : s.TotalHours >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)s.TotalHours} h {s.Minutes:00} min")
                : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(s.Minutes, 0)} min");
    }
}
