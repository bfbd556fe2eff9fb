using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.WorkOrders;

namespace Telemetry.Maintenance.Tests.WorkOrders;

public sealed class WorkOrderLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 10, 2, 0, 0, TimeSpan.Zero);

    public static TheoryData<WorkOrderStatus, string, bool> Moves() => new()
    {
        { WorkOrderStatus.Planned, "start", true },
        { WorkOrderStatus.Planned, "complete", false },
        { WorkOrderStatus.Planned, "skip", true },
        { WorkOrderStatus.InProgress, "start", false },
        { WorkOrderStatus.InProgress, "complete", true },
        { WorkOrderStatus.InProgress, "skip", true },
        { WorkOrderStatus.Done, "start", false },
        { WorkOrderStatus.Done, "complete", false },
        { WorkOrderStatus.Done, "skip", false },
        { WorkOrderStatus.Skipped, "start", false },
        { WorkOrderStatus.Skipped, "complete", false },
        { WorkOrderStatus.Skipped, "skip", false },
    };

    [Theory]
    [MemberData(nameof(Moves))]
    public void Only_the_allowed_moves_change_a_work_order_and_the_others_throw(WorkOrderStatus from, string move, bool allowed)
    {
        var order = At(from);

        void Move()
        {
            switch (move)
            {
                case "start": order.Start("crew-masts", Now); break;
                case "complete": order.Complete("crew-masts", Now, AllPassed(order), Earth(2.1), null, DemoPlant.Site); break;
                default: order.Skip("crew-masts", Now, "road closed"); break;
            }
        }

        if (allowed)
        {
            Move();
            Assert.Equal(move switch { "start" => WorkOrderStatus.InProgress, "complete" => WorkOrderStatus.Done, _ => WorkOrderStatus.Skipped }, order.Status);
        }
        else
        {
            var refused = Assert.Throws<WorkOrderLifecycleException>(Move);
            Assert.Equal(from, refused.Status);
            Assert.Equal(from, order.Status);
        }
    }

    [Fact]
    public void Completing_needs_every_checklist_item_and_the_required_reading()
    {
        var order = At(WorkOrderStatus.InProgress);

        var missing = Assert.Throws<WorkOrderInputException>(() => order.Complete("c", Now, new Dictionary<string, bool> { ["corrosion"] = true }, new Dictionary<string, double>(), null, DemoPlant.Site));

        Assert.Contains("checklist item 'earth_connection' is not answered", missing.Problems);
        Assert.Contains("reading 'earth_resistance_ohm' is required", missing.Problems);
        Assert.Throws<WorkOrderInputException>(() => order.Complete("c", Now, AllPassed(order), Earth(double.NaN), null, DemoPlant.Site));
        Assert.Throws<WorkOrderInputException>(() => order.Complete("c", Now, AllPassed(order), new Dictionary<string, double> { ["lamps_lit"] = 3 }, null, DemoPlant.Site));
        Assert.Equal(WorkOrderStatus.InProgress, order.Status);
    }

    [Fact]
    public void Skipping_needs_a_reason()
    {
        var order = At(WorkOrderStatus.Planned);

        Assert.Throws<WorkOrderInputException>(() => order.Skip("c", Now, " "));
        Assert.Equal(WorkOrderStatus.Planned, order.Status);
    }

    [Fact]
    public void A_work_order_open_after_its_due_day_is_overdue_and_one_done_is_not()
    {
        var order = At(WorkOrderStatus.Planned);
        var endOfDueDay = MaintenancePlan.EndOfDay(DemoPlant.Site, order.DueDate);

        Assert.False(order.IsOverdue(endOfDueDay.AddTicks(-1)));
        Assert.True(order.IsOverdue(endOfDueDay));
        order.Start("c", endOfDueDay);
        Assert.True(order.IsOverdue(endOfDueDay));
        order.Complete("c", endOfDueDay, AllPassed(order), Earth(1.2), null, DemoPlant.Site);
        Assert.False(order.IsOverdue(endOfDueDay.AddDays(3)));
        Assert.False(order.DoneOnTime);
    }

    [Fact]
    public void The_inspection_report_is_due_three_working_days_after_the_work_skipping_weekends_and_holidays()
    {
        var order = At(WorkOrderStatus.InProgress);

        // Thursday 30 September 2027, Shanghai time: Friday 1 October starts the National Day holiday (to the 7th), then the weekend.
        order.Complete("c", new DateTimeOffset(2027, 9, 30, 10, 0, 0, TimeSpan.FromHours(8)), AllPassed(order), Earth(1.2), "ok", DemoPlant.Site);

        Assert.Equal(new DateOnly(2027, 10, 12), order.ReportDueDate);
        Assert.Equal(1.2, order.Readings[PointNames.EarthResistanceOhm]);
        Assert.All(order.Checklist, i => Assert.True(i.Passed));
    }

    internal static WorkOrder At(WorkOrderStatus status)
    {
        var due = new DateOnly(2027, 3, 31);
        var order = WorkOrder.Create(
            new PlannedWorkOrder(new AssetRef("demo", "gw-demo-01", "mast-01"), DeviceFamily.HighMast, MaintenanceTask.EarthResistanceTest, "2027",
                due, MaintenancePlan.EndOfDay(DemoPlant.Site, due), "crew-masts", CrewZone.Second),
            WorkOrderNumber.Create(due, 1), Now);
        if (status != WorkOrderStatus.Planned)
        {
            order.Start("crew-masts", Now);
        }

        if (status == WorkOrderStatus.Done)
        {
            order.Complete("crew-masts", Now, AllPassed(order), Earth(2), null, DemoPlant.Site);
        }
        else if (status == WorkOrderStatus.Skipped)
        {
            order.Skip("crew-masts", Now, "mast under repair");
        }

        return order;
    }

    internal static Dictionary<string, bool> AllPassed(WorkOrder order) => order.Checklist.ToDictionary(i => i.Code, _ => true);

    internal static Dictionary<string, double> Earth(double ohm) => new() { [PointNames.EarthResistanceOhm] = ohm };
}
