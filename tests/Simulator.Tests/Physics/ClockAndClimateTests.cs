using Telemetry.Simulator.Faults;
using Telemetry.Simulator.Physics;

namespace Telemetry.Simulator.Tests.Physics;

public sealed class ClockAndClimateTests
{
    [Fact]
    public async Task A_drifting_controller_clock_gains_its_ppm_and_a_jump_on_top()
    {
        var clock = TestPlant.Clock();
        await using var simulation = TestPlant.Create(clock);
        var initialError = UnixError(simulation, clock);
        Assert.InRange(initialError, -4, 4);

        simulation.Inject("ltc-1", new FaultDocument { Fault = "clock_drift", Ppm = 500, OffsetS = 95 });
        simulation.Run(clock, TimeSpan.FromDays(2), TimeSpan.FromHours(1));

        // 500 ppm over 172800 s is 86.4 s, on top of the 95 s jump and the small initial error.
        Assert.InRange(UnixError(simulation, clock), initialError + 95 + 86.4 - 1.5, initialError + 95 + 86.4 + 1.5);

        simulation.Clear("ltc-1", FaultKind.ClockDrift);
        Assert.InRange(UnixError(simulation, clock), -1, 1);
    }

    [Fact]
    public async Task The_calendar_clock_shows_local_time_and_can_be_set()
    {
        var clock = TestPlant.Clock();
        await using var simulation = TestPlant.Create(clock);

        Assert.Equal((2026, 11, 22), (simulation.Value("ltc-2", "clock_year").AsInteger, simulation.Value("ltc-2", "clock_month").AsInteger, simulation.Value("ltc-2", "clock_day").AsInteger));
        Assert.InRange(SecondOfDay(simulation), (22 * 3600) - 4, (22 * 3600) + 4); // 14:00 UTC is 22:00 in Shanghai, give or take a few seconds
        Assert.Equal(0, simulation.Value("ltc-2", "clock_weekday").AsInteger); // 2026-11-22 is a Sunday

        Assert.Null(simulation.Command("ltc-2", "clock_hour", null, 3L));
        Assert.Equal(3, simulation.Value("ltc-2", "clock_hour").AsInteger);
        Assert.Contains("outside 0..23", simulation.Command("ltc-2", "clock_hour", null, 24L) ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void Insulation_falls_with_age_and_humidity()
    {
        var dryNew = Insulation.ResistanceMohm(400, 0, 8, 50);
        var dryOld = Insulation.ResistanceMohm(400, 16, 8, 50);
        var wetOld = Insulation.ResistanceMohm(400, 16, 8, 95);

        Assert.Equal(400, dryNew, 6);
        Assert.Equal(400 * Math.Exp(-2), dryOld, 6);
        Assert.True(wetOld < dryOld / 10);
        Assert.True(Insulation.ResidualCurrentMa(3, 90, 0.45, 230) > Insulation.ResidualCurrentMa(3, 50, 100, 230));
    }

    [Fact]
    public async Task A_box_reports_the_injected_insulation_and_leakage_and_its_alarm_follows_the_threshold()
    {
        var clock = TestPlant.Clock();
        await using var simulation = TestPlant.Create(clock);
        Assert.True(simulation.Number("box-1", "insulation_mohm") > 0.5);
        Assert.InRange(simulation.Number("box-1", "residual_current_ma"), 1, 15);
        Assert.False(simulation.Flag("box-1", "leakage_alarm"));

        simulation.Inject("box-1", new FaultDocument { Fault = "low_insulation", Mohm = 0.45 });
        simulation.Inject("box-1", new FaultDocument { Fault = "high_leakage", Ma = 45 });
        simulation.Run(clock, TimeSpan.FromSeconds(10));

        Assert.InRange(simulation.Number("box-1", "insulation_mohm"), 0.44, 0.46);
        Assert.InRange(simulation.Number("box-1", "residual_current_ma"), 43, 47);
        Assert.True(simulation.Flag("box-1", "leakage_alarm"));
        Assert.Null(simulation.Command("box-1", "leakage_alarm_threshold_ma", null, 50.0));
        Assert.False(simulation.Flag("box-1", "leakage_alarm"));
        Assert.Equal(50, simulation.Number("box-1", "leakage_alarm_threshold_ma"));
    }

    [Fact]
    public void The_sun_sets_and_rises_where_and_when_it_should()
    {
        // Shanghai, 22 November 2026: sunrise about 06:30, sunset about 16:55 local (UTC+8).
        var sun = SolarPosition.SunriseSunset(new DateOnly(2026, 11, 22), 31.2304, 121.4737, TimeSpan.FromHours(8))!.Value;

        Assert.InRange(sun.Sunrise.ToOffset(TimeSpan.FromHours(8)).TimeOfDay, new TimeSpan(6, 20, 0), new TimeSpan(6, 40, 0));
        Assert.InRange(sun.Sunset.ToOffset(TimeSpan.FromHours(8)).TimeOfDay, new TimeSpan(16, 45, 0), new TimeSpan(17, 5, 0));
        Assert.True(SolarPosition.Elevation(TestPlant.Noon, 31.2304, 121.4737) > 30);
        Assert.True(SolarPosition.Elevation(TestPlant.Night, 31.2304, 121.4737) < -30);
    }

    [Fact]
    public async Task The_enclosure_temperature_follows_a_daily_cycle()
    {
        var clock = TestPlant.Clock(TestPlant.Night);
        await using var simulation = TestPlant.Create(clock);
        var temperatures = new List<double>();
        for (var hour = 0; hour < 24; hour++)
        {
            temperatures.Add(simulation.Number("box-1", "enclosure_temperature_c"));
            simulation.Run(clock, TimeSpan.FromHours(1), TimeSpan.FromMinutes(10));
        }

        Assert.True(temperatures.Max() - temperatures.Min() > 5, string.Join(", ", temperatures));
        var warmest = temperatures.IndexOf(temperatures.Max()); // hours after 22:00
        Assert.InRange((22 + warmest) % 24, 11, 19);
    }

    private static long SecondOfDay(Telemetry.Simulator.Serving.Simulation simulation) =>
        (simulation.Value("ltc-2", "clock_hour").AsInteger * 3600) + (simulation.Value("ltc-2", "clock_minute").AsInteger * 60) + simulation.Value("ltc-2", "clock_second").AsInteger;

    private static double UnixError(Telemetry.Simulator.Serving.Simulation simulation, Microsoft.Extensions.Time.Testing.FakeTimeProvider clock) =>
        simulation.Number("ltc-1", "clock_unix_s") - clock.GetUtcNow().ToUnixTimeSeconds();
}
