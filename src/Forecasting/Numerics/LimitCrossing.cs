using MathNet.Numerics.Distributions;

namespace Telemetry.Forecasting.Numerics;

/// <summary>
/// When a falling quantity, known as a mean and a standard deviation at each future time, crosses a lower limit:
/// the expected date where the mean does, and the 80 % interval between the dates where the 90th and the 10th
/// percentiles do. Searched day by day up to a horizon.
/// </summary>
public static class LimitCrossing
{
    /// <summary>z of the 90th percentile of a normal distribution (an 80 % central interval).</summary>
    public static readonly double Z80 = Normal.InvCDF(0, 1, 0.9);

    /// <summary>The crossing dates; a date beyond <paramref name="horizon"/> is given as the horizon.</summary>
    public static (DateTimeOffset Expected, DateTimeOffset Low, DateTimeOffset High) Find(
        DateTimeOffset from, TimeSpan horizon, double limit, Func<DateTimeOffset, double> mean, Func<DateTimeOffset, double> deviation)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(deviation);
        DateTimeOffset? expected = null, low = null, high = null;
        var end = from + horizon;
        for (var day = from; day <= end && high is null; day = day.AddDays(1))
        {
            var m = mean(day);
            var spread = Z80 * deviation(day);
            low ??= m - spread < limit ? day : null;
            expected ??= m < limit ? day : null;
            high ??= m + spread < limit ? day : null;
        }

        return (expected ?? end, low ?? end, high ?? end);
    }
}
