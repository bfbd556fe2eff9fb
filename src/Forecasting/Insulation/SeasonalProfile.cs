namespace Telemetry.Forecasting.Insulation;

/// <summary>
/// The season of a site's insulation readings, in log space: humid months lower every box's resistance by the
/// same factor, and humid spells swing it more than dry ones (below 60 % RH humidity stops mattering). Learned from
/// the whole plant as an offset and a weather scale per month, interpolated between mid-months.
/// </summary>
public sealed class SeasonalProfile
{
    private readonly double[] offsets;
    private readonly double[] scales;

    private SeasonalProfile(double[] offsets, double[] scales)
    {
        this.offsets = offsets;
        this.scales = scales;
    }

    /// <summary>No season: zero offsets, unit scales.</summary>
    public static SeasonalProfile None { get; } = new(new double[12], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);

    /// <summary>The seasonal offset of the log resistance at <paramref name="time"/>.</summary>
    public double At(DateTimeOffset time) => Interpolate(offsets, time);

    /// <summary>How much larger than average the weather's swings are at <paramref name="time"/> (1 on average).</summary>
    public double ScaleAt(DateTimeOffset time) => Interpolate(scales, time);

    /// <summary>The deepest the season takes the log resistance below its trend.</summary>
    public double Depth => -offsets.Min();

    /// <summary>Fits the offsets to residuals (time, log resistance minus each box's own trend) pooled over boxes, and the scales to what is left.</summary>
    public static SeasonalProfile Fit(IReadOnlyList<(DateTimeOffset Time, double Residual)> residuals)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        var sums = new double[12];
        var counts = new int[12];
        foreach (var (time, residual) in residuals)
        {
            sums[time.Month - 1] += residual;
            counts[time.Month - 1]++;
        }

        if (counts.Any(c => c == 0))
        {
            return None;
        }

        var offsets = sums.Select((s, m) => s / counts[m]).ToArray();
        var squares = new double[12];
        foreach (var (time, residual) in residuals)
        {
            squares[time.Month - 1] += Math.Pow(residual - offsets[time.Month - 1], 2);
        }

        var deviations = squares.Select((s, m) => Math.Sqrt(s / counts[m])).ToArray();
        var mean = Math.Sqrt(squares.Sum() / counts.Sum());
        return new SeasonalProfile(offsets, [.. deviations.Select(d => mean > 0 ? d / mean : 1)]);
    }

    private static double Interpolate(double[] monthly, DateTimeOffset time)
    {
        // Month m's value holds at its middle (day 15); between middles, linearly.
        var position = time.Month - 1 + ((time.Day - 15.0) / DateTime.DaysInMonth(time.Year, time.Month));
        var below = (int)Math.Floor(position);
        var fraction = position - below;
        return (monthly[((below % 12) + 12) % 12] * (1 - fraction)) + (monthly[(((below + 1) % 12) + 12) % 12] * fraction);
    }
}
