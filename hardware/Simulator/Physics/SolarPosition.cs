namespace Telemetry.Simulator.Physics;

/// <summary>
/// Where the sun is, after NOAA's simplified solar position equations (accurate to a minute or so for
/// sunrise and sunset, which is what lighting schedules need).
/// </summary>
public static class SolarPosition
{
    /// <summary>Elevation of the sun's centre above the horizon, in degrees (negative at night).</summary>
    public static double Elevation(DateTimeOffset time, double latitude, double longitude)
    {
        var utc = time.UtcDateTime;
        var (declination, equationOfTime) = SunAt(utc);
        var minutes = (utc.TimeOfDay.TotalMinutes + equationOfTime + (4 * longitude)) % 1440;
        var hourAngle = (minutes / 4) - 180;
        var lat = Radians(latitude);
        var cosZenith = (Math.Sin(lat) * Math.Sin(declination)) + (Math.Cos(lat) * Math.Cos(declination) * Math.Cos(Radians(hourAngle)));
        return 90 - Degrees(Math.Acos(Math.Clamp(cosZenith, -1, 1)));
    }

    /// <summary>
    /// Sunrise and sunset (elevation -0.833°) of the local calendar day <paramref name="date"/> at the place, as UTC
    /// instants; null in polar day or night.
    /// </summary>
    public static (DateTimeOffset Sunrise, DateTimeOffset Sunset)? SunriseSunset(DateOnly date, double latitude, double longitude, TimeSpan utcOffset)
    {
        // Solve at local noon of the day; one refinement is plenty at these latitudes.
        var noonUtc = new DateTime(date, new TimeOnly(12, 0), DateTimeKind.Utc) - utcOffset;
        var (declination, equationOfTime) = SunAt(noonUtc);
        var lat = Radians(latitude);
        var cosHourAngle = (Math.Cos(Radians(90.833)) / (Math.Cos(lat) * Math.Cos(declination))) - (Math.Tan(lat) * Math.Tan(declination));
        if (cosHourAngle is < -1 or > 1)
        {
            return null;
        }

        var hourAngle = Degrees(Math.Acos(cosHourAngle));
        var solarNoonMinutesUtc = 720 - (4 * longitude) - equationOfTime;
        var midnightUtc = new DateTimeOffset(new DateTime(date, TimeOnly.MinValue, DateTimeKind.Utc));
        return (
            midnightUtc.AddMinutes(solarNoonMinutesUtc - (4 * hourAngle)),
            midnightUtc.AddMinutes(solarNoonMinutesUtc + (4 * hourAngle)));
    }

    private static (double Declination, double EquationOfTimeMinutes) SunAt(DateTime utc)
    {
        var dayOfYear = utc.DayOfYear;
        var gamma = 2 * Math.PI / 365 * (dayOfYear - 1 + ((utc.TimeOfDay.TotalHours - 12) / 24));
        var equationOfTime = 229.18 * (0.000075 + (0.001868 * Math.Cos(gamma)) - (0.032077 * Math.Sin(gamma))
            - (0.014615 * Math.Cos(2 * gamma)) - (0.040849 * Math.Sin(2 * gamma)));
        var declination = 0.006918 - (0.399912 * Math.Cos(gamma)) + (0.070257 * Math.Sin(gamma)) - (0.006758 * Math.Cos(2 * gamma))
            + (0.000907 * Math.Sin(2 * gamma)) - (0.002697 * Math.Cos(3 * gamma)) + (0.00148 * Math.Sin(3 * gamma));
        return (declination, equationOfTime);
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;

    private static double Degrees(double radians) => radians * 180 / Math.PI;
}
