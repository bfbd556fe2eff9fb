using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Reports;

namespace Telemetry.Maintenance.Tests.Reports;

public sealed class LightingRateCalculatorTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly ReportPeriod November = new ReportMonth(2026, 11).In(Shanghai);
    private static readonly DateTimeOffset Evening = new(2026, 11, 10, 18, 0, 0, TimeSpan.FromHours(8));
    private static readonly LightingRateCalculator Calculator = new(TimeSpan.FromMinutes(15));

    [Fact]
    public void A_Shanghai_month_runs_from_local_midnight_on_the_first_to_local_midnight_on_the_next_first()
    {
        Assert.Equal(new DateTimeOffset(2026, 10, 31, 16, 0, 0, TimeSpan.Zero), November.From);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 16, 0, 0, TimeSpan.Zero), November.To);
        Assert.Equal(TimeSpan.FromDays(30), November.Length);
        Assert.Equal(new ReportMonth(2027, 1), ReportMonth.TryParse("2026-12")!.Value.Next);
        Assert.Null(ReportMonth.TryParse("2026-13"));
    }

    [Fact]
    public void Lit_lamps_are_weighted_by_the_time_they_held_while_the_lighting_was_due()
    {
        // Due 18:00-18:30: 10 of 10 lit for 10 minutes, then 5 of 10 for 20 minutes; readings every 5 minutes.
        var readings = Enumerable.Range(0, 6).Select(i => Evening.AddMinutes(5 * i)).ToList();
        var unit = Unit(
            lit: [.. readings.Select(t => Step(t, t < Evening.AddMinutes(10) ? 10 : 5))],
            installed: [.. readings.Select(t => Step(t, 10.0))],
            commanded: [.. readings.Select(t => Step(t, true)), Step(Evening.AddMinutes(30), false)]);

        var figures = Calculator.Compute([unit], November);

        Assert.Equal(0.5, figures.DueHours, 9);
        Assert.Equal(5.0, figures.LampHoursDue, 9);
        Assert.Equal((10 * 10 + 5 * 20) / 60.0, figures.LampHoursLit, 9);
        Assert.Equal(200.0 / 300, figures.Rate!.Value, 9);
    }

    [Fact]
    public void Time_after_a_reading_expires_is_unmonitored_and_neither_lit_nor_dark()
    {
        // One reading at 18:00, then nothing until 19:00: 15 minutes held, 45 unknown, then 10 minutes due again.
        var unit = Unit(
            lit: [Step(Evening, 8), Step(Evening.AddHours(1), 4)],
            installed: [Step(Evening, 8.0), Step(Evening.AddHours(1), 8.0)],
            commanded: [Step(Evening, true), Step(Evening.AddHours(1), true), Step(Evening.AddMinutes(70), false)]);

        var figures = Calculator.Compute([unit], November);

        Assert.Equal(25 / 60.0, figures.DueHours, 9);
        Assert.Equal(8 * 25 / 60.0, figures.LampHoursDue, 9);
        Assert.Equal((8 * 15 + 4 * 10) / 60.0, figures.LampHoursLit, 9);
        // Known only 18:00-18:15 and 19:00-19:15 (off from 19:10): every other hour of the month is unmonitored.
        Assert.Equal(November.Length.TotalHours - 0.5, figures.UnmonitoredHours, 6);
    }

    [Fact]
    public void Time_with_the_lighting_commanded_off_is_not_due_however_many_lamps_burn()
    {
        var unit = Unit(
            lit: [Step(Evening, 10), Step(Evening.AddMinutes(10), 10)],
            installed: [Step(Evening, 10.0), Step(Evening.AddMinutes(10), 10.0)],
            commanded: [Step(Evening, false), Step(Evening.AddMinutes(10), false)]);

        var figures = Calculator.Compute([unit], November);

        Assert.Equal(0, figures.DueHours);
        Assert.Null(figures.Rate);
    }

    [Fact]
    public void A_reading_before_the_month_holds_into_it_and_readings_after_it_are_cut_at_its_end()
    {
        // 23:55 on 31 October, held 15 minutes: 10 of them in November; 23:55 on 30 November: 5 minutes before the end.
        var before = November.From.AddMinutes(-5);
        var last = November.To.AddMinutes(-5);
        var unit = Unit(
            lit: [Step(before, 3), Step(last, 6)],
            installed: [Step(before, 6.0), Step(last, 6.0)],
            commanded: [Step(before, true), Step(last, true)]);

        var figures = Calculator.Compute([unit], November);

        Assert.Equal(15 / 60.0, figures.DueHours, 9);
        Assert.Equal(6 * 15 / 60.0, figures.LampHoursDue, 9);
        Assert.Equal((3 * 10 + 6 * 5) / 60.0, figures.LampHoursLit, 9);
        Assert.Equal(60.0 / 90, figures.Rate!.Value, 9);
    }

    [Fact]
    public void More_lamps_reported_lit_than_installed_count_as_all_lit_and_a_negative_count_as_none()
    {
        var unit = Unit(
            lit: [Step(Evening, 14), Step(Evening.AddMinutes(10), -1)],
            installed: [Step(Evening, 12.0), Step(Evening.AddMinutes(10), 12.0)],
            commanded: [Step(Evening, true), Step(Evening.AddMinutes(10), true), Step(Evening.AddMinutes(20), false)]);

        var figures = Calculator.Compute([unit], November);

        Assert.Equal(0.5, figures.Rate!.Value, 9);
    }

    [Fact]
    public void Units_add_up_by_lamp_hours_so_a_big_mast_weighs_more_than_a_small_circuit()
    {
        LampSeries Constant(string device, double lit, double installed) => Unit(
            [Step(Evening, lit), Step(Evening.AddMinutes(10), lit)],
            [Step(Evening, installed), Step(Evening.AddMinutes(10), installed)],
            [Step(Evening, true), Step(Evening.AddMinutes(10), true), Step(Evening.AddMinutes(20), false)],
            device);

        var figures = Calculator.Compute([Constant("mast-01", 24, 24), Constant("mast-02", 0, 6)], November);

        Assert.Equal(2, figures.Units.Count);
        Assert.Equal(24.0 / 30, figures.Rate!.Value, 9);
        Assert.Equal(0.0, figures.Units.Single(u => u.Asset.EndsWith("mast-02", StringComparison.Ordinal)).Rate);
    }

    private static StepReading<double> Step(DateTimeOffset at, double value) => new(at, value);

    private static StepReading<bool> Step(DateTimeOffset at, bool value) => new(at, value);

    private static LampSeries Unit(
        IReadOnlyList<StepReading<double>> lit,
        IReadOnlyList<StepReading<double>> installed,
        IReadOnlyList<StepReading<bool>> commanded,
        string device = "mast-07") =>
        new(new AssetRef("north", "gw-north-01", device), "crew-north", lit, installed, commanded);
}
