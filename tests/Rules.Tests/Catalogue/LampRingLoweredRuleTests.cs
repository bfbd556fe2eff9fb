using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class LampRingLoweredRuleTests
{
    private const int Top = 1;
    private const int Between = 0;
    private const int Bottom = 2;
    private static readonly AssetRef MastAsset = new(TestPlant.SiteId, TestPlant.GatewayId, "mast-01");

    [Fact]
    public void A_ring_at_the_bottom_for_15_minutes_while_the_lighting_is_due_on_is_grade2_on_the_mast()
    {
        var plant = new EngineHarness(TestPlant.Night) { Step = TimeSpan.FromMinutes(1) };

        for (var i = 0; i < 17; i++)
        {
            Mast(plant, Bottom, commanded: true);
        }

        var lowered = Assert.Single(plant.Detected(FaultType.LampRingLowered));
        Assert.Equal(FaultGrade.Grade2, lowered.Grade);
        Assert.Equal(MastAsset, lowered.Asset);
        Assert.Equal(TestPlant.Night.AddMinutes(15), lowered.At);
        Assert.Equal("lamp ring at the bottom of the mast for 15 min while the lighting is due on: its lamps do not light the mast's area", lowered.Summary);
        Assert.Equal(Bottom, lowered.Evidence["lift_position"]);
    }

    [Fact]
    public void A_ring_lowered_while_the_lighting_is_off_is_no_fault_however_long()
    {
        var plant = new EngineHarness(TestPlant.Noon) { Step = TimeSpan.FromMinutes(10) };

        for (var i = 0; i < 30; i++)
        {
            Mast(plant, i % 2 == 0 ? Bottom : Between, commanded: false);
        }

        Assert.Empty(plant.Output);
    }

    [Fact]
    public void A_ring_raised_within_the_limit_opens_nothing()
    {
        var plant = new EngineHarness(TestPlant.Night) { Step = TimeSpan.FromMinutes(1) };

        for (var i = 0; i < 10; i++)
        {
            Mast(plant, Between, commanded: true);
        }

        Mast(plant, Top, commanded: true);
        for (var i = 0; i < 10; i++)
        {
            Mast(plant, Between, commanded: true);
        }

        Assert.Empty(plant.Output);
    }

    [Fact]
    public void Once_detected_it_holds_after_the_lighting_switches_off_and_clears_only_at_the_top()
    {
        var plant = new EngineHarness(TestPlant.Night) { Step = TimeSpan.FromMinutes(5) };
        for (var i = 0; i < 5; i++)
        {
            Mast(plant, Bottom, commanded: true);
        }

        Mast(plant, Bottom, commanded: false);
        Mast(plant, Between, commanded: false);
        Assert.Empty(plant.Cleared(FaultType.LampRingLowered));

        Mast(plant, Top, commanded: false);

        Assert.Single(plant.Detected(FaultType.LampRingLowered));
        var cleared = Assert.Single(plant.Cleared(FaultType.LampRingLowered));
        Assert.Equal("lamp ring back at the top", cleared.Summary);
    }

    [Fact]
    public void A_ring_counting_towards_its_limit_keeps_counting_across_a_restart()
    {
        var before = new EngineHarness(TestPlant.Night) { Step = TimeSpan.FromMinutes(1) };
        for (var i = 0; i < 10; i++)
        {
            Mast(before, Bottom, commanded: true);
        }

        var after = new EngineHarness(before.Now) { Step = TimeSpan.FromMinutes(1) };
        after.Engine.ImportState(before.Engine.ExportState());
        for (var i = 0; i < 6; i++)
        {
            Mast(after, Bottom, commanded: true);
        }

        Assert.Equal(TestPlant.Night.AddMinutes(15), Assert.Single(after.Detected(FaultType.LampRingLowered)).At);
    }

    [Fact]
    public void A_restored_lowered_ring_is_not_detected_again_and_clears_at_the_top()
    {
        var plant = new EngineHarness(TestPlant.Night) { Step = TimeSpan.FromMinutes(5) };
        plant.Engine.RestoreActive([(MastAsset, FaultType.LampRingLowered)]);

        for (var i = 0; i < 6; i++)
        {
            Mast(plant, Bottom, commanded: true);
        }

        Assert.Empty(plant.Output);
        Mast(plant, Top, commanded: true);
        Assert.Single(plant.Cleared(FaultType.LampRingLowered));
    }

    private static void Mast(EngineHarness plant, int position, bool commanded) =>
        plant.Read("mast-01", DeviceFamily.HighMast, new Dictionary<string, ReadingValue>(StringComparer.Ordinal)
        {
            ["commanded_on"] = commanded,
            ["lamps_installed"] = 12,
            ["lamps_lit"] = commanded ? 12 : 0,
            ["supply_present"] = true,
            ["lift_position"] = position,
            ["lift_motor_state"] = 0,
        });
}
