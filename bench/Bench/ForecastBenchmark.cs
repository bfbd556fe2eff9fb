using System.Diagnostics;
using System.Globalization;
using Telemetry.Forecasting;
using Telemetry.Forecasting.Evaluation;
using Telemetry.Forecasting.History;
using Telemetry.Forecasting.Storage;
using Telemetry.InfluxDb;
using Telemetry.Testing;

namespace Telemetry.Bench;

/// <summary>
/// Forecasts checked against what happened: a plant's years of readings generated with known outcomes, written to
/// a real InfluxDB, read back with InfluxQL, fitted on the first half and judged on the rest, each forecast next to
/// the naive baseline judged on the same outcomes in the same run.
/// </summary>
internal static class ForecastBenchmark
{
    /// <summary>Further weather years over which the insulation intervals are judged (one plant's boxes share one weather).</summary>
    private const int InsulationPlants = 8;

    public static async Task RunAsync(int seed)
    {
        var settings = new HistorySettings { Seed = seed };
        var split = settings.Start.AddYears(settings.Years / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Forecasts: {settings.Batteries} batteries, {settings.Circuits} circuits, {(settings.Circuits * settings.LampsPerCircuit) + (settings.Masts * settings.LampsPerMast):N0} lamps over {settings.Years} years (seed {seed}); fitted up to {split:yyyy-MM-dd}, judged after"));

        var started = Stopwatch.GetTimestamp();
        var history = PlantHistoryGenerator.Generate(settings);
        Figures.Value("generating the history", Stopwatch.GetElapsedTime(started).TotalSeconds, "s");

        await using var influx = await InfluxServer.StartAsync();
        using var client = new InfluxClient(new InfluxClientOptions { BaseAddress = influx.Url, Database = "telemetry", Gzip = true });
        await client.CreateDatabaseAsync("telemetry");
        started = Stopwatch.GetTimestamp();
        var points = await new PlantHistoryWriter(client).WriteAsync(history.Observations);
        var writing = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Figures.Value(string.Create(CultureInfo.InvariantCulture, $"writing {points:N0} points to InfluxDB"), writing, "s");
        Figures.Rate("  through the product's client, gzip bodies", points / writing, "points");

        started = Stopwatch.GetTimestamp();
        var installed = history.Observations.Batteries.ToDictionary(b => b.Device, b => b.Installed);
        var read = await new PlantHistoryReader(client).ReadAsync(installed, settings.Start, settings.End, settings.Latitude);
        Figures.Value("reading it back with InfluxQL", Stopwatch.GetElapsedTime(started).TotalSeconds, "s");

        started = Stopwatch.GetTimestamp();
        var results = HeldOutEvaluation.Evaluate(read, history, split, settings.InsulationLimitMohm);
        Figures.Value("fitting, forecasting and judging", Stopwatch.GetElapsedTime(started).TotalSeconds, "s");

        foreach (var result in results)
        {
            var unit = result.Kind == ForecastKind.LampFailures ? "lamps" : "days";
            var what = result.Kind switch
            {
                ForecastKind.BatteryEndOfLife => "battery end of life (baseline: fixed-age replacement)",
                ForecastKind.InsulationTimeToLimit => "insulation below 0.5 MΩ (baseline: last two points)",
                _ => "lamps dark in 30 days (baseline: last period's count)",
            };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what}, {result.Judged:N0} outcomes judged"));
            var format = result.Kind == ForecastKind.LampFailures ? "F3" : "F1";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"  model: mean absolute error",-58} {result.ModelError.ToString(format, CultureInfo.InvariantCulture),14} {unit}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"  baseline: mean absolute error",-58} {result.BaselineError.ToString(format, CultureInfo.InvariantCulture),14} {unit}"));
            Figures.Ratio("  model error / baseline error", result.Ratio, 1, higherIsBetter: false);
            if (result.Kind == ForecastKind.InsulationTimeToLimit)
            {
                // Every box of a plant sees the same weather: one wet summer moves every crossing together, so the share
                // inside the intervals is judged over several plants (weather years), the first being this one.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"  outcomes inside the 80 % intervals, this plant",-58} {result.Coverage * 100,14:F1} %"));
                Coverage(InsulationCoverage(seed, result, settings), $"outcomes inside the 80 % intervals, {InsulationPlants} plants");
            }
            else
            {
                Coverage(result.Coverage, "outcomes inside the 80 % intervals");
            }
        }
    }

    private static void Coverage(double coverage, string what)
    {
        var met = coverage is >= 0.7 and <= 0.9;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {"  " + what,-58} {coverage * 100,14:F1} %   (target 70-90 %: {(met ? "met" : "NOT met")})"));
    }

    /// <summary>
    /// The share of insulation crossings inside their intervals over <see cref="InsulationPlants"/> plants: this run's (read
    /// back from InfluxDB) and plants of the following seeds judged in memory (their boxes only), pooled by outcome.
    /// </summary>
    private static double InsulationCoverage(int seed, KindEvaluation first, HistorySettings settings)
    {
        var covered = first.Coverage * first.Judged;
        var judged = (double)first.Judged;
        var low = first.Coverage;
        var high = first.Coverage;
        for (var other = seed + 1; other < seed + InsulationPlants; other++)
        {
            var plant = settings with { Seed = other, Batteries = 0, Masts = 0, LampsPerCircuit = 0 };
            var history = PlantHistoryGenerator.Generate(plant);
            var result = HeldOutEvaluation.Insulation(history.Observations, history, plant.Start.AddYears(plant.Years / 2), plant.InsulationLimitMohm);
            covered += result.Coverage * result.Judged;
            judged += result.Judged;
            low = Math.Min(low, result.Coverage);
            high = Math.Max(high, result.Coverage);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {$"  plants of seeds {seed} to {seed + InsulationPlants - 1}: {judged:N0} crossings, per plant",-58} {low * 100,6:F1} to {high * 100:F1} %"));
        return judged > 0 ? covered / judged : 0;
    }
}
