namespace Telemetry.Forecasting.Storage;

/// <summary>
/// Where a plant history lives in InfluxDB, as the contracts lay readings out: measurement = device family, tags
/// site, gateway, device (and circuit), fields = point names; battery tests and relamping on the <c>events</c>
/// measurement with a <c>kind</c> tag.
/// </summary>
public static class HistoryLayout
{
    public const string Events = "events";

    public const string BatteryTestFinished = Telemetry.Contracts.EventKinds.BatteryTestFinished;

    /// <summary>A crew refitted dark lamps (field <c>lamps_replaced</c>): with the fall in lamps lit, it tells how many went dark.</summary>
    public const string LampsReplaced = "lamps_replaced";

    /// <summary>The test name of the full discharge, as the gateway names it.</summary>
    public const string DurationTest = Telemetry.Contracts.BatteryTestNames.Duration;

    /// <summary>The half-yearly one-hour run (domain: emergency lighting, test run of 1 h twice a year).</summary>
    public const string OneHourTest = Telemetry.Contracts.BatteryTestNames.OneHour;
}
