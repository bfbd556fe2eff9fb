namespace Telemetry.Forecasting.Lamps;

/// <summary>The naive forecast a model must beat: as many lamps go dark in the next period as in the last one.</summary>
public static class LastPeriodCount
{
    public static int Failures(LampGroupRecord group, DateTimeOffset asOf, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(group);
        return group.FailuresBetween(asOf - period, asOf);
    }
}
