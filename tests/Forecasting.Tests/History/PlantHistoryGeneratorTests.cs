using Telemetry.Forecasting.Batteries;
using Telemetry.Forecasting.History;

namespace Telemetry.Forecasting.Tests.History;

public sealed class PlantHistoryGeneratorTests
{
    private static readonly HistorySettings Small = new() { Seed = 7, Years = 3, Batteries = 30, Circuits = 12, Masts = 3 };

    [Fact]
    public void The_same_seed_gives_the_same_history_and_another_seed_another()
    {
        var first = PlantHistoryGenerator.Generate(Small);
        var again = PlantHistoryGenerator.Generate(Small);
        var other = PlantHistoryGenerator.Generate(Small with { Seed = 8 });

        Assert.Equal(Flatten(first), Flatten(again));
        Assert.Equal(first.Batteries.Values, again.Batteries.Values);
        Assert.Equal(first.Insulation.Values, again.Insulation.Values);
        Assert.NotEqual(Flatten(first), Flatten(other));
    }

    [Fact]
    public void The_plant_has_the_size_asked_for()
    {
        var history = PlantHistoryGenerator.Generate(Small);

        Assert.Equal(30, history.Observations.Batteries.Count);
        Assert.Equal(12, history.Observations.Insulation.Count);
        Assert.Equal(15, history.Observations.LampGroups.Count);
        Assert.Equal((12 * 20) + (3 * 20), history.Observations.LampGroups.Sum(g => g.Installed));
        // Daily readings over three years; a full discharge a year and two one-hour runs.
        Assert.All(history.Observations.Insulation, b => Assert.InRange(b.ReadingsMohm.Count, 1095, 1097));
        Assert.All(history.Observations.Batteries, b => Assert.InRange(b.Tests.Count(t => t.Kind == BatteryTestKind.FullDuration), 3, 3));
    }

    [Fact]
    public void Every_battery_test_agrees_with_the_true_fade_and_the_end_of_life_is_where_runtime_meets_the_rating()
    {
        var history = PlantHistoryGenerator.Generate(Small);

        foreach (var battery in history.Observations.Batteries)
        {
            var truth = history.Batteries[battery.Device];
            double Full(DateTimeOffset t) => PlantPhysics.FullRuntimeMinutes(90, 1 - (truth.FadePerYear * (t - battery.Installed).TotalDays / 365.25));
            Assert.Equal(90, Full(truth.EndOfLife), 6);
            foreach (var test in battery.Tests)
            {
                var planned = test.Kind == BatteryTestKind.FullDuration ? 90 : 60;
                // Tests scatter by 1.5 % (four and a half deviations allowed).
                Assert.InRange(test.RuntimeMinutes, Math.Min(planned, Full(test.Time) * 0.93), Math.Min(planned, Full(test.Time) * 1.07));
            }
        }
    }

    [Fact]
    public void Insulation_readings_stay_above_the_limit_until_the_true_crossing_and_read_below_it_on_that_day()
    {
        var history = PlantHistoryGenerator.Generate(Small with { Circuits = 40 });
        var crossed = 0;

        foreach (var box in history.Observations.Insulation)
        {
            var crossing = history.Insulation[box.Device].CrossesLimit;
            // Readings scatter by 2 % and are rounded to 0.01 MΩ.
            Assert.All(box.ReadingsMohm.Where(r => r.Time < crossing), r => Assert.True(r.Value >= (0.5 * 0.92) - 0.01, $"{box.Device} read {r.Value} on {r.Time:d} before crossing on {crossing:d}"));
            foreach (var reading in box.ReadingsMohm.Where(r => r.Time == crossing))
            {
                Assert.True(reading.Value <= (0.5 * 1.09) + 0.01);
                crossed++;
            }
        }

        Assert.True(crossed > 0, "some box should cross the limit inside three years");
    }

    [Fact]
    public void The_lamps_gone_dark_by_the_readings_are_the_true_failures()
    {
        var history = PlantHistoryGenerator.Generate(Small);
        var total = 0;

        foreach (var group in history.Observations.LampGroups)
        {
            var failures = history.LampGroups[group.Asset].Failures;
            for (var i = 30; i < group.Lit.Count; i += 30)
            {
                var (from, to) = (group.Lit[i - 30].Time, group.Lit[i].Time);
                Assert.Equal(failures.Count(f => f > from && f <= to), group.FailuresBetween(from, to));
            }

            total += failures.Count;
        }

        Assert.True(total > 0);
    }

    private static List<double> Flatten(PlantHistory history) =>
        [
            .. history.Observations.Batteries.SelectMany(b => b.Tests.SelectMany(t => new[] { t.RuntimeMinutes, t.EndVolts, t.Time.ToUnixTimeSeconds() })),
            .. history.Observations.Batteries.SelectMany(b => b.TemperaturesC.Select(t => t.Value)),
            .. history.Observations.Insulation.SelectMany(b => b.ReadingsMohm.Select(r => r.Value)),
            .. history.Observations.LampGroups.SelectMany(g => g.Lit.Select(r => r.Value).Concat(g.Replaced.Select(r => r.Value))),
        ];
}
