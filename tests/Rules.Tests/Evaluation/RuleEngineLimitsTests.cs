using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Tests.Evaluation;

public sealed class RuleEngineLimitsTests
{
    private static readonly DateTimeOffset Year2099 = new(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, ReadingValue> LowInsulation = new(StringComparer.Ordinal) { ["insulation_mohm"] = 0.3, ["supply_present"] = true };

    [Fact]
    public void A_reading_dated_2099_is_refused_and_the_real_readings_after_it_are_judged()
    {
        var plant = new EngineHarness(TestPlant.Night);

        plant.Again("box-01", DeviceFamily.DistributionBox, LowInsulation, Year2099);
        for (var i = 0; i < 3; i++)
        {
            plant.Box("insulation_mohm", 0.3);
        }

        var low = Assert.Single(plant.Detected(FaultType.LowInsulation));
        Assert.True(low.At < Year2099);
        Assert.Equal(1, plant.Engine.FutureReadings);
        Assert.Equal(0, plant.Engine.SkippedReadings);
    }

    [Fact]
    public void A_circuit_reading_dated_2099_does_not_hide_the_real_readings_of_the_circuit()
    {
        var plant = new EngineHarness(TestPlant.Night);
        var dark = new Dictionary<string, ReadingValue>(StringComparer.Ordinal)
        {
            ["commanded_on"] = true,
            ["contactor_closed"] = true,
            ["lamps_lit"] = 0,
            ["current_l1_a"] = 0.0,
            ["current_l2_a"] = 0.0,
            ["current_l3_a"] = 0.0,
        };

        plant.Again("sc-01", DeviceFamily.StreetController, dark, Year2099, circuit: "1");
        for (var i = 0; i < 3; i++)
        {
            plant.Circuit("1", commanded: true, contactor: true, lit: 0, currentPerPhase: 0);
        }

        Assert.Contains(plant.Output.OfType<FaultDetected>(), d => d.Asset.Circuit == "1");
        Assert.Equal(1, plant.Engine.FutureReadings);
    }

    [Fact]
    public void A_reading_a_little_ahead_of_the_clock_is_judged()
    {
        var plant = new EngineHarness(TestPlant.Night);

        plant.Again("box-01", DeviceFamily.DistributionBox, LowInsulation, plant.Now + TimeSpan.FromMinutes(4));

        Assert.Equal(0, plant.Engine.FutureReadings);
        plant.Again("box-01", DeviceFamily.DistributionBox, LowInsulation, plant.Now + TimeSpan.FromMinutes(4));
        Assert.Equal(1, plant.Engine.SkippedReadings);
    }

    [Fact]
    public void A_reading_older_than_the_replay_window_is_counted_too_old_and_one_within_it_a_duplicate()
    {
        var plant = new EngineHarness(TestPlant.Night);
        var last = plant.Now;
        plant.Box("insulation_mohm", 20);

        plant.Again("box-01", DeviceFamily.DistributionBox, LowInsulation, last - TimeSpan.FromDays(1) - TimeSpan.FromSeconds(1));
        plant.Again("box-01", DeviceFamily.DistributionBox, LowInsulation, last - TimeSpan.FromHours(23));

        Assert.Equal(1, plant.Engine.TooOldReadings);
        Assert.Equal(1, plant.Engine.SkippedReadings);
        Assert.Empty(plant.Output);
    }

    [Fact]
    public void The_replay_window_is_measured_per_circuit()
    {
        var plant = new EngineHarness(TestPlant.Night, new RuleEngineLimits { ReplayWindow = TimeSpan.FromMinutes(10) });
        var values = new Dictionary<string, ReadingValue>(StringComparer.Ordinal) { ["lamps_lit"] = 24 };
        var last = plant.Now;
        plant.Circuit("1", commanded: true, contactor: true, lit: 24, currentPerPhase: 5);

        plant.Again("sc-01", DeviceFamily.StreetController, values, last - TimeSpan.FromMinutes(11), circuit: "1");
        plant.Again("sc-01", DeviceFamily.StreetController, values, last - TimeSpan.FromMinutes(11), circuit: "2");

        Assert.Equal(1, plant.Engine.TooOldReadings);
        Assert.Equal(0, plant.Engine.SkippedReadings);
    }

    [Fact]
    public void A_battery_test_result_dated_2099_is_refused_and_the_real_one_after_it_is_judged()
    {
        var plant = new EngineHarness(TestPlant.Night);

        plant.Event(FailedDurationTest(Year2099));
        Assert.Empty(plant.Output);
        Assert.Equal(1, plant.Engine.FutureEvents);

        plant.Event(FailedDurationTest(plant.Now));

        Assert.Equal(plant.Now, Assert.Single(plant.Detected(FaultType.FailedDischarge)).At);
    }

    [Fact]
    public void A_battery_test_result_older_than_the_replay_window_is_refused()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Battery(testState: 0, lastResult: 1, runtimeS: 5400);

        plant.Event(FailedDurationTest(plant.Now - TimeSpan.FromDays(2)));

        Assert.Empty(plant.Output);
        Assert.Equal(1, plant.Engine.TooOldEvents);
    }

    [Fact]
    public void Hostile_input_is_refused_without_throwing()
    {
        var plant = new EngineHarness(TestPlant.Night);

        plant.Engine.OnReadings(TestPlant.SiteId, TestPlant.GatewayId, new ReadingBatch { Gateway = "x", Site = "y", Seq = 1, Sent = plant.Now, Readings = null! }, plant.Output);
        plant.Deliver(TestPlant.SiteId, TestPlant.GatewayId, null!, new Reading { Device = null!, Family = DeviceFamily.HighMast, Ts = plant.Now });
        plant.Deliver("bad site", "gw/1", new Reading { Device = "box-01", Family = DeviceFamily.DistributionBox, Ts = plant.Now, Values = LowInsulation });
        plant.Deliver(TestPlant.SiteId, TestPlant.GatewayId, new Reading { Device = "box-01", Family = (DeviceFamily)99, Ts = DateTimeOffset.MaxValue, Values = LowInsulation });
        plant.Deliver(TestPlant.SiteId, TestPlant.GatewayId, new Reading { Device = "box-01", Family = DeviceFamily.DistributionBox, Ts = DateTimeOffset.MinValue, Circuit = "99999999999", Values = LowInsulation });
        plant.Engine.OnGatewayEvent(TestPlant.SiteId, TestPlant.GatewayId, new GatewayEvent { Kind = null!, Ts = plant.Now }, plant.Output);
        plant.Engine.OnGatewayEvent(TestPlant.SiteId, TestPlant.GatewayId, new GatewayEvent { Kind = EventKinds.CommandResult, Ts = DateTimeOffset.MinValue, Device = "a b" }, plant.Output);
        plant.Engine.OnGatewayState("", TestPlant.GatewayId, new GatewayState { State = (GatewayStatus)7, Ts = plant.Now }, plant.Output);
        plant.Tick();

        Assert.Empty(plant.Output);
        Assert.Equal(1, plant.Engine.FutureReadings);
    }

    private static GatewayEvent FailedDurationTest(DateTimeOffset ts) => new()
    {
        Kind = EventKinds.BatteryTestFinished,
        Ts = ts,
        Device = "eps-01",
        Attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["test"] = "duration", ["outcome"] = "failed" },
    };
}
