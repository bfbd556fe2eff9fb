using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.WorkOrders;
using Telemetry.Testing;

namespace Telemetry.Rules.Tests.Integration;

/// <summary>The running Rules process schedules planned maintenance into the shared SQLite file.</summary>
public sealed class WorkOrderScheduleTests : IAsyncLifetime
{
    private PlantRig rig = null!;

    public async Task InitializeAsync() => rig = await PlantRig.StartAsync(new PlantRigOptions { Devices = RulesFixture.Devices, WithRules = true });

    public async Task DisposeAsync() => await rig.DisposeAsync();

    [Fact]
    public async Task Rules_schedules_the_next_two_weeks_of_planned_work_at_start_for_each_asset_and_its_crew()
    {
        var store = new SqliteWorkOrderStore(new SqliteDatabase(rig.DatabasePath));
        var zone = TimeZoneInfo.FindSystemTimeZoneById(rig.Options.TimeZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);

        var through = await Eventually.ValueAsync(
            () => store.ScheduledThroughAsync(PlantRig.SiteId, CancellationToken.None),
            d => d is not null,
            $"Rules schedules the site\n{rig.Logs()}");
        var orders = await store.ListAsync(new WorkOrderQuery { Site = PlantRig.SiteId, Limit = WorkOrderQuery.MaxLimit }, CancellationToken.None);

        // The horizon is 14 days ahead of the day Rules started (which is today, or yesterday just after midnight).
        Assert.InRange(through!.Value.DayNumber - today.DayNumber, 13, 14);
        var days = Enumerable.Range(0, through.Value.DayNumber - orders.Min(o => o.DueDate).DayNumber + 1).Select(i => orders.Min(o => o.DueDate).AddDays(i)).ToList();
        var patrolDays = days.Count(d => d.DayOfWeek is DayOfWeek.Tuesday or DayOfWeek.Thursday or DayOfWeek.Saturday or DayOfWeek.Sunday);
        Assert.Equal(patrolDays, orders.Count(o => o.Task == MaintenanceTask.HighMastPatrol && o.Asset.Device == "mast-01"));
        Assert.All(orders, o => Assert.Equal(RulesFixture.Devices.Single(d => d.Id == o.Asset.Device).Crew, o.Crew));
        Assert.All(orders, o => Assert.Equal(WorkOrderStatus.Planned, o.Status));
    }
}
