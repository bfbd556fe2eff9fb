using System.Text.Json;
using Microsoft.Extensions.Logging;
using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Forecasting;
using Telemetry.Forecasting.Batteries;
using Telemetry.Forecasting.History;
using Telemetry.Forecasting.Insulation;
using Telemetry.Forecasting.Lamps;
using Telemetry.Forecasting.Numerics;
using Telemetry.Forecasting.Storage;
using Telemetry.Hosting;
using Telemetry.Maintenance.Forecasts;
using Telemetry.Maintenance.WorkOrders;

namespace Telemetry.Rules.Predictive;

/// <summary>What the forecasting job reads, and how close a forecast must come to open a work order.</summary>
public sealed record ForecastOptions
{
    /// <summary>How far back the plant history is read.</summary>
    public TimeSpan History { get; init; } = TimeSpan.FromDays(6 * 365);

    public PredictiveLeadTimes LeadTimes { get; init; } = new();

    /// <summary>The insulation limit, in MΩ (domain: 0.5 MΩ at a 500 V test).</summary>
    public double InsulationLimitMohm { get; init; } = 0.5;
}

/// <summary>
/// One forecasting pass over the plant (domain section 7): reads each site's history from InfluxDB, forecasts battery
/// end of life, insulation time to limit and lamp failures, stores the latest forecast per asset and kind, and opens
/// or revises the predictive work orders. History before an asset's last service (its predictive work order done)
/// belongs to the old battery or insulation: a replaced battery starts from new. A site whose history cannot be read
/// keeps its previous forecasts; a kind the plant is too small to learn keeps its previous forecasts too.
/// </summary>
public sealed partial class ForecastRun(
    PlantHistoryReader reader,
    IBatteryInstallationSource installations,
    IForecastStore store,
    PredictiveWorkOrders orders,
    ForecastOptions options,
    TimeProvider time,
    ILogger<ForecastRun> logger) : IHealthSource
{
    private long runs;
    private long failedSites;
    private long forecastsMade;
    private long opened;
    private long revised;

    public string Name => "forecasts";

    public HealthVerdict Verdict => HealthVerdict.Healthy;

    /// <summary>Sites whose forecasts could not be made (InfluxDB unreachable, a store failure) since start.</summary>
    public long FailedSites => Interlocked.Read(ref failedSites);

    public long Runs => Interlocked.Read(ref runs);

    /// <summary>Forecasts every site of <paramref name="sites"/>; a failing site is logged and counted and the next is forecast.</summary>
    public async Task RunAsync(IReadOnlyList<Site> sites, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sites);
        Interlocked.Increment(ref runs);
        foreach (var site in sites)
        {
            try
            {
                await RunSiteAsync(site, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref failedSites);
                LogSiteFailed(logger, site.Id, ex.Message, ex);
            }
        }
    }

    public void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumber("runs", Runs);
        writer.WriteNumber("failed_sites", FailedSites);
        writer.WriteNumber("forecasts", Interlocked.Read(ref forecastsMade));
        writer.WriteNumber("work_orders_opened", Interlocked.Read(ref opened));
        writer.WriteNumber("work_orders_revised", Interlocked.Read(ref revised));
    }

    private async Task RunSiteAsync(Site site, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var servicedBatteries = await orders.ServicedAsync(site, ForecastKind.BatteryEndOfLife, cancellationToken).ConfigureAwait(false);
        var servicedBoxes = await orders.ServicedAsync(site, ForecastKind.InsulationTimeToLimit, cancellationToken).ConfigureAwait(false);
        var batteries = site.Devices.Where(d => d.Family == DeviceFamily.EmergencyBattery).ToList();
        var installed = (await installations.InstalledAsync(site, batteries, cancellationToken).ConfigureAwait(false))
            .ToDictionary(b => b.Key, b => servicedBatteries.TryGetValue(b.Key, out var serviced) && serviced > b.Value ? serviced : b.Value, StringComparer.Ordinal);
        var plant = await reader.ReadAsync(installed, now - options.History, now, site.Latitude, cancellationToken, site.Id).ConfigureAwait(false);

        var dates = new List<DateForecast>();
        if (ForecastBatteries(site, plant, servicedBatteries, now) is { } batteryForecasts)
        {
            await store.ReplaceAsync(site.Id, ForecastKind.BatteryEndOfLife, batteryForecasts, cancellationToken).ConfigureAwait(false);
            dates.AddRange(batteryForecasts.Select(f => (DateForecast)f.Forecast));
        }

        if (ForecastInsulation(site, plant, servicedBoxes, now) is { } boxForecasts)
        {
            await store.ReplaceAsync(site.Id, ForecastKind.InsulationTimeToLimit, boxForecasts, cancellationToken).ConfigureAwait(false);
            dates.AddRange(boxForecasts.Select(f => (DateForecast)f.Forecast));
        }

        var lampForecasts = ForecastLamps(site, plant, now);
        if (lampForecasts is not null)
        {
            await store.ReplaceAsync(site.Id, ForecastKind.LampFailures, lampForecasts, cancellationToken).ConfigureAwait(false);
        }

        var outcome = await orders.ApplyAsync(site, dates, options.LeadTimes, cancellationToken).ConfigureAwait(false);
        var spares = lampForecasts is null ? 0
            : await orders.CarrySparesAsync(site, [.. lampForecasts.Select(f => (CountForecast)f.Forecast)], cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref opened, outcome.Opened);
        Interlocked.Add(ref revised, outcome.Revised);
        LogSiteForecast(logger, site.Id, dates.Count + (lampForecasts?.Count ?? 0), outcome.Opened, outcome.Revised, spares);
    }

    private List<StoredForecast>? ForecastBatteries(Site site, PlantObservations plant, IReadOnlyDictionary<string, DateTimeOffset> serviced, DateTimeOffset now)
    {
        // The old battery's tests are not the new one's: only tests after its replacement count.
        var fleet = plant.Batteries.Select(b => serviced.TryGetValue(b.Device, out var at) ? b with { Tests = [.. b.Tests.Where(t => t.Time > at)] } : b).ToList();
        BatteryEndOfLifeForecaster forecaster;
        try
        {
            forecaster = BatteryEndOfLifeForecaster.Learn(fleet, now);
        }
        catch (ArgumentException ex)
        {
            LogCannotLearn(logger, site.Id, PredictiveWorkOrders.KindName(ForecastKind.BatteryEndOfLife), ex.Message);
            return null;
        }

        var stored = new List<StoredForecast>();
        foreach (var battery in fleet)
        {
            if (forecaster.Forecast(battery, now) is not { } forecast)
            {
                continue;
            }

            var points = BatteryEndOfLifeForecaster.RuntimePoints(battery, now);
            stored.Add(new StoredForecast(site.Id, forecast, new ForecastChart("min", battery.RatedMinutes, ForecastChart.Thin(points), Trend(points, forecast, battery.RatedMinutes, log: false))));
        }

        Interlocked.Add(ref forecastsMade, stored.Count);
        return stored;
    }

    private List<StoredForecast>? ForecastInsulation(Site site, PlantObservations plant, IReadOnlyDictionary<string, DateTimeOffset> serviced, DateTimeOffset now)
    {
        // A repaired circuit's insulation starts again: readings before the repair are the old cable's.
        var boxes = plant.Insulation.Select(b => serviced.TryGetValue(b.Device, out var at) ? b with { ReadingsMohm = [.. b.ReadingsMohm.Where(r => r.Time > at)] } : b).ToList();
        InsulationTimeToLimitForecaster forecaster;
        try
        {
            forecaster = InsulationTimeToLimitForecaster.Learn(boxes, now, options.InsulationLimitMohm);
        }
        catch (ArgumentException ex)
        {
            LogCannotLearn(logger, site.Id, PredictiveWorkOrders.KindName(ForecastKind.InsulationTimeToLimit), ex.Message);
            return null;
        }

        var stored = new List<StoredForecast>();
        foreach (var box in boxes)
        {
            if (forecaster.Forecast(box, now) is not { } forecast)
            {
                continue;
            }

            var readings = box.ReadingsMohm.Where(r => r.Time <= now && r.Value > 0).ToList();
            stored.Add(new StoredForecast(site.Id, forecast,
                new ForecastChart("MΩ", options.InsulationLimitMohm, ForecastChart.Thin(readings), Trend(readings, forecast, options.InsulationLimitMohm, log: true))));
        }

        Interlocked.Add(ref forecastsMade, stored.Count);
        return stored;
    }

    private List<StoredForecast>? ForecastLamps(Site site, PlantObservations plant, DateTimeOffset now)
    {
        if (plant.LampGroups.Count == 0 || plant.LampGroups.All(g => g.Installed == 0))
        {
            return null;
        }

        var forecaster = LampFailureForecaster.Learn(plant.LampGroups, now, site.Latitude);
        var stored = plant.LampGroups.Where(g => g.Installed > 0)
            .Select(g => new StoredForecast(site.Id, forecaster.Forecast(g, now, PredictiveWorkOrders.SparesPeriod),
                new ForecastChart("lamps", null, ForecastChart.Thin([.. g.Lit.Where(o => o.Time <= now)]), [])))
            .ToList();
        Interlocked.Add(ref forecastsMade, stored.Count);
        return stored;
    }

    /// <summary>The trend a chart draws: the observations' line from their start, on to the limit at the expected date.</summary>
    private static List<Observation> Trend(IReadOnlyList<Observation> points, DateForecast forecast, double limit, bool log)
    {
        if (points.Count == 0)
        {
            return [];
        }

        var start = points[0];
        if (points.Count >= 2 && points.Any(p => p.Time != start.Time))
        {
            var fit = LinearTrend.Fit([.. points.Select(p => p with { Value = log ? Math.Log(p.Value) : p.Value })]);
            var value = fit.ValueAt(start.Time);
            start = start with { Value = log ? Math.Exp(value) : value };
        }

        return [start, new Observation(forecast.Expected, limit)];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Forecast site {Site}: {Forecasts} forecasts, {Opened} predictive work orders opened, {Revised} revised, spare lamps set on {Patrols} patrols")]
    private static partial void LogSiteForecast(ILogger logger, string site, int forecasts, int opened, int revised, int patrols);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forecast site {Site}: cannot learn {Kind} from the plant, previous forecasts kept: {Reason}")]
    private static partial void LogCannotLearn(ILogger logger, string site, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Forecast site {Site} failed, previous forecasts kept: {Reason}")]
    private static partial void LogSiteFailed(ILogger logger, string site, string reason, Exception exception);
}
