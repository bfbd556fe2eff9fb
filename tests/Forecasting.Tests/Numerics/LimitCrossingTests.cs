using Telemetry.Forecasting.Numerics;

namespace Telemetry.Forecasting.Tests.Numerics;

public sealed class LimitCrossingTests
{
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_line_falling_one_unit_a_day_from_100_crosses_50_on_day_51_with_an_interval_of_z80_days_each_side()
    {
        var (expected, low, high) = LimitCrossing.Find(Start, TimeSpan.FromDays(1000), 50, t => 100 - (t - Start).TotalDays, _ => 10);

        Assert.Equal(Start.AddDays(51), expected);
        // 10 × 1.2816 = 12.8 units: the 10th percentile crosses on day 38, the 90th on day 63.
        Assert.Equal(Start.AddDays(38), low);
        Assert.Equal(Start.AddDays(63), high);
    }

    [Fact]
    public void A_quantity_that_never_falls_to_the_limit_is_given_at_the_horizon()
    {
        var (expected, low, high) = LimitCrossing.Find(Start, TimeSpan.FromDays(100), 50, _ => 80, _ => 1);

        Assert.Equal(Start.AddDays(100), expected);
        Assert.Equal(expected, low);
        Assert.Equal(expected, high);
    }
}
