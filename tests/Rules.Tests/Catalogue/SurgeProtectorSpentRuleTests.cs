using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class SurgeProtectorSpentRuleTests
{
    private static readonly AssetRef BoxAsset = new(TestPlant.SiteId, TestPlant.GatewayId, "box-01");

    [Fact]
    public void A_spent_surge_protector_for_two_readings_is_grade3_on_the_box_and_clears_when_replaced()
    {
        var plant = new EngineHarness(TestPlant.Night);

        Box(plant, spent: true);
        Assert.Empty(plant.Output);
        Box(plant, spent: true);
        Box(plant, spent: true);
        Box(plant, spent: false);
        Box(plant, spent: false);

        var spent = Assert.Single(plant.Detected(FaultType.SurgeProtectorSpent));
        Assert.Equal(FaultGrade.Grade3, spent.Grade);
        Assert.Equal(BoxAsset, spent.Asset);
        Assert.StartsWith("surge protector spent", spent.Summary, StringComparison.Ordinal);
        Assert.Equal(BoxAsset, Assert.Single(plant.Cleared(FaultType.SurgeProtectorSpent)).Asset);
    }

    [Fact]
    public void A_restored_spent_surge_protector_is_not_detected_again_and_still_clears()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Engine.RestoreActive([(BoxAsset, FaultType.SurgeProtectorSpent)]);

        Box(plant, spent: true);
        Box(plant, spent: true);
        Assert.Empty(plant.Output);

        Box(plant, spent: false);
        Box(plant, spent: false);
        Assert.Single(plant.Cleared(FaultType.SurgeProtectorSpent));
    }

    private static void Box(EngineHarness plant, bool spent) =>
        plant.Read("box-01", DeviceFamily.DistributionBox, new Dictionary<string, ReadingValue>(StringComparer.Ordinal)
        {
            ["supply_present"] = true,
            ["surge_protector_failed"] = spent,
        });
}
