using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Catalogue;
using Telemetry.Rules.Evaluation;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

/// <summary>
/// A rule the product does not have, added the way any rule is: this one file and one registration line
/// (<see cref="RuleSet.DefaultAnd"/>). Water standing in a distribution box (a float switch, <c>water_detected</c>):
/// its own fault type, its own threshold, its own state.
/// </summary>
internal sealed class WaterInBoxRule() : DebouncedFlagRule("water_detected", true, WaterInBox, DebounceReadings)
{
    public static readonly FaultType WaterInBox = new("water_in_box", FaultGrade.Grade2, "Water standing in a distribution box.");

    public static readonly ThresholdParameter DebounceReadings = new("water_in_box.debounce_readings", 3, 1, 100, true, "readings",
        "Consecutive readings the float switch must report water (or none) before water in box opens (or clears).");

    public override string Name => "water_in_box";

    public override IReadOnlyList<DeviceFamily> Families => [DeviceFamily.DistributionBox];

    public override IReadOnlyList<FaultSheet> Faults => [Sheet(WaterInBox, "Live parts under water: a latent hazard")];

    protected override string ClearedSummary => "box dry";

    protected override string Describe(IReadOnlyDictionary<string, ReadingValue> values, Dictionary<string, double> evidence) =>
        "water standing in the box";
}

public sealed class ThrowAwayRuleTests
{
    private static readonly RuleSet Rules = RuleSet.DefaultAnd(new WaterInBoxRule());

    private static readonly AssetRef Box = new(TestPlant.SiteId, TestPlant.GatewayId, "box-01");

    [Fact]
    public void The_engine_judges_with_it_after_its_debounce_and_clears_it()
    {
        var plant = Harness();

        Water(plant, true, 2);
        Assert.Empty(plant.Detected(WaterInBoxRule.WaterInBox));
        Water(plant, true, 1);
        var detected = Assert.Single(plant.Detected(WaterInBoxRule.WaterInBox));
        Assert.Equal(Box, detected.Asset);
        Assert.Equal(FaultGrade.Grade2, detected.Grade);

        Water(plant, false, 3);
        Assert.Single(plant.Cleared(WaterInBoxRule.WaterInBox));
    }

    [Fact]
    public void Its_threshold_is_in_the_catalogue_and_applies()
    {
        Assert.True(Rules.Thresholds.Contains(WaterInBoxRule.DebounceReadings));
        var plant = Harness();
        plant.Thresholds = new ThresholdSnapshot(Rules.Thresholds, 1,
            [new ThresholdSetting(WaterInBoxRule.DebounceReadings, ThresholdScope.Global, 1)]);

        Water(plant, true, 1);

        Assert.Single(plant.Detected(WaterInBoxRule.WaterInBox));
    }

    [Fact]
    public void Its_state_is_restored_after_a_restart()
    {
        var before = Harness();
        Water(before, true, 2);

        var after = Harness(before.Now);
        after.Engine.ImportState(before.Engine.ExportState());
        Water(after, true, 1);

        // Two readings before the restart and one after make the three of its debounce.
        Assert.Single(after.Detected(WaterInBoxRule.WaterInBox));
    }

    [Fact]
    public void Saved_states_that_cannot_be_read_are_skipped_and_the_readable_one_is_restored()
    {
        var before = Harness();
        Water(before, true, 2);
        var saved = before.Engine.ExportState();
        var hostile = new RuleStateRecord[]
        {
            new("no_such_rule", Box.Key, saved.States[0].State),
            new("water_in_box", "not/an asset/<script>", saved.States[0].State),
            new("water_in_box", Box.Key, System.Text.Json.JsonDocument.Parse("\"not a state\"").RootElement),
        };

        var after = Harness(before.Now);
        var skipped = after.Engine.ImportState(saved with { States = [.. hostile, .. saved.States] });
        Water(after, true, 1);

        Assert.Equal(hostile.Length, skipped);
        Assert.Single(after.Detected(WaterInBoxRule.WaterInBox));
    }

    [Fact]
    public void Its_open_ticket_is_restored_as_active_after_a_restart()
    {
        var plant = Harness();
        plant.Engine.RestoreActive([(Box, WaterInBoxRule.WaterInBox)]);

        Water(plant, true, 3);
        Assert.Empty(plant.Detected(WaterInBoxRule.WaterInBox));
        Water(plant, false, 3);
        Assert.Single(plant.Cleared(WaterInBoxRule.WaterInBox));
    }

    [Fact]
    public void It_is_listed_in_the_fault_table()
    {
        var row = Assert.Single(FaultTable.Markdown(Rules).Split('\n'), line => line.StartsWith("| `water_in_box`", StringComparison.Ordinal));

        Assert.Contains("`water_in_box.debounce_readings` 3 readings", row, StringComparison.Ordinal);
        Assert.Contains("distribution box", row, StringComparison.Ordinal);
    }

    private static EngineHarness Harness(DateTimeOffset? start = null) =>
        new(start ?? new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero), RuleEngineLimits.Default, Rules, TestPlant.Site());

    private static void Water(EngineHarness plant, bool water, int readings)
    {
        for (var i = 0; i < readings; i++)
        {
            plant.Read("box-01", DeviceFamily.DistributionBox, new Dictionary<string, ReadingValue>(StringComparer.Ordinal) { ["water_detected"] = water });
        }
    }
}
