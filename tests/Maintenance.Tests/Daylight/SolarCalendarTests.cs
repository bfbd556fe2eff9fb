using Telemetry.Maintenance.Daylight;

namespace Telemetry.Maintenance.Tests.Daylight;

public sealed class SolarCalendarTests
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Published sunrise and sunset, in the local clock time of the source, with that clock's UTC offset.
    /// Sources:
    /// USNO = U.S. Naval Observatory, Astronomical Applications Dept., "Rise and Set for the Sun" one-year tables
    /// (aa.usno.navy.mil/calculated/rstt/year) and one-day "Sun and Moon Data";
    /// TAD = timeanddate.com sun tables.
    /// </summary>
    public static TheoryData<string, double, double, DateOnly, int, string, string> PublishedTimes => new()
    {
        // USNO, Fredonia AZ (W112°31', N36°57'), 2023 table, zone 7h west of Greenwich: 21 June 0511 1953.
        { "Fredonia AZ, summer solstice (USNO)", 36.95, -112.52, new DateOnly(2023, 6, 21), -7, "05:11", "19:53" },

        // USNO, Fredonia AZ, 2023 table: 21 December 0739 1717.
        { "Fredonia AZ, winter solstice (USNO)", 36.95, -112.52, new DateOnly(2023, 12, 21), -7, "07:39", "17:17" },

        // USNO, Cupertino CA (W121°55', N37°24'), 2008 table, zone 8h west: 1 January 0722 1700.
        { "Cupertino CA, January (USNO)", 37.40, -121.917, new DateOnly(2008, 1, 1), -8, "07:22", "17:00" },

        // USNO, Cupertino CA, 2008 table: 1 July 0451 1932 (standard time).
        { "Cupertino CA, July (USNO)", 37.40, -121.917, new DateOnly(2008, 7, 1), -8, "04:51", "19:32" },

        // USNO one-day data, Tromsø (E19.0, N69.5), 1 April 2014, Universal Time + 1h: sunrise 04:50, sunset 18:49.
        { "Tromsø, April (USNO)", 69.5, 19.0, new DateOnly(2014, 4, 1), 1, "04:50", "18:49" },

        // TAD, Punta Arenas (S53.16, W70.92), 9 March 2023, UTC-3: sunrise 07:24, sunset 20:22.
        { "Punta Arenas, southern autumn (TAD)", -53.163833, -70.917068, new DateOnly(2023, 3, 9), -3, "07:24", "20:22" },

        // TAD, Maputo (S25.97, E32.58), 9 March 2023, UTC+2: sunrise 05:47, sunset 18:12.
        { "Maputo, southern tropics (TAD)", -25.966667, 32.583333, new DateOnly(2023, 3, 9), 2, "05:47", "18:12" },

        // TAD, Auckland (S36.85, E174.76), 9 March 2023, NZDT UTC+13: sunrise 07:13, sunset 19:49.
        // Sunrise is 18:13 UTC on 8 March: the case where the day of the place is not the UTC day.
        { "Auckland, east of the date line's UTC day (TAD)", -36.848461, 174.763336, new DateOnly(2023, 3, 9), 13, "07:13", "19:49" },
    };

    [Theory]
    [MemberData(nameof(PublishedTimes))]
    public void Sunrise_and_sunset_are_within_two_minutes_of_published_tables(
        string place, double latitude, double longitude, DateOnly date, int utcOffsetHours, string sunrise, string sunset)
    {
        var times = SolarCalendar.For(date, latitude, longitude);

        Assert.False(times.PolarDay, place);
        Assert.False(times.PolarNight, place);
        AssertNear(Published(date, sunrise, utcOffsetHours), times.Sunrise, place);
        AssertNear(Published(date, sunset, utcOffsetHours), times.Sunset, place);
    }

    [Fact]
    public void Auckland_sunrise_falls_on_the_previous_utc_day()
    {
        var times = SolarCalendar.For(new DateOnly(2023, 3, 9), -36.848461, 174.763336);

        Assert.Equal(new DateOnly(2023, 3, 8), DateOnly.FromDateTime(times.Sunrise!.Value.UtcDateTime));
        Assert.Equal(new DateOnly(2023, 3, 9), DateOnly.FromDateTime(times.Sunset!.Value.UtcDateTime));
    }

    [Fact]
    public void Tromso_in_december_has_polar_night()
    {
        // Tromsø (N69.65, E18.96) has no sunrise from late November to mid-January (the "mørketid"; NTB and
        // Nordlys report the sun back over the mainland horizon on 15 January).
        var times = SolarCalendar.For(new DateOnly(2024, 12, 21), 69.6492, 18.9553);

        Assert.True(times.PolarNight);
        Assert.False(times.PolarDay);
        Assert.Null(times.Sunrise);
        Assert.Null(times.Sunset);
        Assert.False(SolarCalendar.IsDaylight(new DateTimeOffset(2024, 12, 21, 10, 30, 0, TimeSpan.Zero), 69.6492, 18.9553, TimeSpan.Zero));
    }

    [Fact]
    public void Tromso_at_midsummer_has_polar_day()
    {
        // USNO one-day data for Tromsø: the sun rises on 18 May and next sets on 25 July.
        var times = SolarCalendar.For(new DateOnly(2014, 6, 21), 69.5, 19.0);

        Assert.True(times.PolarDay);
        Assert.True(SolarCalendar.IsDaylight(new DateTimeOffset(2014, 6, 21, 23, 0, 0, TimeSpan.Zero), 69.5, 19.0, TimeSpan.FromMinutes(30)));
    }

    [Fact]
    public void Shanghai_is_daylight_at_local_noon_and_not_at_local_midnight()
    {
        const double lat = 31.2304, lon = 121.4737;

        // 12:00 and 00:00 China Standard Time (UTC+8) on 22 November 2026.
        Assert.True(SolarCalendar.IsDaylight(new DateTimeOffset(2026, 11, 22, 4, 0, 0, TimeSpan.Zero), lat, lon, TimeSpan.FromMinutes(30)));
        Assert.False(SolarCalendar.IsDaylight(new DateTimeOffset(2026, 11, 21, 16, 0, 0, TimeSpan.Zero), lat, lon, TimeSpan.FromMinutes(30)));
    }

    [Fact]
    public void The_margin_is_taken_inside_the_day()
    {
        const double lat = 36.95, lon = -112.52;
        var times = SolarCalendar.For(new DateOnly(2023, 6, 21), lat, lon);
        var margin = TimeSpan.FromMinutes(30);

        Assert.False(SolarCalendar.IsDaylight(times.Sunrise!.Value.AddMinutes(20), lat, lon, margin));
        Assert.True(SolarCalendar.IsDaylight(times.Sunrise!.Value.AddMinutes(40), lat, lon, margin));
        Assert.True(SolarCalendar.IsDaylight(times.Sunset!.Value.AddMinutes(-40), lat, lon, margin));
        Assert.False(SolarCalendar.IsDaylight(times.Sunset!.Value.AddMinutes(-20), lat, lon, margin));
        Assert.True(SolarCalendar.IsDaylight(times.Sunrise!.Value.AddMinutes(1), lat, lon, TimeSpan.Zero));
        Assert.False(SolarCalendar.IsDaylight(times.Sunrise!.Value.AddMinutes(-1), lat, lon, TimeSpan.Zero));
    }

    [Fact]
    public void Every_instant_of_a_solar_day_maps_back_to_that_day()
    {
        const double lon = 174.763336;
        var date = new DateOnly(2023, 3, 9);
        var (start, end) = SolarCalendar.SolarDayBounds(date, lon);

        Assert.Equal(date, SolarCalendar.SolarDateOf(start, lon));
        Assert.Equal(date, SolarCalendar.SolarDateOf(end.AddTicks(-1), lon));
        Assert.Equal(date.AddDays(1), SolarCalendar.SolarDateOf(end, lon));
    }

    [Fact]
    public void A_civil_date_in_the_time_zone_gives_the_same_day_where_the_zone_follows_the_sun()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");
        var byZone = SolarCalendar.For(new DateOnly(2023, 3, 9), -36.848461, 174.763336, zone);
        var byMeridian = SolarCalendar.For(new DateOnly(2023, 3, 9), -36.848461, 174.763336);

        Assert.Equal(byMeridian, byZone);
    }

    [Fact]
    public void A_zone_a_day_ahead_of_its_meridian_takes_the_solar_day_whose_noon_falls_on_its_civil_date()
    {
        // Kiritimati (N1.87, W157.4) keeps UTC+14: its solar noon, about 22:30 UTC, is 12:30 the next civil day.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Kiritimati");
        var civil = new DateOnly(2026, 3, 10);

        var times = SolarCalendar.For(civil, 1.87, -157.4, zone);

        Assert.Equal(civil, times.Date);
        Assert.Equal(SolarCalendar.For(civil.AddDays(-1), 1.87, -157.4).Sunrise, times.Sunrise);
        Assert.Equal(civil, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(times.Sunrise!.Value, zone).DateTime));
    }

    [Theory]
    [InlineData(91, 0)]
    [InlineData(-91, 0)]
    [InlineData(0, 181)]
    [InlineData(double.NaN, 0)]
    public void A_place_off_the_globe_is_refused(double latitude, double longitude) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SolarCalendar.For(new DateOnly(2026, 1, 1), latitude, longitude));

    private static DateTimeOffset Published(DateOnly date, string clock, int utcOffsetHours) =>
        new(date.ToDateTime(TimeOnly.ParseExact(clock, "HH:mm", System.Globalization.CultureInfo.InvariantCulture)), TimeSpan.FromHours(utcOffsetHours));

    private static void AssertNear(DateTimeOffset expected, DateTimeOffset? actual, string place)
    {
        Assert.NotNull(actual);
        var difference = (actual.Value - expected).Duration();
        Assert.True(difference <= Tolerance, $"{place}: expected {expected:u}, computed {actual.Value:u} ({difference.TotalMinutes:F1} min off)");
    }
}
