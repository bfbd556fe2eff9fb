using Telemetry.Forecasting.Evaluation;
using Telemetry.Forecasting.History;
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
    public async Task A_plant_written_to_influxdb_reads_back_reading_for_reading()
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
            Assert.Equal(written.Insulation[i].ReadingsMohm, read.Insulation[i].ReadingsMohm);
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

    private static Dictionary<string, DateTimeOffset> Installed(PlantObservations plant) => plant.Batteries.ToDictionary(b => b.Device, b => b.Installed);
}
