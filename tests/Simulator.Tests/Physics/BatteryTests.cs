using Telemetry.Simulator.Plant;
using Telemetry.Simulator.Serving;

namespace Telemetry.Simulator.Tests.Physics;

public sealed class BatteryTests
{
    [Fact]
    public async Task A_healthy_battery_passes_its_duration_test_at_the_rated_duration()
    {
        var clock = TestPlant.Clock();
        await using var simulation = TestPlant.Create(clock);
        Assert.Null(simulation.Command("eps-1", "test_command", null, "start_duration_test"));
        simulation.Run(clock, TimeSpan.FromMinutes(1));
        Assert.Equal(2, simulation.Value("eps-1", "test_state").AsInteger);
        Assert.True(simulation.Flag("eps-1", "on_battery"));
        Assert.True(simulation.Number("eps-1", "battery_current_a") < 0);

        simulation.Run(clock, TimeSpan.FromMinutes(100), TimeSpan.FromMinutes(1));

        Assert.Equal(0, simulation.Value("eps-1", "test_state").AsInteger);
        Assert.Equal((long)BatteryTestResult.Passed, simulation.Value("eps-1", "last_test_result").AsInteger);
        Assert.Equal(90 * 60, simulation.Number("eps-1", "last_test_runtime_s"));
        Assert.True(simulation.Number("eps-1", "battery_voltage_v") > 21, "charging again, above cut-off");
    }

    [Fact]
    public async Task An_aged_battery_fails_its_duration_test_before_the_rated_duration_at_the_cut_off_voltage()
    {
        var clock = TestPlant.Clock();
        await using var simulation = TestPlant.Create(clock);
        simulation.Inject("eps-1", new Faults.FaultDocument { Fault = "battery_aged", Health = 0.5 });
        simulation.Command("eps-1", "test_command", null, "start_duration_test");
        var voltages = new List<double>();

        for (var minute = 0; minute < 100; minute++)
        {
            simulation.Run(clock, TimeSpan.FromMinutes(1));
            if (simulation.Value("eps-1", "test_state").AsInteger == 2)
            {
                voltages.Add(simulation.Number("eps-1", "battery_voltage_v"));
            }
        }

        // Runtime = 90 min × 1.3 margin × 0.5 health = 58.5 min.
        Assert.Equal((long)BatteryTestResult.FailedDuration, simulation.Value("eps-1", "last_test_result").AsInteger);
        Assert.Equal(58.5 * 60, simulation.Number("eps-1", "last_test_runtime_s"), 1);
        Assert.Equal(58, voltages.Count);
        Assert.True(voltages.Zip(voltages.Skip(1)).All(p => p.Second <= p.First + 0.05), "the voltage falls along the discharge curve");
        Assert.InRange(voltages[^1], 21.0, 22.5);
        Assert.True(voltages[0] > 25);
    }

    [Fact]
    public async Task The_function_test_passes_unless_the_unit_is_faulted()
    {
        var clock = TestPlant.Clock();
        await using var simulation = TestPlant.Create(clock);

        simulation.Command("eps-1", "test_command", null, "start_function_test");
        simulation.Run(clock, TimeSpan.FromSeconds(10));
        Assert.Equal(1, simulation.Value("eps-1", "test_state").AsInteger);
        simulation.Run(clock, TimeSpan.FromSeconds(30));
        Assert.Equal((long)BatteryTestResult.Passed, simulation.Value("eps-1", "last_test_result").AsInteger);

        simulation.Inject("eps-1", new Faults.FaultDocument { Fault = "function_test_fail" });
        simulation.Command("eps-1", "test_command", null, "start_function_test");
        simulation.Run(clock, TimeSpan.FromSeconds(10));
        Assert.False(simulation.Flag("eps-1", "on_battery"));
        simulation.Run(clock, TimeSpan.FromSeconds(30));
        Assert.Equal((long)BatteryTestResult.FailedFunction, simulation.Value("eps-1", "last_test_result").AsInteger);
    }

    [Fact]
    public async Task A_test_cannot_start_while_one_runs_and_an_abort_is_reported()
    {
        var clock = TestPlant.Clock();
        await using var simulation = TestPlant.Create(clock);
        simulation.Command("eps-1", "test_command", null, "start_duration_test");

        Assert.Contains("ServerDeviceBusy", simulation.Command("eps-1", "test_command", null, "start_function_test"), StringComparison.Ordinal);
        simulation.Run(clock, TimeSpan.FromMinutes(5));
        Assert.Null(simulation.Command("eps-1", "test_command", null, "abort_test"));
        Assert.Equal((long)BatteryTestResult.Aborted, simulation.Value("eps-1", "last_test_result").AsInteger);
        Assert.Equal(300, simulation.Number("eps-1", "last_test_runtime_s"));
    }
}
