using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class ClockDriftRuleTests
{
    [Fact]
    public void A_unix_clock_more_than_60_s_off_for_two_readings_is_grade3_clock_drift()
    {
        var plant = new EngineHarness(TestPlant.Night);

        UnixClock(plant, offsetS: 95);
        UnixClock(plant, offsetS: 95);

        var drift = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal(FaultType.ClockDrift, drift.Fault);
        Assert.Equal(FaultGrade.Grade3, drift.Grade);
        Assert.Equal(95, drift.Evidence["clock_offset_s"], 3);
        Assert.Contains("ahead", drift.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Clock_drift_holds_between_30_and_60_s_and_clears_below_30()
    {
        var plant = new EngineHarness(TestPlant.Night);
        UnixClock(plant, offsetS: -70);
        UnixClock(plant, offsetS: -70);

        UnixClock(plant, offsetS: -45);
        UnixClock(plant, offsetS: -65);
        UnixClock(plant, offsetS: -45);
        UnixClock(plant, offsetS: -45);
        Assert.Empty(plant.Cleared(FaultType.ClockDrift));

        UnixClock(plant, offsetS: -2);
        UnixClock(plant, offsetS: -2);

        Assert.Single(plant.Detected(FaultType.ClockDrift));
        Assert.Single(plant.Cleared(FaultType.ClockDrift));
    }

    [Fact]
    public void A_clock_kept_in_local_parts_is_read_in_the_site_time_zone()
    {
        var plant = new EngineHarness(TestPlant.Night);

        // Shanghai is UTC+8: the right local time is no drift at all, even though it is eight hours off UTC.
        LocalClock(plant, TestPlant.Night.ToOffset(TimeSpan.FromHours(8)).DateTime);
        LocalClock(plant, plant.Now.ToOffset(TimeSpan.FromHours(8)).DateTime);
        Assert.Empty(plant.Output);

        LocalClock(plant, plant.Now.ToOffset(TimeSpan.FromHours(8)).DateTime.AddMinutes(3));
        LocalClock(plant, plant.Now.ToOffset(TimeSpan.FromHours(8)).DateTime.AddMinutes(3));

        var drift = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal(FaultType.ClockDrift, drift.Fault);
        Assert.Equal(new AssetRef(TestPlant.SiteId, TestPlant.GatewayId, "ltc-02"), drift.Asset);
    }

    [Fact]
    public void A_clock_showing_an_impossible_date_is_not_read_as_drift()
    {
        var plant = new EngineHarness(TestPlant.Night);
        var values = new Dictionary<string, ReadingValue>(StringComparer.Ordinal)
        {
            ["clock_year"] = 2026, ["clock_month"] = 0, ["clock_day"] = 0, ["clock_hour"] = 0, ["clock_minute"] = 0, ["clock_second"] = 0,
        };

        plant.Read("ltc-02", DeviceFamily.LightTimeController, values);
        plant.Read("ltc-02", DeviceFamily.LightTimeController, values);

        Assert.Empty(plant.Output);
    }

    private static void UnixClock(EngineHarness plant, double offsetS) =>
        plant.Read("ltc-01", DeviceFamily.LightTimeController, new Dictionary<string, ReadingValue>(StringComparer.Ordinal)
        {
            ["clock_unix_s"] = plant.Now.ToUnixTimeSeconds() + offsetS,
            ["ambient_lux"] = 2.0,
        });

    private static void LocalClock(EngineHarness plant, DateTime local) =>
        plant.Read("ltc-02", DeviceFamily.LightTimeController, new Dictionary<string, ReadingValue>(StringComparer.Ordinal)
        {
            ["clock_year"] = local.Year,
            ["clock_month"] = local.Month,
            ["clock_day"] = local.Day,
            ["clock_hour"] = local.Hour,
            ["clock_minute"] = local.Minute,
            ["clock_second"] = local.Second,
        });
}
