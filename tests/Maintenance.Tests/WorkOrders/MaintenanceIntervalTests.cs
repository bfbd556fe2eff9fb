using Telemetry.Maintenance.WorkOrders;

namespace Telemetry.Maintenance.Tests.WorkOrders;

public sealed class MaintenanceIntervalTests
{
    [Fact]
    public void Four_patrols_a_week_fall_due_on_tuesday_thursday_saturday_and_sunday()
    {
        var slots = new MaintenanceInterval(4, IntervalPeriod.Week).SlotsDueBetween(new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 7)).ToList();

        Assert.Equal([DayOfWeek.Tuesday, DayOfWeek.Thursday, DayOfWeek.Saturday, DayOfWeek.Sunday], slots.Select(s => s.Due.DayOfWeek));
        Assert.Equal(["2027-W09#1/4", "2027-W09#2/4", "2027-W09#3/4", "2027-W09#4/4"], slots.Select(s => s.Period));
    }

    [Fact]
    public void Twice_a_year_falls_due_at_the_end_of_june_and_december_and_monthly_at_each_month_end()
    {
        Assert.Equal([new DateOnly(2027, 6, 30), new DateOnly(2027, 12, 31)],
            new MaintenanceInterval(2, IntervalPeriod.Year).SlotsDueBetween(new DateOnly(2027, 1, 1), new DateOnly(2027, 12, 31)).Select(s => s.Due));
        Assert.Equal(new DateOnly(2027, 2, 28), new MaintenanceInterval(1, IntervalPeriod.Month).SlotsDueBetween(new DateOnly(2027, 2, 1), new DateOnly(2027, 2, 28)).Single().Due);
    }

    [Theory]
    [InlineData(0, IntervalPeriod.Week)]
    [InlineData(8, IntervalPeriod.Week)]
    [InlineData(5, IntervalPeriod.Month)]
    [InlineData(5, IntervalPeriod.Year)]
    public void An_interval_that_does_not_cut_its_period_into_whole_slots_is_refused(int times, IntervalPeriod per)
    {
        Assert.NotEmpty(MaintenanceIntervalException.Check(MaintenanceTask.RcdFuseCheck, new MaintenanceInterval(times, per)));
    }

    [Fact]
    public void A_special_patrol_has_no_interval_to_set()
    {
        Assert.NotEmpty(MaintenanceIntervalException.Check(MaintenanceTask.HolidayPatrol, new MaintenanceInterval(1, IntervalPeriod.Week)));
    }
}
