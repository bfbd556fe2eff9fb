namespace Telemetry.Forecasting.Lamps;

/// <summary>
/// An interval for a small count. A count's distribution moves in steps, so no interval holds exactly 80 %: the
/// lower end leaves at most 10 % below it, the upper end is the one that brings the interval's probability
/// nearest 80 % (with a rate of 0.3, "none" holds 74 % and "at most one" 96 %: "none" is given).
/// </summary>
public static class CountInterval
{
    public static (int Low, int High) Nearest80(Func<double, double> cumulative)
    {
        ArgumentNullException.ThrowIfNull(cumulative);
        var low = 0;
        while (cumulative(low) <= 0.1)
        {
            low++;
        }

        var below = low == 0 ? 0 : cumulative(low - 1);
        var high = low;
        while (Math.Abs(cumulative(high + 1) - below - 0.8) < Math.Abs(cumulative(high) - below - 0.8))
        {
            high++;
        }

        return (low, high);
    }
}
