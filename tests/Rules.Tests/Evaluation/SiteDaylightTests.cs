using Telemetry.Maintenance.Daylight;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Tests.Evaluation;

public sealed class SiteDaylightTests
{
    [Fact]
    public void Agrees_with_the_solar_calendar_minute_by_minute_across_two_days()
    {
        var sun = new SiteDaylight(TestPlant.Latitude, TestPlant.Longitude);
        var margin = TimeSpan.FromMinutes(30);
        var start = new DateTimeOffset(2026, 6, 20, 0, 0, 0, TimeSpan.Zero);

        for (var minute = 0; minute < 2 * 24 * 60; minute++)
        {
            var at = start.AddMinutes(minute);
            Assert.Equal(SolarCalendar.IsDaylight(at, TestPlant.Latitude, TestPlant.Longitude, margin), sun.IsDaylight(at, margin));
        }
    }

    [Fact]
    public void Polar_night_is_never_daylight_and_polar_day_always_is()
    {
        var tromso = new SiteDaylight(69.6492, 18.9553);

        Assert.False(tromso.IsDaylight(new DateTimeOffset(2026, 12, 21, 11, 0, 0, TimeSpan.Zero), TimeSpan.Zero));
        Assert.True(tromso.IsNight(new DateTimeOffset(2026, 12, 21, 11, 0, 0, TimeSpan.Zero)));
        Assert.True(tromso.IsDaylight(new DateTimeOffset(2026, 6, 21, 23, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(30)));
    }
}
