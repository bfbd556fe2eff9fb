using Telemetry.Maintenance.Daylight;

namespace Telemetry.Rules.Evaluation;

/// <summary>
/// The sun at one site, with the current day's sunrise and sunset kept: the solar equations cost about a
/// microsecond, far too much to run on every reading, while the day changes once in 24 hours.
/// </summary>
internal sealed class SiteDaylight(double latitude, double longitude)
{
    private DateTimeOffset dayStart = DateTimeOffset.MaxValue;
    private DateTimeOffset dayEnd = DateTimeOffset.MinValue;
    private SunTimes? times;

    public double Latitude { get; } = latitude;

    public double Longitude { get; } = longitude;

    /// <summary>True when the sun is up at <paramref name="at"/>, <paramref name="margin"/> inside sunrise and sunset.</summary>
    public bool IsDaylight(DateTimeOffset at, TimeSpan margin)
    {
        if (at < dayStart || at >= dayEnd || times is null)
        {
            var date = SolarCalendar.SolarDateOf(at, Longitude);
            times = SolarCalendar.For(date, Latitude, Longitude);
            (dayStart, dayEnd) = SolarCalendar.SolarDayBounds(date, Longitude);
        }

        return SolarCalendar.IsDaylight(times, at, margin);
    }

    /// <summary>Night: the lighting is due on (the sun is below the horizon).</summary>
    public bool IsNight(DateTimeOffset at) => !IsDaylight(at, TimeSpan.Zero);
}
