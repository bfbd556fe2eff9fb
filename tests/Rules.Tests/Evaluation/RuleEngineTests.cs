using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Catalogue;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Tests.Evaluation;

public sealed class RuleEngineTests
{
    [Fact]
    public void Restored_active_conditions_are_not_detected_again_after_a_restart()
    {
        var plant = new EngineHarness(TestPlant.Night);
        var mast = new AssetRef(TestPlant.SiteId, TestPlant.GatewayId, "mast-01");
        var box = new AssetRef(TestPlant.SiteId, TestPlant.GatewayId, "box-01");
        plant.Engine.RestoreActive([(mast, FaultType.MastOutage), (box, FaultType.LowInsulation)]);

        for (var i = 0; i < 4; i++)
        {
            plant.Mast(lit: 7);
            plant.Box("insulation_mohm", 0.3);
        }

        Assert.Empty(plant.Output);
    }

    [Fact]
    public void A_restored_condition_still_clears_when_the_plant_recovers()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Engine.RestoreActive([(new AssetRef(TestPlant.SiteId, TestPlant.GatewayId, "mast-01"), FaultType.MastOutage)]);

        plant.Mast(lit: 12);
        plant.Mast(lit: 12);

        Assert.Equal(FaultType.MastOutage, Assert.IsType<FaultCleared>(Assert.Single(plant.Output)).Fault);
    }

    [Fact]
    public void A_restored_gateway_offline_is_not_detected_again_when_its_retained_state_arrives()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Engine.RestoreActive([(new AssetRef(TestPlant.SiteId, TestPlant.GatewayId), FaultType.GatewayOffline)]);

        plant.State(GatewayStatus.Offline);
        plant.Advance(TimeSpan.FromMinutes(5));
        plant.Tick();
        plant.State(GatewayStatus.Online);

        Assert.Equal(FaultType.GatewayOffline, Assert.IsType<FaultCleared>(Assert.Single(plant.Output)).Fault);
    }

    [Fact]
    public void Restored_circuit_faults_land_on_their_circuit()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Engine.RestoreActive([(new AssetRef(TestPlant.SiteId, TestPlant.GatewayId, "sc-01", "2"), FaultType.TotalDark)]);

        plant.Circuit("2", commanded: true, contactor: true, lit: 0, currentPerPhase: 0);
        plant.Circuit("2", commanded: true, contactor: true, lit: 0, currentPerPhase: 0);

        Assert.Empty(plant.Output);
    }

    [Fact]
    public void The_theft_baseline_survives_export_and_import_through_json()
    {
        var before = new EngineHarness(TestPlant.Night);
        for (var i = 0; i < 10; i++)
        {
            before.Circuit("1", commanded: true, contactor: true, lit: 24, currentPerPhase: 5);
        }

        var json = JsonSerializer.Serialize(before.Engine.ExportState());
        var after = new EngineHarness(before.Now);
        after.Engine.ImportState(JsonSerializer.Deserialize<RuleEngineState>(json)!);
        after.Circuit("1", commanded: true, contactor: true, lit: 0, currentPerPhase: 0.1);

        var theft = Assert.Single(after.Detected(FaultType.CableTheft));
        Assert.Equal(15, theft.Evidence["baseline_a"], 6);
    }

    [Fact]
    public void A_door_counting_towards_its_limit_keeps_counting_across_a_restart()
    {
        var before = new EngineHarness(TestPlant.Night);
        before.Mast(lit: 12, door: true);
        before.Advance(TimeSpan.FromMinutes(3));

        var after = new EngineHarness(before.Now);
        after.Engine.ImportState(before.Engine.ExportState());
        after.Advance(TimeSpan.FromMinutes(2));
        after.Tick();

        Assert.Single(after.Detected(FaultType.DoorOpen));
    }

    [Fact]
    public void A_new_threshold_snapshot_applies_on_the_next_reading()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Box("residual_current_ma", 20);
        plant.Box("residual_current_ma", 20);

        plant.Thresholds = new ThresholdSnapshot(RuleSet.Default.Thresholds, 3,
        [
            new(LeakageAboveLimit.TripMa, ThresholdScope.ForSite(TestPlant.SiteId), 15),
            new(LeakageAboveLimit.ClearMa, ThresholdScope.ForSite(TestPlant.SiteId), 10),
            new(LeakageAboveLimit.DebounceReadings, ThresholdScope.ForSite(TestPlant.SiteId), 1),
        ]);
        plant.Box("residual_current_ma", 20);

        var leak = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal(FaultType.HighLeakage, leak.Fault);
        Assert.Equal(15, leak.Evidence["leakage.trip_ma"]);
    }

    [Fact]
    public void Every_detection_carries_the_crew_and_zone_of_the_device_site_file()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.GatewayDelivers();
        plant.Advance(TimeSpan.FromMinutes(2));
        plant.GatewayDelivers();
        plant.Tick();

        var silent = plant.Detected(FaultType.DeviceSilent).ToDictionary(d => d.Asset.Device!, d => (d.Crew, d.Zone));
        Assert.Equal(("crew-masts", Devices.Sites.CrewZone.Second), silent["mast-01"]);
        Assert.Equal(("crew-north", Devices.Sites.CrewZone.Third), silent["ltc-01"]);
        Assert.Equal(6, silent.Count);
    }

    [Fact]
    public void A_reloaded_plant_gives_a_device_its_new_lamp_count()
    {
        var plant = new EngineHarness(TestPlant.Night);
        var devices = TestPlant.DefaultDevices(TestPlant.GatewayId)
            .Select(d => d.Id == "mast-01" ? d with { LampsInstalled = 8 } : d)
            .ToList();
        plant.Engine.ReplacePlant(new PlantDirectory([TestPlant.Site() with { Gateways = [TestPlant.Gateway(TestPlant.GatewayId, devices)] }]));

        // 7 of 8 lit is one dark: single lamps, where 7 of 12 would have been an outage.
        plant.Mast(lit: 7, installed: null);
        plant.Mast(lit: 7, installed: null);

        Assert.Equal(FaultType.SingleLampsDark, Assert.Single(plant.Output.OfType<FaultDetected>()).Fault);
    }

    [Fact]
    public void Nothing_is_appended_to_the_output_without_a_transition()
    {
        var plant = new EngineHarness(TestPlant.Night);

        for (var i = 0; i < 20; i++)
        {
            plant.Mast(lit: 12, current: 18);
            plant.Circuit("1", commanded: true, contactor: true, lit: 24, currentPerPhase: 5);
            plant.Box("insulation_mohm", 20);
        }

        Assert.Empty(plant.Output);
    }

    [Fact]
    public void A_redelivered_or_replayed_reading_is_not_judged_twice()
    {
        var plant = new EngineHarness(TestPlant.Night);
        var low = new Dictionary<string, ReadingValue>(StringComparer.Ordinal) { ["insulation_mohm"] = 0.3, ["supply_present"] = true };
        var first = plant.Now;
        plant.Box("insulation_mohm", 0.3);

        // The same reading twice more (debounce is three readings) and an older one: none of them counts.
        plant.Again("box-01", DeviceFamily.DistributionBox, low, first);
        plant.Again("box-01", DeviceFamily.DistributionBox, low, first);
        plant.Again("box-01", DeviceFamily.DistributionBox, low, first - TimeSpan.FromMinutes(5));
        Assert.Empty(plant.Detected(FaultType.LowInsulation));
        Assert.Equal(3, plant.Engine.SkippedReadings);

        plant.Box("insulation_mohm", 0.3);
        plant.Box("insulation_mohm", 0.3);
        Assert.Single(plant.Detected(FaultType.LowInsulation));
    }
}
