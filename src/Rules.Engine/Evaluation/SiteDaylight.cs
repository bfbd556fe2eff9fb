using Telemetry.Maintenance.Daylight;

namespace Telemetry.Rules.Evaluation;

/// <summary>
/// The sun at one site, with the current day's sunrise and sunset kept as ticks: the solar equations cost about a
/// microsecond, far too much to run on every reading, while the day changes once in 24 hours.
/// </summary>
internal sealed class SiteDaylight(double latitude, double longitude)
{
    private long dayStart = long.MaxValue;
    private long dayEnd = long.MinValue;
    private long sunrise;
    private long sunset;
    private bool polarDay;

    public double Latitude { get; } = latitude;

    public double Longitude { get; } = longitude;

    /// <summary>True when the sun is up at <paramref name="at"/>, <paramref name="margin"/> inside sunrise and sunset.</summary>
    public bool IsDaylight(DateTimeOffset at, TimeSpan margin)
    {
        var ticks = at.UtcTicks;
        if (ticks < dayStart || ticks >= dayEnd)
        {
            Load(at);
        }

        return polarDay || (ticks > sunrise + margin.Ticks && ticks < sunset - margin.Ticks);
    }

    /// <summary>Night: the lighting is due on (the sun is below the horizon).</summary>
    public bool IsNight(DateTimeOffset at) => !IsDaylight(at, TimeSpan.Zero);

    private void Load(DateTimeOffset at)
    {
        var date = SolarCalendar.SolarDateOf(at, Longitude);
        var times = SolarCalendar.For(date, Latitude, Longitude);
        var (start, end) = SolarCalendar.SolarDayBounds(date, Longitude);
        (dayStart, dayEnd) = (start.UtcTicks, end.UtcTicks);
        polarDay = times.PolarDay;

        // A polar night is a day whose sunset comes before its sunrise: no instant lies between them.
        (sunrise, sunset) = times is { Sunrise: { } rise, Sunset: { } set } ? (rise.UtcTicks, set.UtcTicks) : (long.MaxValue / 2, long.MinValue / 2);
    }
}
