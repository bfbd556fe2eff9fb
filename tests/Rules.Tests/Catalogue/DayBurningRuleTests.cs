using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class DayBurningRuleTests
{
    [Fact]
    public void Lamps_lit_at_noon_in_shanghai_for_the_debounce_time_is_grade3_day_burning()
    {
        var plant = new EngineHarness(TestPlant.Noon) { Step = TimeSpan.FromMinutes(1) };

        for (var i = 0; i < 12; i++)
        {
            plant.Mast(lit: 12);
        }

        var burning = Assert.Single(plant.Detected(FaultType.DayBurning));
        Assert.Equal(FaultGrade.Grade3, burning.Grade);
        Assert.Equal(TestPlant.Noon.AddMinutes(10), burning.At);
        Assert.Equal(new AssetRef(TestPlant.SiteId, TestPlant.GatewayId, "mast-01"), burning.Asset);
    }

    [Fact]
    public void Lamps_lit_at_night_are_never_day_burning()
    {
        var plant = new EngineHarness(TestPlant.Night) { Step = TimeSpan.FromMinutes(5) };

        for (var i = 0; i < 24; i++)
        {
            plant.Mast(lit: 12);
        }

        Assert.Empty(plant.Detected(FaultType.DayBurning));
    }

    [Fact]
    public void Lamps_lit_for_less_than_the_debounce_time_are_not_reported()
    {
        var plant = new EngineHarness(TestPlant.Noon) { Step = TimeSpan.FromMinutes(1) };

        for (var i = 0; i < 8; i++)
        {
            plant.Mast(lit: 12);
        }

        plant.Mast(lit: 0, commanded: false);
        for (var i = 0; i < 8; i++)
        {
            plant.Mast(lit: 12);
        }

        Assert.Empty(plant.Output);
    }

    [Fact]
    public void Day_burning_clears_when_the_lamps_go_out()
    {
        var plant = new EngineHarness(TestPlant.Noon) { Step = TimeSpan.FromMinutes(1) };
        for (var i = 0; i < 11; i++)
        {
            plant.Mast(lit: 12);
        }

        plant.Mast(lit: 0, commanded: false);

        Assert.Single(plant.Detected(FaultType.DayBurning));
        Assert.Single(plant.Cleared(FaultType.DayBurning));
    }

    [Fact]
    public void Half_an_hour_after_sunrise_is_still_inside_the_margin()
    {
        // Sunrise in Shanghai on 22 November 2026 is about 06:28 CST (22:28 UTC on the 21st); 06:45 is inside the 30 min margin.
        var plant = new EngineHarness(new DateTimeOffset(2026, 11, 21, 22, 45, 0, TimeSpan.Zero)) { Step = TimeSpan.FromMinutes(1) };

        for (var i = 0; i < 11; i++)
        {
            plant.Mast(lit: 12);
        }

        Assert.Empty(plant.Detected(FaultType.DayBurning));
    }

    [Fact]
    public void A_light_controller_output_left_on_by_day_is_day_burning_on_that_circuit()
    {
        var plant = new EngineHarness(TestPlant.Noon) { Step = TimeSpan.FromMinutes(2) };

        for (var i = 0; i < 6; i++)
        {
            plant.Read("ltc-01", DeviceFamily.LightTimeController, new Dictionary<string, ReadingValue>(StringComparer.Ordinal) { ["output_on"] = true }, circuit: "3");
        }

        var burning = Assert.Single(plant.Detected(FaultType.DayBurning));
        Assert.Equal(new AssetRef(TestPlant.SiteId, TestPlant.GatewayId, "ltc-01", "3"), burning.Asset);
        Assert.Equal("crew-north", burning.Crew);
    }

    [Fact]
    public void A_controller_reporting_its_output_with_the_device_is_judged_as_a_whole()
    {
        var plant = new EngineHarness(TestPlant.Noon) { Step = TimeSpan.FromMinutes(2) };

        for (var i = 0; i < 6; i++)
        {
            plant.Read("ltc-01", DeviceFamily.LightTimeController, new Dictionary<string, ReadingValue>(StringComparer.Ordinal)
            {
                ["output_on"] = true,
                ["clock_unix_s"] = plant.Now.ToUnixTimeSeconds(),
                ["ambient_lux"] = 30000.0,
            });
        }

        var burning = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal(FaultType.DayBurning, burning.Fault);
        Assert.Equal(new AssetRef(TestPlant.SiteId, TestPlant.GatewayId, "ltc-01"), burning.Asset);
        Assert.Equal(30000, burning.Evidence["ambient_lux"]);
    }
}
