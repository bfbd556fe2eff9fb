using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;
using Telemetry.Forecasting;
using Telemetry.Forecasting.History;
using Telemetry.Forecasting.Storage;
using Telemetry.InfluxDb;
using Telemetry.Maintenance.Forecasts;
using Telemetry.Maintenance.ServiceLevels;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.WorkOrders;
using Telemetry.Rules.Predictive;
using Telemetry.Testing;

namespace Telemetry.Rules.Tests.Predictive;

/// <summary>
/// The forecasting run against a real influxd holding a generated plant history and a real SQLite file: forecasts
/// stored, predictive work orders opened where the generated truth falls within the lead time, none doubled on a
/// second run, a serviced battery forecast from new, and InfluxDB down leaving the previous forecasts.
/// </summary>
public sealed class ForecastRunTests : IAsyncLifetime
{
    private static readonly HistorySettings Settings = new() { Seed = 3, Years = 6, Batteries = 24, Circuits = 12, Masts = 2 };
    private static readonly DateTimeOffset AsOf = Settings.Start.AddYears(4);
    private static readonly PredictiveLeadTimes Lead = new() { BatteryEndOfLife = TimeSpan.FromDays(365), InsulationTimeToLimit = TimeSpan.FromDays(365) };
    private readonly string folder = Directory.CreateTempSubdirectory("telemetry-forecast-").FullName;
    private readonly FakeTimeProvider time = new(AsOf);
    private InfluxServer? influx;
    private InfluxClient? client;
    private PlantHistory history = null!;
    private Site site = null!;

    public async Task InitializeAsync()
    {
        influx = await InfluxServer.StartAsync();
        client = new InfluxClient(new InfluxClientOptions { BaseAddress = influx.Url, Database = "telemetry" });
        await client.CreateDatabaseAsync("telemetry");
        history = PlantHistoryGenerator.Generate(Settings);
        await new PlantHistoryWriter(client, PlantRig.SiteId, PlantRig.GatewayId).WriteAsync(history.Observations);
        site = PlantSite(history.Observations);
    }

    public async Task DisposeAsync()
    {
        client?.Dispose();
        if (influx is not null)
        {
            await influx.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task The_run_stores_forecasts_and_opens_predictive_work_orders_where_the_truth_falls_within_the_lead_time_once_only()
    {
        var database = new SqliteDatabase(Path.Combine(folder, "maintenance.db"));
        var store = new SqliteWorkOrderStore(database);
        var forecasts = new SqliteForecastStore(database);

        var run = Run(database);
        await run.RunAsync([site], CancellationToken.None);
        var stored = await forecasts.ListAsync(PlantRig.SiteId, null, CancellationToken.None);
        var orders = await store.ListAsync(new WorkOrderQuery { Site = PlantRig.SiteId, Limit = WorkOrderQuery.MaxLimit }, CancellationToken.None);

        Assert.Equal(0, run.FailedSites);
        var alive = history.Batteries.Values.Count(b => b.EndOfLife > AsOf);
        Assert.InRange(stored.Count(f => f.Forecast.Kind == ForecastKind.BatteryEndOfLife), alive - 2, alive);
        Assert.Equal(history.Observations.LampGroups.Count, stored.Count(f => f.Forecast.Kind == ForecastKind.LampFailures));
        Assert.All(stored, f => Assert.InRange(f.Chart.Observations.Count, 1, ForecastChart.MaxPoints));
        Assert.All(stored.Where(f => f.Forecast.Kind == ForecastKind.InsulationTimeToLimit), f => Assert.Equal(0.5, f.Chart.Limit));

        // Exactly the stored forecasts within the lead time have a work order, one each.
        var within = stored.Select(f => f.Forecast).OfType<DateForecast>().Where(f => PredictiveWorkOrders.WithinLeadTime(f, AsOf, Lead.For(f.Kind)))
            .Select(f => f.Asset).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(within, orders.Where(o => o.Task.IsPredictive()).Select(o => o.Asset.Device!).Order(StringComparer.Ordinal));
        Assert.All(orders.Where(o => o.Task.IsPredictive()), o => Assert.Equal(Telemetry.Maintenance.Faults.FaultGrade.Grade3, o.Grade));

        // Against the generated truth: most assets that truly reach their limit within the lead time got one, and no
        // asset whose truth is years away did.
        var truthWithin = history.Batteries.Values.Where(b => b.EndOfLife > AsOf && b.EndOfLife <= AsOf + Lead.BatteryEndOfLife).Select(b => b.Device)
            .Concat(history.Insulation.Values.Where(b => b.CrossesLimit > AsOf && b.CrossesLimit <= AsOf + Lead.InsulationTimeToLimit).Select(b => b.Device)).ToList();
        var farAway = history.Batteries.Values.Where(b => b.EndOfLife > AsOf + TimeSpan.FromDays(4 * 365)).Select(b => b.Device)
            .Concat(history.Insulation.Values.Where(b => b.CrossesLimit > AsOf + TimeSpan.FromDays(8 * 365)).Select(b => b.Device)).ToList();
        Assert.NotEmpty(truthWithin);
        Assert.True(truthWithin.Count(within.Contains) >= 0.7 * truthWithin.Count, $"{truthWithin.Count(within.Contains)} of {truthWithin.Count} due assets got a work order");
        Assert.Empty(farAway.Intersect(within));

        // Lamp forecasts: the masts' next patrol carries spares (the scheduler made the patrols).
        await new WorkOrderScheduler(store, new SqliteMaintenanceIntervalStore(database), time, TimeSpan.FromDays(14)).RunAsync([site], CancellationToken.None);
        await run.RunAsync([site], CancellationToken.None);
        var patrols = await store.ListAsync(new WorkOrderQuery { Site = PlantRig.SiteId, Task = MaintenanceTask.HighMastPatrol, Limit = WorkOrderQuery.MaxLimit }, CancellationToken.None);
        Assert.All(patrols.GroupBy(p => p.Asset.Device), g => Assert.NotNull(g.OrderBy(p => p.DueDate).First().Spares));

        // A second run and a restarted one double nothing.
        await Run(new SqliteDatabase(database.Path)).RunAsync([site], CancellationToken.None);
        var again = await store.ListAsync(new WorkOrderQuery { Site = PlantRig.SiteId, Limit = WorkOrderQuery.MaxLimit }, CancellationToken.None);
        Assert.Equal(orders.Count(o => o.Task.IsPredictive()), again.Count(o => o.Task.IsPredictive()));
    }

    [Fact]
    public async Task A_replaced_battery_is_forecast_from_new_and_influxdb_down_keeps_the_previous_forecasts()
    {
        var database = new SqliteDatabase(Path.Combine(folder, "maintenance.db"));
        var store = new SqliteWorkOrderStore(database);
        var forecasts = new SqliteForecastStore(database);
        var run = Run(database);
        await run.RunAsync([site], CancellationToken.None);
        var order = (await store.ListAsync(new WorkOrderQuery { Site = PlantRig.SiteId, Task = MaintenanceTask.PredictiveBatteryReplacement }, CancellationToken.None))[0];

        time.Advance(TimeSpan.FromDays(2));
        await store.ChangeAsync(order.Number, o => o.Start("crew-a", time.GetUtcNow()), CancellationToken.None);
        await store.ChangeAsync(order.Number, o => o.Complete("crew-a", time.GetUtcNow(), o.Checklist.ToDictionary(i => i.Code, _ => true), new Dictionary<string, double>(), null, site), CancellationToken.None);
        var servicedAt = time.GetUtcNow();
        time.Advance(TimeSpan.FromDays(1));
        await run.RunAsync([site], CancellationToken.None);

        var renewed = (await forecasts.ListAsync(PlantRig.SiteId, ForecastKind.BatteryEndOfLife, CancellationToken.None)).Single(f => f.Forecast.Asset == order.Asset.Device);
        Assert.Equal(servicedAt, renewed.Chart.Observations[0].Time);
        Assert.True(((DateForecast)renewed.Forecast).Low > time.GetUtcNow() + Lead.BatteryEndOfLife, "a new battery is far from its end of life");
        var batteryOrders = await store.ListAsync(new WorkOrderQuery { AssetKey = order.Asset.Key, Task = MaintenanceTask.PredictiveBatteryReplacement }, CancellationToken.None);
        Assert.Equal([WorkOrderStatus.Done], batteryOrders.Select(o => o.Status));

        var before = await forecasts.ListAsync(PlantRig.SiteId, null, CancellationToken.None);
        await influx!.DisposeAsync();
        influx = null;
        time.Advance(TimeSpan.FromDays(1));
        await run.RunAsync([site], CancellationToken.None);

        Assert.Equal(1, run.FailedSites);
        Assert.Equal(before.Select(f => f.Forecast), (await forecasts.ListAsync(PlantRig.SiteId, null, CancellationToken.None)).Select(f => f.Forecast));
    }

    [Fact]
    public async Task Without_a_register_a_battery_counts_as_installed_at_its_first_record()
    {
        var batteries = site.Devices.Where(d => d.Family == Telemetry.Contracts.DeviceFamily.EmergencyBattery).ToList();

        var installed = await new FirstRecordInstallation(client!).InstalledAsync(site, batteries, CancellationToken.None);

        Assert.Equal(batteries.Count, installed.Count);
        foreach (var battery in history.Observations.Batteries)
        {
            var first = battery.TemperaturesC[0].Time < battery.Tests[0].Time ? battery.TemperaturesC[0].Time : battery.Tests[0].Time;
            Assert.Equal(first, installed[battery.Device]);
        }
    }

    [Fact]
    public async Task A_battery_the_register_dates_counts_from_its_commissioning_day_in_the_site_time_zone_and_the_others_from_their_first_record()
    {
        var batteries = site.Devices.Where(d => d.Family == Telemetry.Contracts.DeviceFamily.EmergencyBattery).ToList();
        var registered = batteries[0] with { Commissioned = new DateOnly(2019, 6, 15) };
        var registeredSite = site with
        {
            Gateways = [.. site.Gateways.Select(g => g with { Devices = [.. g.Devices.Select(d => d.Id == registered.Id ? registered : d)] })],
        };
        var all = registeredSite.Devices.Where(d => d.Family == Telemetry.Contracts.DeviceFamily.EmergencyBattery).ToList();

        var installed = await new RegisteredInstallation(new FirstRecordInstallation(client!)).InstalledAsync(registeredSite, all, CancellationToken.None);
        var firstRecords = await new FirstRecordInstallation(client!).InstalledAsync(site, batteries, CancellationToken.None);

        Assert.Equal(all.Count, installed.Count);
        var offset = registeredSite.TimeZone.GetUtcOffset(new DateTime(2019, 6, 15));
        Assert.Equal(new DateTimeOffset(2019, 6, 15, 0, 0, 0, offset), installed[registered.Id]);
        Assert.All(all.Skip(1), b => Assert.Equal(firstRecords[b.Id], installed[b.Id]));
    }

    private ForecastRun Run(SqliteDatabase database) => new(
        new PlantHistoryReader(client ?? new InfluxClient(new InfluxClientOptions { BaseAddress = new Uri("http://127.0.0.1:9"), Database = "telemetry" })),
        new RegisterInstallation(history.Observations),
        new SqliteForecastStore(database),
        new PredictiveWorkOrders(new SqliteWorkOrderStore(database), new DefaultTerms(), time),
        new ForecastOptions { LeadTimes = Lead },
        time,
        NullLogger<ForecastRun>.Instance);

    /// <summary>The plant's devices as a site file lists them.</summary>
    private Site PlantSite(PlantObservations plant)
    {
        var devices = plant.Batteries.Select(b => new PlantDevice(b.Device, "yd-eps1k", "emergency_battery", true, 0, 60))
            .Concat(plant.Insulation.Select(b => new PlantDevice(b.Device, "ak-dbm300", "distribution_box", false, 0, 60)))
            .Concat(plant.LampGroups.Select(g => g.Device).Distinct().Select(d => d.StartsWith("mast", StringComparison.Ordinal)
                ? new PlantDevice(d, "jg-hmc24", "high_mast", true, 0, 60, Lamps: Settings.LampsPerMast)
                : new PlantDevice(d, "mg-slc4", "street_controller", false, 0, 60, Lamps: 4 * Settings.LampsPerCircuit)))
            .Select((d, i) => d with { Unit = i + 1 })
            .ToList();
        var file = Path.Combine(folder, "site.json");
        File.WriteAllText(file, PlantRig.SiteJson(new PlantRigOptions { Devices = devices }, "/dev/ttyRIG0", 1502));
        return SiteLoader.LoadFile(file, ProfileLoader.LoadDirectory(Path.Combine(RepositoryPaths.Hardware, "profiles")), new SiteLoadOptions { Environment = _ => null });
    }

    /// <summary>Installation dates as an asset register gives them: here, the generated plant's own.</summary>
    private sealed class RegisterInstallation(PlantObservations plant) : IBatteryInstallationSource
    {
        public Task<IReadOnlyDictionary<string, DateTimeOffset>> InstalledAsync(Site site, IReadOnlyList<SiteDevice> batteries, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, DateTimeOffset>>(plant.Batteries.ToDictionary(b => b.Device, b => b.Installed, StringComparer.Ordinal));
    }

    private sealed class DefaultTerms : IServiceLevelSource
    {
        public ServiceLevelTerms Current => ServiceLevelTerms.Default;
    }
}
