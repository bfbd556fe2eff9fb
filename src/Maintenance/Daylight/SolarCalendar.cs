namespace Telemetry.Maintenance.Daylight;

/// <summary>
/// Sunrise, sunset and daylight by the NOAA solar position equations (the NOAA Solar Calculator spreadsheet,
/// after Meeus, "Astronomical Algorithms"): accurate to about a minute between the polar circles for years
/// 1800 to 2100, which is well inside what lighting schedules need.
/// </summary>
public static class SolarCalendar
{
    /// <summary>Solar zenith at sunrise and sunset: 90° plus refraction (34') plus the sun's semi-diameter (16').</summary>
    public const double SunriseZenithDegrees = 90.833;

    private const double MinutesPerDay = 1440;
    private const double JulianDayOfUnixEpoch = 2440587.5;
    private const double JulianDayOfJ2000 = 2451545.0;

    /// <summary>
    /// Sunrise and sunset of <paramref name="date"/> at the place, the date counted at the place's own meridian
    /// (see <see cref="SunTimes.Date"/>); both in UTC.
    /// </summary>
    /// <param name="date">The day at the place.</param>
    /// <param name="latitude">Degrees north (negative south).</param>
    /// <param name="longitude">Degrees east (negative west).</param>
    public static SunTimes For(DateOnly date, double latitude, double longitude)
    {
        CheckPlace(latitude, longitude);
        var midnight = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        // Solar noon in UTC minutes of the date: 720 minutes less four minutes per degree east, less the
        // equation of time. The equation of time is taken at the noon itself, found in two passes.
        var noonMinutes = 720 - (4 * longitude);
        for (var pass = 0; pass < 2; pass++)
        {
            noonMinutes = 720 - (4 * longitude) - Position(JulianCentury(midnight, noonMinutes)).EquationOfTimeMinutes;
        }

        var atNoon = Position(JulianCentury(midnight, noonMinutes));
        var cosine = HourAngleCosine(latitude, atNoon.DeclinationDegrees);
        if (cosine > 1)
        {
            return new SunTimes(date, null, null, PolarDay: false, PolarNight: true);
        }

        if (cosine < -1)
        {
            return new SunTimes(date, null, null, PolarDay: true, PolarNight: false);
        }

        var sunrise = Event(midnight, latitude, longitude, noonMinutes, rising: true);
        var sunset = Event(midnight, latitude, longitude, noonMinutes, rising: false);
        return new SunTimes(date, sunrise, sunset, PolarDay: false, PolarNight: false);
    }

    /// <summary>
    /// Sunrise and sunset of <paramref name="localDate"/>, a civil date in <paramref name="timeZone"/>: the solar day
    /// whose noon falls on that date in the zone. Equal to <see cref="For(DateOnly, double, double)"/> except where
    /// the zone runs a day ahead of or behind the sun.
    /// </summary>
    public static SunTimes For(DateOnly localDate, double latitude, double longitude, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        var guess = For(localDate, latitude, longitude);
        var noon = SolarNoonEstimate(localDate, longitude);
        var localNoonDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(noon, timeZone).DateTime);
        var shift = localDate.DayNumber - localNoonDate.DayNumber;
        return shift == 0 ? guess : For(localDate.AddDays(shift), latitude, longitude) with { Date = localDate };
    }

    /// <summary>The date at the place's meridian (local mean solar time) of an instant: the day <see cref="For(DateOnly, double, double)"/> takes.</summary>
    public static DateOnly SolarDateOf(DateTimeOffset at, double longitude) =>
        DateOnly.FromDateTime(at.UtcDateTime.AddHours(longitude / 15));

    /// <summary>
    /// The instants of the UTC time line that belong to <paramref name="date"/> at the place's meridian:
    /// from its local mean midnight (inclusive) to the next (exclusive).
    /// </summary>
    public static (DateTimeOffset Start, DateTimeOffset End) SolarDayBounds(DateOnly date, double longitude)
    {
        var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(-longitude / 15);
        return (start, start.AddDays(1));
    }

    /// <summary>
    /// True when the sun is up at <paramref name="at"/> with <paramref name="margin"/> taken off both ends: after
    /// sunrise plus the margin and before sunset less the margin. Always true on a polar day, never on a polar night.
    /// </summary>
    public static bool IsDaylight(DateTimeOffset at, double latitude, double longitude, TimeSpan margin)
    {
        var times = For(SolarDateOf(at, longitude), latitude, longitude);
        return IsDaylight(times, at, margin);
    }

    /// <summary>The daylight test of <see cref="IsDaylight(DateTimeOffset, double, double, TimeSpan)"/> on times already computed for the day of <paramref name="at"/>.</summary>
    public static bool IsDaylight(SunTimes times, DateTimeOffset at, TimeSpan margin)
    {
        ArgumentNullException.ThrowIfNull(times);
        if (times.PolarDay)
        {
            return true;
        }

        if (times.PolarNight || times.Sunrise is not { } sunrise || times.Sunset is not { } sunset)
        {
            return false;
        }

        return at > sunrise + margin && at < sunset - margin;
    }

    private static DateTimeOffset SolarNoonEstimate(DateOnly date, double longitude) =>
        new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddMinutes(720 - (4 * longitude));

    /// <summary>
    /// Sunrise or sunset: the hour angle depends on the declination at the event itself, so the equations are
    /// evaluated again at the previous estimate until it settles (three passes take it well under a second).
    /// </summary>
    private static DateTimeOffset Event(DateTimeOffset midnight, double latitude, double longitude, double noonMinutes, bool rising)
    {
        var minutes = noonMinutes;
        for (var pass = 0; pass < 3; pass++)
        {
            var position = Position(JulianCentury(midnight, minutes));
            var cosine = Math.Clamp(HourAngleCosine(latitude, position.DeclinationDegrees), -1, 1);
            var hourAngle = Degrees(Math.Acos(cosine));
            var noon = 720 - (4 * longitude) - position.EquationOfTimeMinutes;
            minutes = rising ? noon - (4 * hourAngle) : noon + (4 * hourAngle);
        }

        return midnight.AddTicks((long)Math.Round(minutes * TimeSpan.TicksPerMinute));
    }

    private static double HourAngleCosine(double latitude, double declination) =>
        (Math.Cos(Radians(SunriseZenithDegrees)) / (Math.Cos(Radians(latitude)) * Math.Cos(Radians(declination))))
        - (Math.Tan(Radians(latitude)) * Math.Tan(Radians(declination)));

    private static double JulianCentury(DateTimeOffset midnight, double minutesAfter)
    {
        var julianDay = JulianDayOfUnixEpoch + (midnight.ToUnixTimeSeconds() / 86400.0) + (minutesAfter / MinutesPerDay);
        return (julianDay - JulianDayOfJ2000) / 36525;
    }

    /// <summary>The sun's declination and the equation of time at a Julian century (spreadsheet columns G to V).</summary>
    private static (double DeclinationDegrees, double EquationOfTimeMinutes) Position(double t)
    {
        var meanLongitude = Normalise(280.46646 + (t * (36000.76983 + (t * 0.0003032))));
        var meanAnomaly = 357.52911 + (t * (35999.05029 - (0.0001537 * t)));
        var eccentricity = 0.016708634 - (t * (0.000042037 + (0.0000001267 * t)));
        var centre = (Math.Sin(Radians(meanAnomaly)) * (1.914602 - (t * (0.004817 + (0.000014 * t)))))
            + (Math.Sin(Radians(2 * meanAnomaly)) * (0.019993 - (0.000101 * t)))
            + (Math.Sin(Radians(3 * meanAnomaly)) * 0.000289);
        var trueLongitude = meanLongitude + centre;
        var omega = 125.04 - (1934.136 * t);
        var apparentLongitude = trueLongitude - 0.00569 - (0.00478 * Math.Sin(Radians(omega)));
        var meanObliquity = 23 + ((26 + ((21.448 - (t * (46.815 + (t * (0.00059 - (t * 0.001813)))))) / 60)) / 60);
        var obliquity = meanObliquity + (0.00256 * Math.Cos(Radians(omega)));
        var declination = Degrees(Math.Asin(Math.Sin(Radians(obliquity)) * Math.Sin(Radians(apparentLongitude))));

        var y = Math.Tan(Radians(obliquity / 2));
        y *= y;
        var l0 = Radians(meanLongitude);
        var m = Radians(meanAnomaly);
        var equationOfTime = 4 * Degrees(
            (y * Math.Sin(2 * l0))
            - (2 * eccentricity * Math.Sin(m))
            + (4 * eccentricity * y * Math.Sin(m) * Math.Cos(2 * l0))
            - (0.5 * y * y * Math.Sin(4 * l0))
            - (1.25 * eccentricity * eccentricity * Math.Sin(2 * m)));
        return (declination, equationOfTime);
    }

    private static void CheckPlace(double latitude, double longitude)
    {
        if (!double.IsFinite(latitude) || latitude is < -90 or > 90)
        {
            throw new ArgumentOutOfRangeException(nameof(latitude), latitude, "latitude must be between -90 and 90 degrees");
        }

        if (!double.IsFinite(longitude) || longitude is < -180 or > 180)
        {
            throw new ArgumentOutOfRangeException(nameof(longitude), longitude, "longitude must be between -180 and 180 degrees");
        }
    }

    private static double Normalise(double degrees)
    {
        var value = degrees % 360;
        return value < 0 ? value + 360 : value;
    }

    private static double Radians(double degrees) => degrees * (Math.PI / 180);

    private static double Degrees(double radians) => radians * (180 / Math.PI);
}
