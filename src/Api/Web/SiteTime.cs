using System.Globalization;
using Microsoft.Extensions.Localization;
using Telemetry.Api.Plant;

namespace Telemetry.Api.Web;

/// <summary>Times as the site's people read them: in the site's time zone (the Api's zone for a site no file names), in the page's language.</summary>
public sealed class SiteTime(ApiPlant plant, ApiSettings settings, TimeProvider clock, IStringLocalizer<WebText> text)
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

    /// <summary>A span as the page's language says it: <c>1 h 05 min</c>, <c>12 min</c>, <c>2 d 3 h</c>; <c>1小时05分</c>...</summary>
    public string Span(TimeSpan span)
    {
        var s = span.Duration();
        return s.TotalDays >= 1 ? text["Span.Days", (int)s.TotalDays, s.Hours]
            : s.TotalHours >= 1 ? text["Span.Hours", (int)s.TotalHours, s.Minutes.ToString("00", CultureInfo.InvariantCulture)]
            : text["Span.Minutes", Math.Max(s.Minutes, 0)];
    }
}
