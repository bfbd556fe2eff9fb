using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.WorkOrders;

namespace Telemetry.Maintenance.Tests.WorkOrders;

/// <summary>Which work order the gateway's emergency test does, and what it writes into it.</summary>
public sealed class BatteryTestOrdersTests
{
    private static readonly MaintenanceInterval Monthly = MaintenanceTask.EmergencyFunctionCheck.DefaultInterval();
    private static readonly MaintenanceInterval Yearly = MaintenanceTask.EmergencyFullDischarge.DefaultInterval();
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);
    private static int sequence;

    [Theory]
    [InlineData(BatteryTestNames.Function, MaintenanceTask.EmergencyFunctionCheck)]
    [InlineData(BatteryTestNames.OneHour, MaintenanceTask.EmergencyOneHourTest)]
    [InlineData(BatteryTestNames.Duration, MaintenanceTask.EmergencyFullDischarge)]
    public void Each_test_does_its_planned_task(string test, MaintenanceTask task) => Assert.Equal(task, BatteryTestOrders.TaskOf(test));

    [Theory]
    [InlineData("passed", true)]
    [InlineData("failed", true)]
    [InlineData("aborted", false)]
    [InlineData("not_started", false)]
    public void A_passed_or_failed_test_was_done_and_an_aborted_one_or_one_that_did_not_start_was_not(string outcome, bool done)
    {
        Assert.Equal(done, BatteryTestOrders.WasDone(outcome));
        var march = Order(MaintenanceTask.EmergencyFunctionCheck, new DateOnly(2027, 3, 31));

        Assert.Equal(done ? march : null, BatteryTestOrders.Match([march], Test(BatteryTestNames.Function, outcome, new(2027, 3, 10, 9, 0, 0, Shanghai)), Monthly, DemoPlant.Site));
    }

    [Fact]
    public void A_test_does_the_open_work_order_of_its_slot_and_not_one_whose_slot_has_not_begun()
    {
        var march = Order(MaintenanceTask.EmergencyFunctionCheck, new DateOnly(2027, 3, 31));
        var april = Order(MaintenanceTask.EmergencyFunctionCheck, new DateOnly(2027, 4, 30));
        var oneHour = Order(MaintenanceTask.EmergencyOneHourTest, new DateOnly(2027, 6, 30));

        Assert.Same(march, BatteryTestOrders.Match([april, oneHour, march], Test(BatteryTestNames.Function, "passed", new(2027, 3, 1, 0, 30, 0, Shanghai)), Monthly, DemoPlant.Site));

        // The last day of February in Shanghai is still February's slot: only the March work order is open, and it has not begun.
        Assert.Null(BatteryTestOrders.Match([april, march], Test(BatteryTestNames.Function, "passed", new(2027, 2, 28, 23, 30, 0, Shanghai)), Monthly, DemoPlant.Site));
    }

    [Fact]
    public void With_last_months_work_order_still_open_the_test_does_this_months_and_the_missed_one_stays_open()
    {
        var february = Order(MaintenanceTask.EmergencyFunctionCheck, new DateOnly(2027, 2, 28));
        var march = Order(MaintenanceTask.EmergencyFunctionCheck, new DateOnly(2027, 3, 31));

        Assert.Same(march, BatteryTestOrders.Match([february, march], Test(BatteryTestNames.Function, "passed", new(2027, 3, 10, 9, 0, 0, Shanghai)), Monthly, DemoPlant.Site));
    }

    [Fact]
    public void An_overdue_work_order_is_done_by_a_late_test_when_no_later_one_is_open()
    {
        var lastYear = Order(MaintenanceTask.EmergencyFullDischarge, new DateOnly(2026, 12, 31));

        var match = BatteryTestOrders.Match([lastYear], Test(BatteryTestNames.Duration, "passed", new(2027, 1, 20, 9, 0, 0, Shanghai)), Yearly, DemoPlant.Site);

        Assert.Same(lastYear, match);
        Assert.True(match!.CompleteByGateway(Test(BatteryTestNames.Duration, "passed", new(2027, 1, 20, 9, 0, 0, Shanghai))));
        Assert.False(match.DoneOnTime);
    }

    [Fact]
    public void The_same_test_reported_again_finds_the_work_order_it_completed_and_changes_nothing()
    {
        var february = Order(MaintenanceTask.EmergencyFunctionCheck, new DateOnly(2027, 2, 28));
        var march = Order(MaintenanceTask.EmergencyFunctionCheck, new DateOnly(2027, 3, 31));
        var test = Test(BatteryTestNames.Function, "passed", new(2027, 3, 10, 9, 0, 0, Shanghai));
        Assert.True(march.CompleteByGateway(test));
        var doneAt = march.DoneAt;

        var again = BatteryTestOrders.Match([february, march], test with { }, Monthly, DemoPlant.Site);

        Assert.Same(march, again);
        Assert.False(again!.CompleteByGateway(test with { }));
        Assert.Equal(doneAt, march.DoneAt);
        Assert.Equal(WorkOrderStatus.Planned, february.Status);
    }

    [Fact]
    public void A_failed_full_discharge_completes_the_work_order_by_the_gateway_with_what_it_measured_and_leaves_the_recharge_check_to_the_crew()
    {
        var order = Order(MaintenanceTask.EmergencyFullDischarge, new DateOnly(2027, 12, 31));
        var finished = new DateTimeOffset(2027, 3, 10, 9, 0, 0, Shanghai);

        var changed = order.CompleteByGateway(new GatewayTest("gw-demo-01", BatteryTestNames.Duration, "failed", BatteryTestNames.Schedule, finished, 2520, 5400, 10.5, "battery reached its cut-off voltage 10.5 V"));

        Assert.True(changed);
        Assert.Equal(WorkOrderStatus.Done, order.Status);
        Assert.Equal((finished, "gw-demo-01"), (order.DoneAt, order.DoneBy));
        Assert.True(order.DoneOnTime);
        Assert.Null(order.ReportDueDate);
        Assert.Equal([new ChecklistItem("ran_rated_duration", false), new ChecklistItem("recharging")], order.Checklist);
        Assert.Equal(new Dictionary<string, double> { ["runtime_min"] = 42, ["battery_voltage_v"] = 10.5 }, order.Readings);
        Assert.Equal("failed", order.GatewayTest!.Outcome);
        Assert.Equal("duration test failed, run by gateway gw-demo-01 (schedule), 42.0 min on battery of 90 min, 10.50 V at the end: battery reached its cut-off voltage 10.5 V", order.Note);
    }

    [Fact]
    public void A_passed_function_test_by_command_answers_both_checks_of_the_function_check()
    {
        var order = Order(MaintenanceTask.EmergencyFunctionCheck, new DateOnly(2027, 3, 31));
        order.Start("crew-central", new DateTimeOffset(2027, 3, 10, 8, 0, 0, Shanghai));

        order.CompleteByGateway(Test(BatteryTestNames.Function, "passed", new(2027, 3, 10, 9, 0, 0, Shanghai), BatteryTestNames.Command));

        Assert.Equal(WorkOrderStatus.Done, order.Status);
        Assert.All(order.Checklist, i => Assert.True(i.Passed));
        Assert.Empty(order.Readings);
        Assert.Equal("command", order.GatewayTest!.Trigger);
    }

    [Theory]
    [InlineData(WorkOrderStatus.Done)]
    [InlineData(WorkOrderStatus.Skipped)]
    public void A_work_order_a_crew_closed_is_not_completed_again_by_the_gateway(WorkOrderStatus status)
    {
        var order = Order(MaintenanceTask.EmergencyFunctionCheck, new DateOnly(2027, 3, 31));
        var at = new DateTimeOffset(2027, 3, 10, 8, 0, 0, Shanghai);
        if (status == WorkOrderStatus.Done)
        {
            order.Start("crew-central", at);
            order.Complete("crew-central", at, order.Checklist.ToDictionary(i => i.Code, _ => true), new Dictionary<string, double>(), null, DemoPlant.Site);
        }
        else
        {
            order.Skip("crew-central", at, "hall closed");
        }

        var test = Test(BatteryTestNames.Function, "passed", at.AddHours(1));

        Assert.Null(BatteryTestOrders.Match([order], test, Monthly, DemoPlant.Site));
        Assert.Equal(status, Assert.Throws<WorkOrderLifecycleException>(() => order.CompleteByGateway(test)).Status);
    }

    [Fact]
    public void A_test_of_another_task_or_that_was_not_done_is_refused_by_the_work_order()
    {
        var order = Order(MaintenanceTask.EmergencyOneHourTest, new DateOnly(2027, 6, 30));
        var at = new DateTimeOffset(2027, 3, 10, 9, 0, 0, Shanghai);

        Assert.Throws<WorkOrderInputException>(() => order.CompleteByGateway(Test(BatteryTestNames.Function, "passed", at)));
        Assert.Throws<WorkOrderInputException>(() => order.CompleteByGateway(Test(BatteryTestNames.OneHour, "aborted", at)));
        Assert.Equal(WorkOrderStatus.Planned, order.Status);
    }

    [Theory]
    [InlineData(1, IntervalPeriod.Month, "2027-03-31", "2027-03-01")]
    [InlineData(2, IntervalPeriod.Year, "2027-06-30", "2027-01-01")]
    [InlineData(2, IntervalPeriod.Year, "2027-12-31", "2027-07-01")]
    [InlineData(1, IntervalPeriod.Year, "2027-12-31", "2027-01-01")]
    [InlineData(4, IntervalPeriod.Week, "2027-03-11", "2027-03-10")]
    public void A_slot_begins_the_day_after_the_slot_before_it_or_on_the_first_day_of_its_period(int times, IntervalPeriod per, string due, string start) =>
        Assert.Equal(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), new MaintenanceInterval(times, per).SlotStart(DateOnly.Parse(due, System.Globalization.CultureInfo.InvariantCulture)));

    private static GatewayTest Test(string test, string outcome, DateTimeOffset at, string trigger = BatteryTestNames.Schedule) =>
        new("gw-demo-01", test, outcome, trigger, at);

    private static WorkOrder Order(MaintenanceTask task, DateOnly due) =>
        WorkOrder.Create(
            new PlannedWorkOrder(new AssetRef("demo", "gw-demo-01", "eps-01"), DeviceFamily.EmergencyBattery, task, due.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
                due, MaintenancePlan.EndOfDay(DemoPlant.Site, due), "crew-central", CrewZone.Second),
            WorkOrderNumber.Create(due, Interlocked.Increment(ref sequence)), new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
}
