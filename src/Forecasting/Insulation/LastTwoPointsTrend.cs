namespace Telemetry.Forecasting.Insulation;

/// <summary>
/// The naive forecast a model must beat: the straight line through the last two points, extended to the limit.
/// The points are the readings a year apart (the last one and the one a year before it), as the yearly 500 V
/// megger test gives them; a year apart, the season is the same at both. A line that does not fall never
/// crosses: the horizon is given.
/// </summary>
public static class LastTwoPointsTrend
{
    public static DateTimeOffset Crossing(InsulationRecord box, DateTimeOffset asOf, double limitMohm, TimeSpan horizon)
    {
        ArgumentNullException.ThrowIfNull(box);
        var last = box.ReadingsMohm.LastOrDefault(o => o.Time <= asOf);
        var before = box.ReadingsMohm.LastOrDefault(o => o.Time <= last.Time.AddDays(-365));
        if (before.Time == default)
        {
            return asOf + horizon;
        }

        if (last.Value < limitMohm)
        {
            return asOf;
        }

        var slopePerDay = (last.Value - before.Value) / (last.Time - before.Time).TotalDays;
        if (slopePerDay >= 0)
        {
            return asOf + horizon;
        }

        return asOf.AddDays(Math.Min((last.Value - limitMohm) / -slopePerDay, horizon.TotalDays));
    }
}
