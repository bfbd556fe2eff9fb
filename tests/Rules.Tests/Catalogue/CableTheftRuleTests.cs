using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Catalogue;
using Telemetry.Rules.Evaluation;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class CableTheftRuleTests
{
    [Fact]
    public void Current_collapsing_on_a_closed_circuit_is_grade1_cable_theft_within_one_reading()
    {
        var plant = Learned();

        plant.Circuit("1", commanded: true, contactor: true, lit: 0, currentPerPhase: 0.1);

        var theft = Assert.Single(plant.Detected(FaultType.CableTheft));
        Assert.Equal(FaultGrade.Grade1, theft.Grade);
        Assert.Equal(new AssetRef(TestPlant.SiteId, TestPlant.GatewayId, "sc-01", "1"), theft.Asset);
        Assert.Equal(0.3, theft.Evidence["current_a"], 6);
        Assert.Equal(15, theft.Evidence["baseline_a"], 6);
    }

    [Fact]
    public void Theft_clears_when_the_current_is_back_above_the_clear_ratio()
    {
        var plant = Learned();
        plant.Circuit("1", commanded: true, contactor: true, lit: 0, currentPerPhase: 0.1);

        // 5 A is a third of the 15 A baseline: inside the band, still stolen.
        plant.Circuit("1", commanded: true, contactor: true, lit: 8, currentPerPhase: 5.0 / 3);
        Assert.Empty(plant.Cleared(FaultType.CableTheft));

        plant.Circuit("1", commanded: true, contactor: true, lit: 24, currentPerPhase: 5);

        Assert.Single(plant.Detected(FaultType.CableTheft));
        Assert.Single(plant.Cleared(FaultType.CableTheft));
    }

    [Fact]
    public void No_theft_is_reported_before_the_baseline_has_its_readings()
    {
        var plant = new EngineHarness(TestPlant.Night);
        for (var i = 0; i < 9; i++)
        {
            plant.Circuit("1", commanded: true, contactor: true, lit: 24, currentPerPhase: 5);
        }

        plant.Circuit("1", commanded: true, contactor: true, lit: 0, currentPerPhase: 0);

        Assert.Empty(plant.Detected(FaultType.CableTheft));
    }

    [Fact]
    public void An_open_contactor_or_a_commanded_off_circuit_is_not_theft()
    {
        var plant = Learned();

        plant.Circuit("1", commanded: true, contactor: false, lit: 0, currentPerPhase: 0);
        plant.Circuit("1", commanded: false, contactor: false, lit: 0, currentPerPhase: 0);

        Assert.Empty(plant.Detected(FaultType.CableTheft));
    }

    [Fact]
    public void Readings_with_most_lamps_dark_are_not_learned_from()
    {
        var plant = new EngineHarness(TestPlant.Night);

        // Ten readings of an outage (half the lamps dark, half the current) teach nothing...
        for (var i = 0; i < 10; i++)
        {
            plant.Circuit("1", commanded: true, contactor: true, lit: 12, currentPerPhase: 2.5);
        }

        // ...so ten healthy readings later the baseline is the healthy 15 A, not a mix.
        for (var i = 0; i < 10; i++)
        {
            plant.Circuit("1", commanded: true, contactor: true, lit: 24, currentPerPhase: 5);
        }

        var saved = Assert.Single(plant.Engine.ExportState().States, s => s.Rule == "cable_theft");
        var baseline = saved.State.GetProperty("baseline");
        Assert.Equal(15, baseline.GetProperty("mean").GetDouble(), 6);
        Assert.Equal(10, baseline.GetProperty("count").GetInt64());
    }

    [Fact]
    public void A_high_mast_learns_and_guards_its_feeder_too()
    {
        var plant = new EngineHarness(TestPlant.Night);
        for (var i = 0; i < 10; i++)
        {
            plant.Mast(lit: 12, current: 18);
        }

        plant.Mast(lit: 0, current: 0.2);

        Assert.Single(plant.Detected(FaultType.CableTheft));
    }

    [Fact]
    public void A_lower_trip_ratio_from_a_new_snapshot_applies_on_the_next_reading()
    {
        var plant = Learned();
        plant.Thresholds = new ThresholdSnapshot(RuleSet.Default.Thresholds, 2, [new(CableTheftRule.TripRatio, ThresholdScope.Global, 0.01)]);

        plant.Circuit("1", commanded: true, contactor: true, lit: 0, currentPerPhase: 0.1);
        Assert.Empty(plant.Detected(FaultType.CableTheft));

        plant.Circuit("1", commanded: true, contactor: true, lit: 0, currentPerPhase: 0.01);
        Assert.Single(plant.Detected(FaultType.CableTheft));
    }

    /// <summary>Circuit 1 of sc-01 with a trusted baseline of 15 A (three phases of 5 A).</summary>
    private static EngineHarness Learned()
    {
        var plant = new EngineHarness(TestPlant.Night);
        for (var i = 0; i < 10; i++)
        {
            plant.Circuit("1", commanded: true, contactor: true, lit: 24, currentPerPhase: 5);
        }

        Assert.Empty(plant.Output);
        return plant;
    }
}
