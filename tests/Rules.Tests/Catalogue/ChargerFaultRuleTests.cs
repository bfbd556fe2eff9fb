using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class ChargerFaultRuleTests
{
    private static readonly AssetRef UnitAsset = new(TestPlant.SiteId, TestPlant.GatewayId, "eps-01");

    [Fact]
    public void A_charger_fault_for_two_readings_is_grade2_on_the_unit_with_the_battery_voltage_and_clears_when_sound()
    {
        var plant = new EngineHarness(TestPlant.Night);

        Unit(plant, chargerFault: true);
        Assert.Empty(plant.Output);
        Unit(plant, chargerFault: true);
        Unit(plant, chargerFault: false);
        Unit(plant, chargerFault: false);

        var charger = Assert.Single(plant.Detected(FaultType.ChargerFault));
        Assert.Equal(FaultGrade.Grade2, charger.Grade);
        Assert.Equal(UnitAsset, charger.Asset);
        Assert.Equal(25.1, charger.Evidence["battery_voltage_v"]);
        Assert.Equal(5, charger.Evidence["charge_state"]);
        Assert.Equal(UnitAsset, Assert.Single(plant.Cleared(FaultType.ChargerFault)).Asset);
    }

    [Fact]
    public void A_restored_charger_fault_is_not_detected_again_and_still_clears()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Engine.RestoreActive([(UnitAsset, FaultType.ChargerFault)]);

        Unit(plant, chargerFault: true);
        Unit(plant, chargerFault: true);
        Assert.Empty(plant.Output);

        Unit(plant, chargerFault: false);
        Unit(plant, chargerFault: false);
        Assert.Single(plant.Cleared(FaultType.ChargerFault));
    }

    private static void Unit(EngineHarness plant, bool chargerFault) =>
        plant.Read("eps-01", DeviceFamily.EmergencyBattery, new Dictionary<string, ReadingValue>(StringComparer.Ordinal)
        {
            ["mains_present"] = true,
            ["charger_fault"] = chargerFault,
            ["charge_state"] = chargerFault ? 5 : 3,
            ["battery_voltage_v"] = 25.1,
        });
}
