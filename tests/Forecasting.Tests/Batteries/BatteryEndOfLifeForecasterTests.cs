using Telemetry.Forecasting.Batteries;
using Telemetry.Forecasting.History;
using Telemetry.Forecasting.Numerics;

namespace Telemetry.Forecasting.Tests.Batteries;

public sealed class BatteryEndOfLifeForecasterTests
{
    private static readonly DateTimeOffset Installed = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A battery losing <paramref name="fade"/> of its capacity a year, tested yearly (full) and twice more (one hour), each test scattered by 1.5 % (seeded).</summary>
    internal static BatteryRecord Battery(string device, double fade, double temperature, int years, bool scatter = true)
    {
        var random = new Random(device.Length + (int)(fade * 1000));
        var tests = new List<BatteryTest>();
        for (var month = 6; month < years * 12; month += 6)
        {
            var time = Installed.AddMonths(month);
            var full = PlantPhysics.FullRuntimeMinutes(90, 1 - (fade * (time - Installed).TotalDays / 365.25)) * (scatter ? 1 + (0.015 * ((random.NextDouble() * 2) - 1) * 1.7) : 1);
            var kind = month % 12 == 0 ? BatteryTestKind.FullDuration : BatteryTestKind.OneHour;
            var planned = kind == BatteryTestKind.FullDuration ? 90 : 60;
            var runtime = Math.Min(planned, full);
            tests.Add(new BatteryTest(time, kind, runtime, runtime < planned ? 21 : PlantPhysics.DischargeVolts(runtime / full, 21)));
        }

        return new BatteryRecord(device, Installed, 90, 21, tests, [new Observation(Installed, temperature)]);
    }

    [Fact]
    public void A_passed_test_tells_the_full_runtime_from_the_voltage_the_battery_reached()
    {
        var battery = Battery("eps-01", 0.05, 25, 3, scatter: false);

        var points = BatteryEndOfLifeForecaster.RuntimePoints(battery, Installed.AddYears(3));

        // Two years in, a battery fading 5 % a year runs 117 × 0.9 = 105.3 minutes.
        var twoYears = points.Single(p => p.Time == Installed.AddMonths(24));
        Assert.Equal(105.3, twoYears.Value, 1);
    }

    [Fact]
    public void End_of_life_is_forecast_near_the_date_the_runtime_falls_below_the_rated_duration()
    {
        // Fleet: faster fade the warmer; the battery under test fades 6 % a year: 117 × (1 − 0.06 t) = 90 at t = 3.85 years.
        var fleet = Enumerable.Range(0, 12).Select(i => Battery($"eps-{i:D2}", 0.03 + (0.005 * i), 15 + (2 * i), 3)).ToList();
        var forecaster = BatteryEndOfLifeForecaster.Learn(fleet, Installed.AddYears(3));
        var battery = Battery("eps-99", 0.06, 27, 3);

        var forecast = forecaster.Forecast(battery, Installed.AddYears(3));

        var truth = Installed.AddDays((1 - (1 / 1.3)) / 0.06 * 365.25);
        Assert.NotNull(forecast);
        Assert.Equal(ForecastKind.BatteryEndOfLife, forecast.Kind);
        Assert.InRange(Math.Abs((forecast.Expected - truth).TotalDays), 0, 30);
        Assert.True(forecast.Covers(truth), $"{forecast} truth {truth}");
        Assert.True(forecast.Low <= forecast.Expected && forecast.Expected <= forecast.High);
    }

    [Fact]
    public void A_battery_already_below_its_rated_duration_gets_no_forecast()
    {
        var fleet = Enumerable.Range(0, 12).Select(i => Battery($"eps-{i:D2}", 0.03 + (0.005 * i), 15 + (2 * i), 3)).ToList();
        var forecaster = BatteryEndOfLifeForecaster.Learn(fleet, Installed.AddYears(3));

        Assert.Null(forecaster.Forecast(Battery("eps-98", 0.12, 35, 3), Installed.AddYears(3)));
    }

    [Fact]
    public void Fixed_age_replacement_puts_every_end_of_life_at_the_nominal_age()
    {
        var battery = Battery("eps-01", 0.05, 25, 1);

        Assert.Equal(Installed.AddDays((1 - (1 / 1.3)) / 0.05 * 365.25), FixedAgeReplacement.EndOfLife(battery));
    }
}
