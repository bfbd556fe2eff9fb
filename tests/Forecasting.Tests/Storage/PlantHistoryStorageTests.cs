using Telemetry.Forecasting.Evaluation;
using Telemetry.Forecasting.History;
using Telemetry.Forecasting.Insulation;
using Telemetry.Forecasting.Numerics;
using Telemetry.Forecasting.Storage;
using Telemetry.InfluxDb;
using Telemetry.Testing;

namespace Telemetry.Forecasting.Tests.Storage;

/// <summary>A small generated plant written to a real influxd, read back with InfluxQL, and forecast from what was read.</summary>
public sealed class PlantHistoryStorageTests : IAsyncLifetime
{
    private static readonly HistorySettings Settings = new() { Seed = 3, Years = 6, Batteries = 80, Circuits = 60, Masts = 10 };
    private InfluxServer? influx;
    private InfluxClient? client;

    public async Task InitializeAsync()
    {
        influx = await InfluxServer.StartAsync();
        client = new InfluxClient(new InfluxClientOptions { BaseAddress = influx.Url, Database = "telemetry" });
        await client.CreateDatabaseAsync("telemetry");
    }

    public async Task DisposeAsync()
    {
        client?.Dispose();
        if (influx is not null)
        {
            await influx.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_plant_written_to_influxdb_reads_back_reading_for_reading_and_insulation_as_a_mean_a_day()
    {
        var history = PlantHistoryGenerator.Generate(Settings with { Years = 2, Batteries = 10, Circuits = 8, Masts = 2 });
        var written = history.Observations;

        await new PlantHistoryWriter(client!).WriteAsync(written);
        var read = await new PlantHistoryReader(client!).ReadAsync(Installed(written), written.Start, written.End, written.Latitude);

        Assert.Equal(written.Batteries.Select(b => b.Device), read.Batteries.Select(b => b.Device));
        for (var i = 0; i < written.Batteries.Count; i++)
        {
            Assert.Equal(written.Batteries[i].Tests, read.Batteries[i].Tests);
            Assert.Equal(written.Batteries[i].TemperaturesC, read.Batteries[i].TemperaturesC);
            Assert.Equal(written.Batteries[i].RatedMinutes, read.Batteries[i].RatedMinutes);
        }

        Assert.Equal(written.Insulation.Select(b => b.Device), read.Insulation.Select(b => b.Device));
        for (var i = 0; i < written.Insulation.Count; i++)
        {
            Assert.Equal(DailyMeans(written.Insulation[i].ReadingsMohm, written.Start), read.Insulation[i].ReadingsMohm);
        }

        Assert.Equal(written.LampGroups.Select(g => g.Asset).Order(StringComparer.Ordinal), read.LampGroups.Select(g => g.Asset));
        foreach (var group in read.LampGroups)
        {
            var original = written.LampGroups.Single(g => g.Asset == group.Asset);
            Assert.Equal(original.Installed, group.Installed);
            Assert.Equal(original.Lit, group.Lit);
            Assert.Equal(original.Replaced, group.Replaced);
        }
    }

    [Fact]
    public async Task A_box_read_every_few_hours_reads_back_as_one_mean_a_day_without_the_readings_at_the_ceiling()
    {
        var start = new DateTimeOffset(2031, 3, 1, 0, 0, 0, TimeSpan.Zero);
        List<Observation> readings =
        [
            new(start.AddHours(-3), 50),
            new(start.AddHours(1), 10), new(start.AddHours(9), 11), new(start.AddHours(17), 12),
            new(start.AddDays(1).AddHours(2), 655.35), new(start.AddDays(1).AddHours(23), 9.5),
            new(start.AddDays(2).AddHours(6), 655.35),
            new(start.AddDays(3).AddHours(12), 0), new(start.AddDays(3).AddHours(13), 8),
        ];
        var plant = new PlantObservations(start.AddHours(-6), start.AddDays(4), 31, [], [new InsulationRecord("box-daily", readings)], []);
        await new PlantHistoryWriter(client!, "daily").WriteAsync(plant);

        var read = await new PlantHistoryReader(client!).ReadAsync(new Dictionary<string, DateTimeOffset>(), plant.Start, plant.End, plant.Latitude, site: "daily");

        // Each day at its start; a day with only a reading at the ceiling is no day; the part of a day before the first
        // whole one is not read.
        Assert.Equal([new(start, 11), new(start.AddDays(1), 9.5), new(start.AddDays(3), 8)], Assert.Single(read.Insulation).ReadingsMohm);
    }

    [Fact]
    public async Task Forecasts_from_what_influxdb_gives_back_beat_every_naive_baseline_on_a_small_plant()
    {
        var history = PlantHistoryGenerator.Generate(Settings);
        await new PlantHistoryWriter(client!).WriteAsync(history.Observations);
        var read = await new PlantHistoryReader(client!).ReadAsync(Installed(history.Observations), Settings.Start, Settings.End, Settings.Latitude);

        var results = HeldOutEvaluation.Evaluate(read, history, Settings.Start.AddYears(4));

        Assert.All(results, r =>
        {
            Assert.True(r.Judged >= 5, $"{r.Kind}: only {r.Judged} outcomes judged");
            Assert.True(r.Ratio < 1, $"{r.Kind}: model error {r.ModelError:F2} against baseline {r.BaselineError:F2}");
            Assert.InRange(r.Coverage, 0.5, 1);
        });
    }

    /// <summary>What the reader gives for readings: the mean of each UTC day from the first whole one, at its start.</summary>
    private static List<Observation> DailyMeans(IEnumerable<Observation> readings, DateTimeOffset from) =>
        [.. readings
            .Where(r => r.Time >= from.UtcDateTime.Date.AddDays(from.UtcDateTime.TimeOfDay > TimeSpan.Zero ? 1 : 0) && r.Value is > 0 and < 655.35)
            .GroupBy(r => new DateTimeOffset(r.Time.UtcDateTime.Date, TimeSpan.Zero))
            .Select(day => new Observation(day.Key, day.Average(r => r.Value)))];

    private static Dictionary<string, DateTimeOffset> Installed(PlantObservations plant) => plant.Batteries.ToDictionary(b => b.Device, b => b.Installed);
}
