using Microsoft.Extensions.Time.Testing;
using Telemetry.Contracts;
using Telemetry.Forecasting;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.ServiceLevels;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tests.Storage;
using Telemetry.Maintenance.WorkOrders;

namespace Telemetry.Maintenance.Tests.WorkOrders;

/// <summary>Predictive work orders from forecasts, on a real SQLite file with a fake clock.</summary>
public sealed class PredictiveWorkOrderTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);
    private static readonly PredictiveLeadTimes Lead = new();
    private readonly TemporaryDatabase database = new();
    private readonly FakeTimeProvider time = new(Now);

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task A_battery_forecast_whose_interval_reaches_into_the_lead_time_opens_one_grade3_work_order_due_before_its_low_end()
    {
        var forecast = Battery("eps-02", expectedDays: 100, lowDays: 40, highDays: 160);

        var outcome = await Orders().ApplyAsync(DemoPlant.Site, [forecast], Lead, CancellationToken.None);

        Assert.Equal(1, outcome.Opened);
        var order = Assert.Single(await PredictiveOrdersAsync("eps-02"));
        Assert.Equal(MaintenanceTask.PredictiveBatteryReplacement, order.Task);
        Assert.Equal(FaultGrade.Grade3, order.Grade);
        Assert.Equal(WorkOrderStatus.Planned, order.Status);
        Assert.Equal(MaintenancePlan.LocalDay(DemoPlant.Site, forecast.Low).AddDays(-1), order.DueDate);
        Assert.Equal("eps-02 will fail its yearly test around 2027-03, 80 % interval 2027-01 to 2027-05", order.Reason);
        Assert.Equal(new PredictiveBasis("battery_end_of_life", Now, forecast.Expected, forecast.Low, forecast.High), order.Basis);
        Assert.Equal("crew-central", order.Crew);
    }

    [Fact]
    public async Task A_forecast_beyond_the_lead_time_opens_nothing()
    {
        var outcome = await Orders().ApplyAsync(DemoPlant.Site, [Battery("eps-01", 400, 300, 500), Box("box-01", 500, 200, 900)], Lead, CancellationToken.None);

        Assert.Equal(0, outcome.Opened);
        Assert.Empty(await new SqliteWorkOrderStore(new SqliteDatabase(database.Path)).ListAsync(new WorkOrderQuery(), CancellationToken.None));
    }

    [Fact]
    public async Task The_same_forecast_on_a_second_run_and_after_a_restart_leaves_one_work_order()
    {
        var forecasts = new[] { Battery("eps-02", 100, 40, 160), Box("box-03", 70, 20, 120) };

        await Orders().ApplyAsync(DemoPlant.Site, forecasts, Lead, CancellationToken.None);
        var second = await Orders().ApplyAsync(DemoPlant.Site, forecasts, Lead, CancellationToken.None);
        time.Advance(TimeSpan.FromDays(1));
        // A restart: a new store and policy on the same file, and the same forecasts made again a day later.
        var restarted = new PredictiveWorkOrders(new SqliteWorkOrderStore(new SqliteDatabase(database.Path)), new DefaultTerms(), time);
        var third = await restarted.ApplyAsync(DemoPlant.Site, forecasts, Lead, CancellationToken.None);

        Assert.Equal((0, 0), (second.Opened, second.Revised));
        Assert.Equal((0, 0), (third.Opened, third.Revised));
        Assert.Single(await PredictiveOrdersAsync("eps-02"));
        var box = Assert.Single(await PredictiveOrdersAsync("box-03"));
        Assert.Equal(MaintenanceTask.PredictiveInsulationRepair, box.Task);
        Assert.Equal([PointNames.InsulationMohm], box.Task.RequiredReadings());
    }

    [Fact]
    public async Task A_moved_forecast_revises_the_open_work_order_and_keeps_what_it_said_before()
    {
        await Orders().ApplyAsync(DemoPlant.Site, [Battery("eps-02", 100, 40, 160)], Lead, CancellationToken.None);
        var before = Assert.Single(await PredictiveOrdersAsync("eps-02"));
        time.Advance(TimeSpan.FromDays(7));

        var moved = Battery("eps-02", 70, 30, 110);
        var outcome = await Orders().ApplyAsync(DemoPlant.Site, [moved], Lead, CancellationToken.None);

        Assert.Equal((0, 1), (outcome.Opened, outcome.Revised));
        var after = Assert.Single(await PredictiveOrdersAsync("eps-02"));
        Assert.Equal(before.Number, after.Number);
        Assert.Equal(MaintenancePlan.LocalDay(DemoPlant.Site, moved.Low).AddDays(-1), after.DueDate);
        Assert.Equal(moved.Sentence(PredictiveWorkOrders.ReasonWording), after.Reason);
        var revision = Assert.Single(after.Revisions);
        Assert.Equal((before.DueDate, before.Reason, before.Basis), (revision.DueDate, revision.Reason, revision.Basis));
        Assert.Equal(time.GetUtcNow(), revision.At);
    }

    [Fact]
    public async Task A_forecast_that_leaves_the_lead_time_leaves_the_work_order_open_for_the_crew_to_decide()
    {
        await Orders().ApplyAsync(DemoPlant.Site, [Box("box-03", 70, 20, 120)], Lead, CancellationToken.None);

        await Orders().ApplyAsync(DemoPlant.Site, [Box("box-03", 600, 400, 900)], Lead, CancellationToken.None);

        var order = Assert.Single(await PredictiveOrdersAsync("box-03"));
        Assert.True(order.Status.IsOpen());
        Assert.Single(order.Revisions);
    }

    [Fact]
    public async Task A_low_end_nearer_than_the_grade3_fix_time_gives_the_crew_that_time_and_never_a_day_in_the_past()
    {
        await Orders().ApplyAsync(DemoPlant.Site, [Battery("eps-03", 20, -5, 60)], Lead, CancellationToken.None);

        var order = Assert.Single(await PredictiveOrdersAsync("eps-03"));
        Assert.Equal(MaintenancePlan.LocalDay(DemoPlant.Site, Now + ServiceLevelPolicy.Default.Grade3Fix!.Value), order.DueDate);
    }

    [Fact]
    public async Task Once_serviced_the_asset_counts_from_the_service_and_a_later_forecast_opens_a_new_work_order()
    {
        var store = new SqliteWorkOrderStore(new SqliteDatabase(database.Path));
        await Orders().ApplyAsync(DemoPlant.Site, [Battery("eps-02", 100, 40, 160)], Lead, CancellationToken.None);
        var order = Assert.Single(await PredictiveOrdersAsync("eps-02"));
        time.Advance(TimeSpan.FromDays(10));
        await store.ChangeAsync(order.Number, o => o.Start("crew-central", time.GetUtcNow()), CancellationToken.None);
        await store.ChangeAsync(order.Number, o => o.Complete("crew-central", time.GetUtcNow(), o.Checklist.ToDictionary(i => i.Code, _ => true),
            new Dictionary<string, double>(), "new battery fitted", DemoPlant.Site), CancellationToken.None);

        var serviced = await Orders().ServicedAsync(DemoPlant.Site, ForecastKind.BatteryEndOfLife, CancellationToken.None);
        // The same old forecast must not count the done work order as open: it opens a second one, numbered apart.
        time.Advance(TimeSpan.FromDays(1));
        await Orders().ApplyAsync(DemoPlant.Site, [Battery("eps-02", 60, 20, 100)], Lead, CancellationToken.None);

        Assert.Equal(Now.AddDays(10), serviced["eps-02"]);
        Assert.Throws<WorkOrderLifecycleException>(() => (store.FindAsync(order.Number, CancellationToken.None).Result!)
            .Revise("again", order.DueDate, order.DueAt, order.Basis!, Now));
        var orders = await PredictiveOrdersAsync("eps-02");
        Assert.Equal(["forecast-1", "forecast-2"], orders.Select(o => o.Period).Order(StringComparer.Ordinal));
        Assert.Single(orders, o => o.Status.IsOpen());
    }

    [Fact]
    public async Task The_next_open_patrol_of_a_mast_carries_the_high_end_of_its_lamp_forecast()
    {
        var store = new SqliteWorkOrderStore(new SqliteDatabase(database.Path));
        var today = MaintenancePlan.LocalDay(DemoPlant.Site, Now);
        await store.AddScheduledAsync(DemoPlant.Site.Id, today.AddDays(14),
            MaintenancePlan.Between(DemoPlant.Site, MaintenanceTasks.Recurring.ToDictionary(t => t, t => t.DefaultInterval()), today, today.AddDays(14)), Now, CancellationToken.None);
        var lamps = new CountForecast("mast-01", ForecastKind.LampFailures, Now, PredictiveWorkOrders.SparesPeriod, 2.4, 1, 5);

        var changed = await Orders().CarrySparesAsync(DemoPlant.Site, [lamps], CancellationToken.None);
        var again = await Orders().CarrySparesAsync(DemoPlant.Site, [lamps], CancellationToken.None);

        Assert.Equal((1, 0), (changed, again));
        var patrols = (await store.ListAsync(new WorkOrderQuery { Task = MaintenanceTask.HighMastPatrol, AssetKey = "demo/gw-demo-01/mast-01" }, CancellationToken.None)).ToList();
        Assert.Equal(new SpareLamps(5, Now, 30), patrols[0].Spares);
        Assert.All(patrols.Skip(1), p => Assert.Null(p.Spares));
    }

    private static DateForecast Battery(string device, int expectedDays, int lowDays, int highDays) =>
        new(device, ForecastKind.BatteryEndOfLife, Now, Now.AddDays(expectedDays), Now.AddDays(lowDays), Now.AddDays(highDays));

    private static DateForecast Box(string device, int expectedDays, int lowDays, int highDays) =>
        new(device, ForecastKind.InsulationTimeToLimit, Now, Now.AddDays(expectedDays), Now.AddDays(lowDays), Now.AddDays(highDays));

    private PredictiveWorkOrders Orders() => new(new SqliteWorkOrderStore(new SqliteDatabase(database.Path)), new DefaultTerms(), time);

    private async Task<IReadOnlyList<WorkOrder>> PredictiveOrdersAsync(string device) =>
        [.. (await new SqliteWorkOrderStore(new SqliteDatabase(database.Path)).ListAsync(new WorkOrderQuery { AssetKey = $"demo/gw-demo-01/{device}" }, CancellationToken.None)).Where(o => o.Task.IsPredictive())];

    private sealed class DefaultTerms : IServiceLevelSource
    {
        public ServiceLevelTerms Current => ServiceLevelTerms.Default;
    }
}
