using Microsoft.Extensions.Time.Testing;
using Telemetry.Contracts;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tests.Storage;
using Telemetry.Maintenance.WorkOrders;

namespace Telemetry.Maintenance.Tests.WorkOrders;

/// <summary>A year of schedules for the demo plant on a real SQLite file, with a fake clock and a restart after downtime.</summary>
public sealed class PlannedYearTests : IDisposable
{
    // The 52 ISO weeks of 2027: Monday 4 January 2027 to Sunday 2 January 2028. The span holds exactly 52 whole weeks,
    // 12 month ends (31 January to 31 December), 2 half-year ends and 1 year end, so each interval of domain section 5
    // gives a whole number of work orders in it.
    private static readonly DateOnly First = new(2027, 1, 4);
    private static readonly DateOnly Last = new(2028, 1, 2);

    private readonly TemporaryDatabase database = new();

    [Fact]
    public async Task A_year_of_schedules_makes_exactly_the_work_orders_of_section_5_and_none_twice_across_a_restart()
    {
        var site = DemoPlant.Site;
        var time = new FakeTimeProvider(new DateTimeOffset(2027, 1, 4, 0, 30, 0, TimeSpan.FromHours(8)));
        var scheduler = OpenScheduler(time);
        var restartDay = new DateOnly(2027, 6, 20);
        var downtimeDays = 20;
        var restartedAt = DateTimeOffset.MinValue;
        while (MaintenancePlan.LocalDay(site, time.GetUtcNow()) <= Last)
        {
            var today = MaintenancePlan.LocalDay(site, time.GetUtcNow());
            if (today == restartDay)
            {
                // Down for longer than the horizon, then a new process: new database handle, store and scheduler on the same file.
                time.Advance(TimeSpan.FromDays(downtimeDays));
                restartedAt = time.GetUtcNow();
                scheduler = OpenScheduler(time);
            }

            await scheduler.RunAsync([site], CancellationToken.None);
            await scheduler.RunAsync([site], CancellationToken.None);
            time.Advance(TimeSpan.FromDays(1));
        }

        var orders = await new SqliteWorkOrderStore(new SqliteDatabase(database.Path))
            .ListAsync(new WorkOrderQuery { DueFrom = First, DueTo = Last, Limit = WorkOrderQuery.MaxLimit }, CancellationToken.None);

        int Count(DeviceFamily family) => site.Devices.Count(d => d.Family == family);
        var masts = Count(DeviceFamily.HighMast);
        var streets = Count(DeviceFamily.StreetController);
        var boxes = Count(DeviceFamily.DistributionBox);
        var dualSupplyBoxes = site.Devices.Count(d => d.Family == DeviceFamily.DistributionBox && d.DualSupply);
        var controllers = Count(DeviceFamily.LightTimeController);
        var emergency = Count(DeviceFamily.EmergencyBattery);
        var holidaysAhead = site.Holidays.Count(h => h.From.AddDays(-1) >= First && h.From.AddDays(-1) <= Last);
        const int weeks = 52, months = 12, halfYears = 2, years = 1;
        var expected = new Dictionary<MaintenanceTask, int>
        {
            [MaintenanceTask.HighMastPatrol] = 4 * weeks * masts,
            [MaintenanceTask.PoleTopBoxCheck] = weeks * masts,
            [MaintenanceTask.LiftingMechanismService] = halfYears * masts,
            [MaintenanceTask.EarthResistanceTest] = years * (masts + streets),
            [MaintenanceTask.LanternCleaning] = halfYears * streets,
            [MaintenanceTask.InsulationTest] = years * (streets + boxes),
            [MaintenanceTask.ControllerCalibration] = years * controllers,
            [MaintenanceTask.RcdFuseCheck] = months * boxes,
            [MaintenanceTask.ChangeoverTest] = halfYears * dualSupplyBoxes,
            [MaintenanceTask.EmergencyFunctionCheck] = months * emergency,
            [MaintenanceTask.EmergencyOneHourTest] = halfYears * emergency,
            [MaintenanceTask.EmergencyFullDischarge] = years * emergency,
            [MaintenanceTask.HolidayPatrol] = holidaysAhead * (masts + streets),
        };

        Assert.Equal((8, 7, 6, 2, 4, 5, 6), (masts, streets, boxes, dualSupplyBoxes, controllers, emergency, holidaysAhead));
        Assert.Equal(expected, orders.GroupBy(o => o.Task).ToDictionary(g => g.Key, g => g.Count()));
        Assert.Equal(weeks, orders.Count(o => o.Task == MaintenanceTask.PoleTopBoxCheck && o.Asset.Device == "mast-01"));
        Assert.Equal(orders.Count, orders.Select(o => (o.Asset.Key, o.Task, o.Period)).Distinct().Count());
        Assert.Equal(orders.Count, orders.Select(o => o.Number).Distinct().Count());
        Assert.All(orders, o => Assert.Equal(site.FindDevice(o.Asset.Device!)!.Crew, o.Crew));

        // The work due in the downtime beyond the horizon was made by the first run after it: overdue, not lost.
        var caughtUp = orders.Where(o => o.CreatedAt == restartedAt).ToList();
        Assert.Contains(caughtUp, o => o.Task == MaintenanceTask.HighMastPatrol && o.IsOverdue(restartedAt));
        Assert.All(orders.Where(o => o.DueDate >= restartDay && o.DueDate < restartDay.AddDays(downtimeDays)), o => Assert.True(o.CreatedAt < restartedAt || o.CreatedAt == restartedAt));
    }

    [Fact]
    public async Task A_run_after_downtime_makes_the_missed_work_orders_overdue_and_a_second_run_makes_none()
    {
        var site = DemoPlant.Site;
        var time = new FakeTimeProvider(new DateTimeOffset(2027, 3, 1, 1, 0, 0, TimeSpan.FromHours(8)));
        var scheduler = OpenScheduler(time);
        await scheduler.RunAsync([site], CancellationToken.None);
        time.Advance(TimeSpan.FromDays(31));

        var caughtUp = await OpenScheduler(time).RunAsync([site], CancellationToken.None);
        var again = await OpenScheduler(time).RunAsync([site], CancellationToken.None);

        // 31 days down, past a horizon of 14: March's RCD checks (due on the 31st) were made only now, already overdue.
        Assert.True(caughtUp > 0);
        Assert.Equal(0, again);
        var overdue = await new SqliteWorkOrderStore(new SqliteDatabase(database.Path))
            .ListAsync(new WorkOrderQuery { OverdueAt = time.GetUtcNow(), Task = MaintenanceTask.RcdFuseCheck, Limit = 100 }, CancellationToken.None);
        Assert.Equal(site.Devices.Count(d => d.Family == DeviceFamily.DistributionBox), overdue.Count);
        Assert.All(overdue, o => Assert.Equal(new DateOnly(2027, 3, 31), o.DueDate));
    }

    public void Dispose() => database.Dispose();

    private WorkOrderScheduler OpenScheduler(TimeProvider time)
    {
        var handle = new SqliteDatabase(database.Path);
        return new WorkOrderScheduler(new SqliteWorkOrderStore(handle), new SqliteMaintenanceIntervalStore(handle), time, WorkOrderScheduler.DefaultHorizon);
    }
}
