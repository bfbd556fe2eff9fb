using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class ManualOverrideRuleTests
{
    [Fact]
    public void Manual_override_on_for_an_hour_is_grade4_manual_override_left_on()
    {
        var plant = new EngineHarness(TestPlant.Night) { Step = TimeSpan.FromMinutes(10) };

        for (var i = 0; i < 7; i++)
        {
            Cabinet(plant, manualOverride: true);
        }

        var left = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal(FaultType.ManualOverrideLeftOn, left.Fault);
        Assert.Equal(FaultGrade.Grade4, left.Grade);
        Assert.Equal(new AssetRef(TestPlant.SiteId, TestPlant.GatewayId, "sc-01"), left.Asset);
    }

    [Fact]
    public void Releasing_the_override_clears_it_and_a_short_override_opens_nothing()
    {
        var plant = new EngineHarness(TestPlant.Night) { Step = TimeSpan.FromMinutes(10) };
        for (var i = 0; i < 5; i++)
        {
            Cabinet(plant, manualOverride: true);
        }

        Cabinet(plant, manualOverride: false);
        Assert.Empty(plant.Output);

        for (var i = 0; i < 8; i++)
        {
            Cabinet(plant, manualOverride: true);
        }

        Cabinet(plant, manualOverride: false);

        Assert.Single(plant.Detected(FaultType.ManualOverrideLeftOn));
        Assert.Single(plant.Cleared(FaultType.ManualOverrideLeftOn));
    }

    private static void Cabinet(EngineHarness plant, bool manualOverride) =>
        plant.Read("sc-01", DeviceFamily.StreetController, new Dictionary<string, ReadingValue>(StringComparer.Ordinal)
        {
            ["supply_present"] = true,
            ["door_open"] = false,
            ["manual_override"] = manualOverride,
        });
}
