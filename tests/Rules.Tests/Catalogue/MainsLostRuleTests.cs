using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class MainsLostRuleTests
{
    private static readonly AssetRef UnitAsset = new(TestPlant.SiteId, TestPlant.GatewayId, "eps-01");

    [Fact]
    public void Mains_absent_for_two_readings_is_grade2_mains_lost_on_the_unit_and_clears_when_back()
    {
        var plant = new EngineHarness(TestPlant.Night);

        Unit(plant, mains: true);
        Unit(plant, mains: false);
        Unit(plant, mains: false);
        Unit(plant, mains: true);
        Unit(plant, mains: true);

        var lost = Assert.Single(plant.Detected(FaultType.MainsLost));
        Assert.Equal(FaultGrade.Grade2, lost.Grade);
        Assert.Equal(UnitAsset, lost.Asset);
        Assert.Equal("mains lost: the unit runs on its battery (battery at 24.8 V), which lasts at most its rated duration", lost.Summary);
        Assert.Equal(1, lost.Evidence["on_battery"]);
        Assert.Equal(TestPlant.Night.AddSeconds(20), lost.At);
        Assert.Equal(UnitAsset, Assert.Single(plant.Cleared(FaultType.MainsLost)).Asset);
    }

    [Fact]
    public void A_mains_blip_of_one_reading_opens_nothing()
    {
        var plant = new EngineHarness(TestPlant.Night);

        Unit(plant, mains: false);
        Unit(plant, mains: true);
        Unit(plant, mains: false);

        Assert.Empty(plant.Output);
    }

    [Fact]
    public void Restored_mains_lost_is_not_detected_again_and_still_clears()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Engine.RestoreActive([(UnitAsset, FaultType.MainsLost)]);

        Unit(plant, mains: false);
        Unit(plant, mains: false);
        Assert.Empty(plant.Output);

        Unit(plant, mains: true);
        Unit(plant, mains: true);
        Assert.Single(plant.Cleared(FaultType.MainsLost));
    }

    private static void Unit(EngineHarness plant, bool mains) =>
        plant.Read("eps-01", DeviceFamily.EmergencyBattery, new Dictionary<string, ReadingValue>(StringComparer.Ordinal)
        {
            ["mains_present"] = mains,
            ["on_battery"] = !mains,
            ["battery_voltage_v"] = 24.8,
        });
}
