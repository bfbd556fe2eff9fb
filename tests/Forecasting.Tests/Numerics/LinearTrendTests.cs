using Telemetry.Forecasting.Numerics;

namespace Telemetry.Forecasting.Tests.Numerics;

public sealed class LinearTrendTests
{
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_line_through_exact_points_is_found_with_no_uncertainty()
    {
        var points = Enumerable.Range(0, 5).Select(i => new Observation(Start.AddDays(i * 365.25), 100 - (4 * i))).ToList();

        var trend = LinearTrend.Fit(points);

        Assert.Equal(-4, trend.Slope, 6);
        Assert.Equal(84, trend.ValueAt(Start.AddDays(4 * 365.25)), 6);
        Assert.Equal(0, trend.DeviationAt(Start.AddDays(10 * 365.25)), 6);
    }

    [Fact]
    public void The_uncertainty_of_a_scattered_line_grows_with_distance_from_the_data()
    {
        var points = Enumerable.Range(0, 20).Select(i => new Observation(Start.AddDays(i * 30), 50 + (i % 2 == 0 ? 1 : -1))).ToList();

        var trend = LinearTrend.Fit(points);

        Assert.True(trend.DeviationAt(Start.AddDays(3000)) > trend.DeviationAt(Start.AddDays(300)));
    }

    [Fact]
    public void A_trend_needs_two_distinct_times()
    {
        Assert.Throws<ArgumentException>(() => LinearTrend.Fit([new Observation(Start, 1), new Observation(Start, 2)]));
    }
}
