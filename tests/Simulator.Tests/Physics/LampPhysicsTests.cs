using Telemetry.Simulator.Faults;
using Telemetry.Simulator.Serving;

namespace Telemetry.Simulator.Tests.Physics;

public sealed class LampPhysicsTests
{
    [Fact]
    public async Task Lamps_failing_make_lamps_lit_fall_and_the_current_follow()
    {
        var clock = TestPlant.Clock();
        await using var simulation = TestPlant.Create(clock, new SimulationOptions { WireTiming = false, Physics = TestPlant.FragileLamps });
        var litBefore = simulation.Number("sc-2", "lamps_lit", 1);
        var ampsBefore = Amps(simulation, "sc-2", 1);

        simulation.Run(clock, TimeSpan.FromHours(3), TimeSpan.FromMinutes(1));

        var litAfter = simulation.Number("sc-2", "lamps_lit", 1);
        var ampsAfter = Amps(simulation, "sc-2", 1);
        Assert.Equal(8, litBefore); // 30 lamps over 4 circuits: 8, 8, 7, 7, all lit at night
        Assert.True(litAfter < litBefore, $"lamps lit {litBefore} -> {litAfter}");
        Assert.True(ampsAfter < ampsBefore, $"current {ampsBefore} -> {ampsAfter}");

        // About 0.95 A per lit 200 W lamp at 230 V and power factor 0.92.
        var perLamp = 200 / (230 * 0.92);
        Assert.InRange(ampsAfter, (litAfter * perLamp * 0.95) - 0.1, (litAfter * perLamp * 1.05) + 0.1);
        Assert.InRange(ampsBefore, litBefore * perLamp * 0.95, litBefore * perLamp * 1.05);
    }

    [Fact]
    public async Task A_mast_with_five_lamps_dark_reports_them_bit_by_bit_and_draws_less()
    {
        var clock = TestPlant.Clock();
        await using var simulation = TestPlant.Create(clock);
        var ampsBefore = simulation.Number("mast-1", "current_a");

        var (fault, problems) = simulation.Inject("mast-1", new FaultDocument { Fault = "lamps_dark", Count = 5 });
        simulation.Run(clock, TimeSpan.FromSeconds(10));

        Assert.NotNull(fault);
        Assert.Empty(problems);
        Assert.Equal(7, simulation.Number("mast-1", "lamps_lit"));
        Assert.Equal(7, Enumerable.Range(1, 12).Count(n => simulation.Flag("mast-1", $"lamp_{n}_lit")));
        Assert.DoesNotContain(Enumerable.Range(13, 12), n => simulation.Flag("mast-1", $"lamp_{n}_lit"));
        Assert.InRange(simulation.Number("mast-1", "current_a"), ampsBefore * 7 / 12 * 0.95, ampsBefore * 7 / 12 * 1.05);

        simulation.Clear("mast-1", FaultKind.LampsDark);
        Assert.Equal(12, simulation.Number("mast-1", "lamps_lit"));
    }

    [Fact]
    public async Task A_cable_cut_drops_the_current_to_almost_nothing_with_the_contactor_closed()
    {
        var clock = TestPlant.Clock();
        await using var simulation = TestPlant.Create(clock);
        Assert.True(Amps(simulation, "sc-1", 2) > 10);

        simulation.Inject("sc-1", new FaultDocument { Fault = "cable_cut", Circuit = 2 });
        simulation.Run(clock, TimeSpan.FromSeconds(30));

        Assert.True(simulation.Flag("sc-1", "commanded_on", 2));
        Assert.True(simulation.Flag("sc-1", "contactor_closed", 2));
        Assert.InRange(Amps(simulation, "sc-1", 2), 0, 0.1);
        Assert.Equal(0, simulation.Number("sc-1", "lamps_lit", 2));
        Assert.InRange(simulation.Number("sc-1", "voltage_l1_v", 2), 220, 240);
        Assert.True(Amps(simulation, "sc-1", 1) > 10, "the other circuit is untouched");
    }

    [Fact]
    public async Task Lighting_follows_the_schedule_by_day_and_night_and_a_welded_contactor_burns_by_day()
    {
        var clock = TestPlant.Clock(TestPlant.Noon);
        await using var simulation = TestPlant.Create(clock);

        Assert.False(simulation.Flag("sc-2", "commanded_on", 1));
        Assert.False(simulation.Flag("sc-2", "contactor_closed", 1));
        Assert.Equal(0, simulation.Number("sc-2", "lamps_lit", 1));
        Assert.True(simulation.Number("ltc-1", "ambient_lux") > 1000);

        simulation.Inject("sc-2", new FaultDocument { Fault = "contactor_welded", Circuit = 1 });
        simulation.Run(clock, TimeSpan.FromSeconds(10));
        Assert.False(simulation.Flag("sc-2", "commanded_on", 1));
        Assert.True(simulation.Flag("sc-2", "contactor_closed", 1));
        Assert.Equal(8, simulation.Number("sc-2", "lamps_lit", 1));

        simulation.Run(clock, TimeSpan.FromHours(10), TimeSpan.FromMinutes(5)); // 22:00
        Assert.True(simulation.Flag("sc-2", "commanded_on", 2));
        Assert.True(simulation.Number("ltc-1", "ambient_lux") < 1);
    }

    [Fact]
    public async Task Energy_integrates_the_power_drawn()
    {
        var clock = TestPlant.Clock();
        await using var simulation = TestPlant.Create(clock);
        var before = simulation.Number("sc-2", "energy_kwh", 1);
        var power = simulation.Number("sc-2", "power_kw", 1);

        simulation.Run(clock, TimeSpan.FromHours(1), TimeSpan.FromMinutes(1));

        Assert.InRange(simulation.Number("sc-2", "energy_kwh", 1) - before, power * 0.95, power * 1.05);
    }

    private static double Amps(Simulation simulation, string device, int circuit) =>
        Enumerable.Range(1, 3).Sum(phase => simulation.Number(device, $"current_l{phase}_a", circuit));
}
