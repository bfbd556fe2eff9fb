using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tests.Storage;
using Telemetry.Maintenance.WorkOrders;

namespace Telemetry.Maintenance.Tests.WorkOrders;

public sealed class SqliteMaintenanceIntervalStoreTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2027, 2, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly TemporaryDatabase database = new();

    [Fact]
    public async Task Intervals_are_the_domain_defaults_until_an_engineer_sets_one_and_the_latest_change_is_in_force()
    {
        var store = new SqliteMaintenanceIntervalStore(new SqliteDatabase(database.Path));
        Assert.Equal(new MaintenanceInterval(4, IntervalPeriod.Week), (await store.LoadAsync(CancellationToken.None))[MaintenanceTask.HighMastPatrol]);

        await store.ApplyAsync(MaintenanceTask.HighMastPatrol, new MaintenanceInterval(3, IntervalPeriod.Week), "engineer-li", "winter", At, CancellationToken.None);
        await store.ApplyAsync(MaintenanceTask.HighMastPatrol, new MaintenanceInterval(5, IntervalPeriod.Week), "engineer-li", "summer storms", At.AddDays(90), CancellationToken.None);

        var reopened = new SqliteMaintenanceIntervalStore(new SqliteDatabase(database.Path));
        var inForce = await reopened.LoadAsync(CancellationToken.None);
        Assert.Equal(new MaintenanceInterval(5, IntervalPeriod.Week), inForce[MaintenanceTask.HighMastPatrol]);
        Assert.Equal(new MaintenanceInterval(1, IntervalPeriod.Month), inForce[MaintenanceTask.RcdFuseCheck]);
        Assert.Equal(["summer storms", "winter"], (await reopened.HistoryAsync(MaintenanceTask.HighMastPatrol, 10, CancellationToken.None)).Select(c => c.Reason));
    }

    [Fact]
    public async Task An_invalid_interval_is_refused_naming_the_rule_and_leaves_no_history()
    {
        var store = new SqliteMaintenanceIntervalStore(new SqliteDatabase(database.Path));

        var refused = await Assert.ThrowsAsync<MaintenanceIntervalException>(() =>
            store.ApplyAsync(MaintenanceTask.LanternCleaning, new MaintenanceInterval(5, IntervalPeriod.Year), "engineer-li", null, At, CancellationToken.None));

        Assert.Contains("whole months", Assert.Single(refused.Problems), StringComparison.Ordinal);
        Assert.Empty(await store.HistoryAsync(null, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Declaring_the_same_extreme_weather_twice_orders_one_special_patrol_per_mast_and_street_controller()
    {
        var store = new SqliteWorkOrderStore(new SqliteDatabase(database.Path));
        var site = DemoPlant.Site;
        var today = new DateOnly(2027, 7, 20);

        var first = await store.AddAsync(MaintenancePlan.BeforeWeather(site, new DateOnly(2027, 7, 23), today, "typhoon warning"), At, CancellationToken.None);
        var second = await store.AddAsync(MaintenancePlan.BeforeWeather(site, new DateOnly(2027, 7, 23), today, "typhoon warning, upgraded"), At, CancellationToken.None);

        Assert.Equal(site.Devices.Count(d => d.Family is Contracts.DeviceFamily.HighMast or Contracts.DeviceFamily.StreetController), first.Count);
        Assert.Empty(second);
        Assert.All(first, o => Assert.Equal((MaintenanceTask.WeatherPatrol, new DateOnly(2027, 7, 22), "typhoon warning"), (o.Task, o.DueDate, o.Reason)));
    }

    public void Dispose() => database.Dispose();
}
