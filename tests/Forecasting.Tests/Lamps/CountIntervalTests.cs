using MathNet.Numerics.Distributions;
using Telemetry.Forecasting.Lamps;

namespace Telemetry.Forecasting.Tests.Lamps;

public sealed class CountIntervalTests
{
    [Fact]
    public void With_a_rate_of_0_3_none_is_the_interval_nearest_80_percent()
    {
        // P(0) = 74 %, P(≤ 1) = 96 %.
        Assert.Equal((0, 0), CountInterval.Nearest80(new Poisson(0.3).CumulativeDistribution));
    }

    [Fact]
    public void With_a_rate_of_10_the_interval_leaves_at_most_10_percent_below_it_and_holds_about_80_percent()
    {
        var poisson = new Poisson(10);

        var (low, high) = CountInterval.Nearest80(poisson.CumulativeDistribution);

        Assert.True(poisson.CumulativeDistribution(low - 1) <= 0.1);
        Assert.InRange(poisson.CumulativeDistribution(high) - poisson.CumulativeDistribution(low - 1), 0.74, 0.86);
    }
}
