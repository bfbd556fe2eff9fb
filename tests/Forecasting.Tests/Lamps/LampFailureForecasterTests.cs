using Telemetry.Forecasting.Lamps;
using Telemetry.Forecasting.Numerics;

namespace Telemetry.Forecasting.Tests.Lamps;

public sealed class LampFailureForecasterTests
{
    private static readonly DateTimeOffset Start = new(2023, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private const double Latitude = 31.23;

    /// <summary>A group whose lamps go dark at a steady <paramref name="perMonth"/> a month (one every so many days), refitted monthly.</summary>
    private static LampGroupRecord Group(string device, double perMonth, int days)
    {
        var lit = new List<Observation>();
        var refits = new List<Observation>();
        var dark = 0;
        var every = 30 / perMonth;
        var next = every;
        for (var day = 0; day < days; day++)
        {
            if (day % 30 == 0 && dark > 0)
            {
                refits.Add(new Observation(Start.AddDays(day).AddHours(-2), dark));
                dark = 0;
            }

            while (day >= next)
            {
                dark++;
                next += every;
            }

            lit.Add(new Observation(Start.AddDays(day), 20 - dark));
        }

        return new LampGroupRecord(device, null, 20, lit, refits);
    }

    [Fact]
    public void A_group_failing_steadily_is_forecast_at_its_own_rate_for_the_coming_month()
    {
        var groups = new[] { Group("mast-01", 1, 730), Group("mast-02", 2, 730), Group("mast-03", 3, 730), Group("mast-04", 4, 730) };
        var asOf = Start.AddDays(729);
        var forecaster = LampFailureForecaster.Learn(groups, asOf, Latitude);

        var forecasts = groups.Select(g => forecaster.Forecast(g, asOf, TimeSpan.FromDays(30))).ToList();

        // Nights are longer in January than the year's average: a little more than the monthly rate.
        for (var i = 0; i < 4; i++)
        {
            Assert.InRange(forecasts[i].Expected, (i + 1) * 0.9, (i + 1) * 1.5);
            Assert.True(forecasts[i].Low <= forecasts[i].Expected && forecasts[i].Expected <= forecasts[i].High + 1);
        }

        Assert.True(forecasts[3].Expected > forecasts[0].Expected);
    }

    [Fact]
    public void Lamps_burn_longer_in_the_winter_nights()
    {
        var winter = LampFailureForecaster.BurningHours(new DateTimeOffset(2024, 12, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 12, 31, 0, 0, 0, TimeSpan.Zero), Latitude);
        var summer = LampFailureForecaster.BurningHours(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 7, 1, 0, 0, 0, TimeSpan.Zero), Latitude);

        // Shanghai: about 14 h of night in December, 10 h in June.
        Assert.InRange(winter / 30, 13.5, 14.5);
        Assert.InRange(summer / 30, 9.5, 10.5);
    }

    [Fact]
    public void The_last_period_baseline_repeats_the_failures_of_the_last_period()
    {
        var group = Group("mast-01", 3, 120);

        Assert.Equal(3, LastPeriodCount.Failures(group, Start.AddDays(119), TimeSpan.FromDays(30)));
    }
}
