using Telemetry.Forecasting.Insulation;

namespace Telemetry.Forecasting.Tests.Insulation;

public sealed class SeasonalProfileTests
{
    [Fact]
    public void A_wet_july_is_learned_as_the_deepest_month_and_a_dry_january_as_the_highest()
    {
        var start = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var residuals = Enumerable.Range(0, 3 * 365)
            .Select(d => start.AddDays(d))
            .Select(t => (t, 0.8 * Math.Cos(2 * Math.PI * (t.DayOfYear - 15) / 365.25)))
            .ToList();

        var season = SeasonalProfile.Fit(residuals);

        Assert.InRange(season.At(new DateTimeOffset(2024, 1, 15, 0, 0, 0, TimeSpan.Zero)), 0.7, 0.85);
        Assert.InRange(season.At(new DateTimeOffset(2024, 7, 15, 0, 0, 0, TimeSpan.Zero)), -0.85, -0.7);
        Assert.InRange(season.Depth, 0.7, 0.85);
    }
}
