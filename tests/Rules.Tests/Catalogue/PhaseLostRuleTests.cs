using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class PhaseLostRuleTests
{
    private static readonly AssetRef BoxAsset = new(TestPlant.SiteId, TestPlant.GatewayId, "box-01");

    [Fact]
    public void One_phase_below_100_volts_for_two_readings_is_grade2_phase_lost_naming_the_phase()
    {
        var plant = new EngineHarness(TestPlant.Night);

        Box(plant, 231, 229, 230);
        Box(plant, 231, 0.4, 230);
        Box(plant, 231, 0.4, 230);

        var lost = Assert.Single(plant.Detected(FaultType.PhaseLost));
        Assert.Equal(FaultGrade.Grade2, lost.Grade);
        Assert.Equal(BoxAsset, lost.Asset);
        Assert.Equal("phase L2 lost (L2 0.4 V, below 100 V): the lamps and loads on it are off", lost.Summary);
        Assert.Equal(1, lost.Evidence["phases_lost"]);
        Assert.Equal(0.4, lost.Evidence["voltage_l2_v"]);
        Assert.Equal(100, lost.Evidence["phase_loss.trip_v"]);
    }

    [Fact]
    public void Every_phase_lost_at_night_is_grade1_the_supply_lost_with_the_lighting_due_on()
    {
        var plant = new EngineHarness(TestPlant.Night);

        Box(plant, 0.3, 0.4, 0.3);
        Box(plant, 0.3, 0.4, 0.3);

        var lost = Assert.Single(plant.Detected(FaultType.PhaseLost));
        Assert.Equal(FaultGrade.Grade1, lost.Grade);
        Assert.StartsWith("every phase lost (L1 0.3 V, L2 0.4 V, L3 0.3 V, below 100 V)", lost.Summary, StringComparison.Ordinal);
        Assert.Equal(3, lost.Evidence["phases_lost"]);
    }

    [Fact]
    public void Every_phase_lost_by_day_is_grade2()
    {
        var plant = new EngineHarness(TestPlant.Noon);

        Box(plant, 0.3, 0.4, 0.3);
        Box(plant, 0.3, 0.4, 0.3);

        Assert.Equal(FaultGrade.Grade2, Assert.Single(plant.Detected(FaultType.PhaseLost)).Grade);
    }

    [Fact]
    public void One_phase_lost_then_the_others_at_night_raises_the_ticket_to_grade1_once()
    {
        var plant = new EngineHarness(TestPlant.Night);

        Box(plant, 0.3, 230, 230);
        Box(plant, 0.3, 230, 230);
        Box(plant, 0.3, 0.2, 0.2);
        Box(plant, 0.3, 0.2, 0.2);

        Assert.Equal([FaultGrade.Grade2, FaultGrade.Grade1], plant.Detected(FaultType.PhaseLost).Select(d => d.Grade));
    }

    [Fact]
    public void A_phase_back_inside_the_band_holds_the_fault_and_every_phase_above_180_volts_clears_it()
    {
        var plant = new EngineHarness(TestPlant.Night);
        Box(plant, 230, 230, 20);
        Box(plant, 230, 230, 20);

        // A weak phase, above the trip level but below the clear level.
        for (var i = 0; i < 4; i++)
        {
            Box(plant, 230, 230, 150);
        }

        Assert.Empty(plant.Cleared(FaultType.PhaseLost));
        Box(plant, 230, 230, 228);
        Box(plant, 230, 230, 228);

        Assert.Single(plant.Detected(FaultType.PhaseLost));
        var cleared = Assert.Single(plant.Cleared(FaultType.PhaseLost));
        Assert.Equal("every phase back above 180 V (L1 230.0 V, L2 230.0 V, L3 228.0 V)", cleared.Summary);
    }

    [Fact]
    public void A_restored_phase_lost_is_not_detected_again_and_still_clears()
    {
        var plant = new EngineHarness(TestPlant.Noon);
        plant.Engine.RestoreActive([(BoxAsset, FaultType.PhaseLost)]);

        Box(plant, 230, 0.4, 230);
        Box(plant, 230, 0.4, 230);
        Assert.Empty(plant.Output);

        Box(plant, 230, 230, 230);
        Box(plant, 230, 230, 230);
        Assert.Single(plant.Cleared(FaultType.PhaseLost));
    }

    private static void Box(EngineHarness plant, double l1, double l2, double l3) =>
        plant.Read("box-01", DeviceFamily.DistributionBox, new Dictionary<string, ReadingValue>(StringComparer.Ordinal)
        {
            ["voltage_l1_v"] = l1,
            ["voltage_l2_v"] = l2,
            ["voltage_l3_v"] = l3,
        });
}
