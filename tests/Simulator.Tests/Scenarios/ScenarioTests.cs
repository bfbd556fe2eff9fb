using Telemetry.Simulator.Faults;
using Telemetry.Simulator.Plant;
using Telemetry.Simulator.Scenarios;
using Telemetry.Simulator.Serving;
using Telemetry.Testing;

namespace Telemetry.Simulator.Tests.Scenarios;

public sealed class ScenarioTests
{
    private static string DemoScenario => Path.Combine(RepositoryPaths.Hardware, "scenarios", "demo.json");

    [Fact]
    public void The_demo_scenario_fits_the_demo_site_and_brings_every_grade_within_three_minutes()
    {
        var scenario = ScenarioLoader.LoadFile(DemoScenario, TestPlant.Demo);

        Assert.All(scenario.Events, e => Assert.True(e.Offset <= TimeSpan.FromMinutes(3), e.Describe()));
        var faults = scenario.Events.Where(e => e.Action == ScenarioAction.Inject).Select(e => e.Fault!.Fault).ToHashSet();
        Assert.Superset(
            new HashSet<string?> { "lamps_dark", "cable_cut", "low_insulation", "high_leakage", "battery_aged", "clock_drift", "silent", "door_open", "contactor_welded", "manual_override" },
            faults);
        Assert.Contains(scenario.Events, e => e.Action == ScenarioAction.Command && e.Point == "test_command");
    }

    [Fact]
    public async Task The_demo_scenario_plays_on_the_demo_site_and_its_battery_fails_its_duration_test()
    {
        var clock = TestPlant.Clock(TestPlant.Noon);
        var scenario = ScenarioLoader.LoadFile(DemoScenario, TestPlant.Demo);
        await using var simulation = TestPlant.Create(clock, new SimulationOptions { WireTiming = false, Scenario = scenario }, TestPlant.Demo);

        simulation.Run(clock, TimeSpan.FromMinutes(4), TimeSpan.FromSeconds(5));

        Assert.Equal(scenario.Events.Count, simulation.Scenario!.PlayedCount);
        Assert.All(simulation.Scenario.Outcomes, o => Assert.Null(o));
        Assert.Equal(7, simulation.Number("mast-03", "lamps_lit")); // commanded on by the scenario, 5 of 12 dark
        Assert.Equal(0, simulation.Number("sc-02", "lamps_lit", 2));
        Assert.True(simulation.Flag("sc-03", "contactor_closed", 1));
        Assert.InRange(simulation.Number("sc-03", "current_l1_a", 1), 0, 0.1);
        Assert.Equal(0.45, simulation.Number("box-02", "insulation_mohm"), 2);
        Assert.Equal((long)BatteryTestResult.FailedDuration, simulation.Value("eps-02", "last_test_result").AsInteger);
        Assert.InRange(simulation.Number("eps-02", "last_test_runtime_s"), 100, 120);
        Assert.Equal(2, simulation.Value("eps-03", "test_state").AsInteger); // the healthy one is still discharging
        Assert.True(simulation.Flag("sc-05", "contactor_closed", 1) && !simulation.Flag("sc-05", "commanded_on", 1)); // day burning at noon
        Assert.True(simulation.Plant.Find("mast-07")!.Bus.Silent);
    }

    [Fact]
    public void Scenario_errors_name_the_event_and_what_is_wrong()
    {
        const string json = """
            {"scenario": "bad", "site": "test-small", "events": [
              {"at": "00:00:10", "device": "nope", "fault": "silent"},
              {"at": "soon", "device": "sc-1", "fault": "silent"},
              {"at": "00:00:10", "device": "box-1", "fault": "lamps_dark", "count": 3},
              {"at": "00:00:10", "device": "sc-1", "fault": "lamps_dark"},
              {"at": "00:00:10", "device": "eps-1", "command": "test_command", "value": "explode"},
              {"at": "00:00:10", "device": "eps-1", "set": "no_such_value", "value": 1},
              {"at": "00:00:10", "device": "eps-1", "fault": "silent", "clear": "silent"}
            ]}
            """;

        var errors = Assert.Throws<ScenarioValidationException>(() => ScenarioLoader.Parse(json, "bad.json", TestPlant.Small)).Errors;

        Assert.Equal(["$.events[0].device", "$.events[1].at", "$.events[2]", "$.events[3]", "$.events[4].command", "$.events[5].set", "$.events[6]"], errors.Select(e => e.Path));
        Assert.Contains("does not apply", errors[2].Detail, StringComparison.Ordinal);
        Assert.Contains("needs 'count'", errors[3].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_play_at_their_offsets_in_simulated_time()
    {
        const string json = """
            {"scenario": "two", "events": [
              {"at": "00:10:00", "device": "box-1", "clear": "door_open"},
              {"at": "00:01:00", "device": "box-1", "fault": "door_open"}
            ]}
            """;
        var clock = TestPlant.Clock();
        await using var simulation = TestPlant.Create(clock, new SimulationOptions { WireTiming = false, Scenario = ScenarioLoader.Parse(json, "two.json", TestPlant.Small) });

        simulation.Run(clock, TimeSpan.FromSeconds(59));
        Assert.False(simulation.Flag("box-1", "door_open"));
        simulation.Run(clock, TimeSpan.FromSeconds(1));
        Assert.True(simulation.Flag("box-1", "door_open"));
        simulation.Run(clock, TimeSpan.FromHours(1));
        Assert.False(simulation.Flag("box-1", "door_open"));
        Assert.Equal(2, simulation.Scenario!.PlayedCount);
    }

    [Fact]
    public void Faults_are_checked_against_the_device()
    {
        var mast = TestPlant.Small.FindDevice("mast-1")!;

        Assert.NotNull(Fault.Validate(new FaultDocument { Fault = "lamps_dark", Count = 5 }, mast).Fault);
        Assert.Equal(1, Fault.Validate(new FaultDocument { Fault = "cable_cut" }, mast).Fault!.Circuit);
        Assert.Contains("circuit 2 is outside 1..1", Fault.Validate(new FaultDocument { Fault = "cable_cut", Circuit = 2 }, mast).Problems.Single(), StringComparison.Ordinal);
        Assert.Contains("takes code", Fault.Validate(new FaultDocument { Fault = "exception", Code = 4, Count = 1 }, mast).Problems.Single(), StringComparison.Ordinal);
        Assert.Contains("none of", Fault.Validate(new FaultDocument { Fault = "gremlins" }, mast).Problems.Single(), StringComparison.Ordinal);
        Assert.Contains("outside 1..11", Fault.Validate(new FaultDocument { Fault = "exception", Code = 12 }, mast).Problems.Single(), StringComparison.Ordinal);
    }
}
