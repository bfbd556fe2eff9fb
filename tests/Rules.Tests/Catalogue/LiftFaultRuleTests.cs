using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class LiftFaultRuleTests
{
    private static readonly AssetRef MastAsset = new(TestPlant.SiteId, TestPlant.GatewayId, "mast-01");

    [Theory]
    [InlineData(1, "overload")]
    [InlineData(2, "overtravel")]
    [InlineData(3, "rope slack")]
    [InlineData(4, "motor overheat")]
    public void A_lift_fault_latched_for_two_readings_is_grade2_on_the_mast_naming_its_code_and_meaning(int code, string meaning)
    {
        var plant = new EngineHarness(TestPlant.Night);

        Mast(plant, fault: false, code: 0);
        Mast(plant, fault: true, code: code);
        Mast(plant, fault: true, code: code);
        Mast(plant, fault: true, code: code);

        var lift = Assert.Single(plant.Detected(FaultType.LiftFault));
        Assert.Equal(FaultGrade.Grade2, lift.Grade);
        Assert.Equal(MastAsset, lift.Asset);
        Assert.Contains($"code {code} ({meaning})", lift.Summary, StringComparison.Ordinal);
        Assert.Equal(code, lift.Evidence["lift_fault_code"]);
        Assert.Equal(TestPlant.Night.AddSeconds(20), lift.At);
    }

    [Fact]
    public void One_reading_latched_opens_nothing_and_a_released_latch_clears_after_the_debounce()
    {
        var plant = new EngineHarness(TestPlant.Night);
        Mast(plant, fault: true, code: 1);
        Mast(plant, fault: false, code: 0);
        Assert.Empty(plant.Output);

        Mast(plant, fault: true, code: 1);
        Mast(plant, fault: true, code: 1);
        Mast(plant, fault: false, code: 0);
        Assert.Empty(plant.Cleared(FaultType.LiftFault));
        Mast(plant, fault: false, code: 0);

        Assert.Single(plant.Detected(FaultType.LiftFault));
        var cleared = Assert.Single(plant.Cleared(FaultType.LiftFault));
        Assert.Equal(MastAsset, cleared.Asset);
    }

    [Fact]
    public void A_controller_reporting_only_the_code_is_judged_on_the_code()
    {
        var plant = new EngineHarness(TestPlant.Night);
        var values = new Dictionary<string, ReadingValue>(StringComparer.Ordinal) { ["lift_fault_code"] = 4 };

        plant.Read("mast-01", DeviceFamily.HighMast, values);
        plant.Read("mast-01", DeviceFamily.HighMast, values);

        Assert.Contains("motor overheat", Assert.Single(plant.Detected(FaultType.LiftFault)).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_restored_lift_fault_is_not_detected_again_and_still_clears()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Engine.RestoreActive([(MastAsset, FaultType.LiftFault)]);

        for (var i = 0; i < 4; i++)
        {
            Mast(plant, fault: true, code: 2);
        }

        Assert.Empty(plant.Output);
        Mast(plant, fault: false, code: 0);
        Mast(plant, fault: false, code: 0);
        Assert.Single(plant.Cleared(FaultType.LiftFault));
    }

    private static void Mast(EngineHarness plant, bool fault, int code) =>
        plant.Read("mast-01", DeviceFamily.HighMast, new Dictionary<string, ReadingValue>(StringComparer.Ordinal)
        {
            ["commanded_on"] = true,
            ["lamps_installed"] = 12,
            ["lamps_lit"] = 12,
            ["supply_present"] = true,
            ["lift_position"] = 1,
            ["lift_fault"] = fault,
            ["lift_fault_code"] = code,
        });
}
