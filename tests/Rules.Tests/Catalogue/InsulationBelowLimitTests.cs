using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Catalogue;
using Telemetry.Rules.Evaluation;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class InsulationBelowLimitTests
{
    [Fact]
    public void Insulation_falling_to_0_45_megohm_gives_one_grade2_detection()
    {
        var plant = new EngineHarness(TestPlant.Night);

        foreach (var value in new[] { 2.0, 1.2, 0.8, 0.45, 0.45, 0.45, 0.45, 0.45 })
        {
            plant.Box("insulation_mohm", value);
        }

        var low = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal(FaultType.LowInsulation, low.Fault);
        Assert.Equal(FaultGrade.Grade2, low.Grade);
        Assert.Equal(0.45, low.Evidence["insulation_mohm"]);
        Assert.Equal(new AssetRef(TestPlant.SiteId, TestPlant.GatewayId, "box-01"), low.Asset);
    }

    [Fact]
    public void Insulation_oscillating_between_0_45_and_0_55_inside_the_band_still_gives_one()
    {
        var plant = new EngineHarness(TestPlant.Night);

        for (var i = 0; i < 40; i++)
        {
            plant.Box("insulation_mohm", i % 8 < 4 ? 0.45 : 0.55);
        }

        Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Empty(plant.Output.OfType<FaultCleared>());
    }

    [Fact]
    public void Fewer_readings_than_the_debounce_below_the_limit_open_nothing()
    {
        var plant = new EngineHarness(TestPlant.Night);

        plant.Box("insulation_mohm", 0.4);
        plant.Box("insulation_mohm", 0.4);
        plant.Box("insulation_mohm", 0.9);
        plant.Box("insulation_mohm", 0.4);

        Assert.Empty(plant.Output);
    }

    [Fact]
    public void Insulation_clears_after_the_debounce_above_the_clear_level()
    {
        var plant = new EngineHarness(TestPlant.Night);
        for (var i = 0; i < 3; i++)
        {
            plant.Box("insulation_mohm", 0.3);
        }

        plant.Box("insulation_mohm", 0.7);
        plant.Box("insulation_mohm", 0.7);
        Assert.Empty(plant.Cleared(FaultType.LowInsulation));

        plant.Box("insulation_mohm", 0.7);
        Assert.Single(plant.Cleared(FaultType.LowInsulation));
    }

    [Fact]
    public void Stale_and_error_readings_do_not_count_towards_the_debounce()
    {
        var plant = new EngineHarness(TestPlant.Night);
        var low = new Dictionary<string, ReadingValue>(StringComparer.Ordinal) { ["insulation_mohm"] = 0.3 };

        plant.Box("insulation_mohm", 0.3);
        plant.Read("box-01", DeviceFamily.DistributionBox, low, quality: ReadingQuality.Stale);
        plant.Read("box-01", DeviceFamily.DistributionBox, low, quality: ReadingQuality.Error);
        plant.Box("insulation_mohm", 0.3);
        Assert.Empty(plant.Output);

        plant.Box("insulation_mohm", 0.3);
        Assert.Single(plant.Output);
    }

    [Fact]
    public void A_device_scoped_trip_level_applies_on_the_next_reading()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Box("insulation_mohm", 0.8);

        plant.Thresholds = new ThresholdSnapshot(RuleSet.Default.Thresholds, 7,
        [
            new(InsulationBelowLimit.TripMohm, ThresholdScope.ForDevice(TestPlant.SiteId, "box-01"), 1.0),
            new(InsulationBelowLimit.ClearMohm, ThresholdScope.ForDevice(TestPlant.SiteId, "box-01"), 1.2),
            new(InsulationBelowLimit.DebounceReadings, ThresholdScope.Global, 1),
        ]);
        plant.Box("insulation_mohm", 0.8);

        Assert.Equal(FaultType.LowInsulation, Assert.Single(plant.Output.OfType<FaultDetected>()).Fault);
    }

    /// <summary>
    /// Random insulation readings through the engine: never more low-insulation tickets than excursions from above the
    /// clear level (0.6 MΩ) to below the trip level (0.5 MΩ), starting healthy, so values wandering about the
    /// limits cannot make tickets flap.
    /// </summary>
    [Property(MaxTest = 200)]
    public Property Detections_never_exceed_crossings_from_above_the_clear_level_to_below_the_trip_level()
    {
        var values = Gen.ArrayOf(Gen.Elements(0.2, 0.45, 0.49, 0.5, 0.55, 0.6, 0.61, 0.9, 5.0));
        return Prop.ForAll(values.ToArbitrary(), sequence =>
        {
            var plant = new EngineHarness(TestPlant.Night);
            var crossings = 0;
            var healthy = true;
            foreach (var value in sequence)
            {
                if (healthy && value < 0.5)
                {
                    crossings++;
                    healthy = false;
                }
                else if (value > 0.6)
                {
                    healthy = true;
                }

                plant.Box("insulation_mohm", value);
            }

            return plant.Detected(FaultType.LowInsulation).Count() <= crossings;
        });
    }
}
