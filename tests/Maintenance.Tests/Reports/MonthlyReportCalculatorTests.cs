using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Reports;
using Telemetry.Maintenance.ServiceLevels;
using Telemetry.Maintenance.Tickets;
using static Telemetry.Maintenance.Tests.Tickets.Detections;

namespace Telemetry.Maintenance.Tests.Reports;

public sealed class MonthlyReportCalculatorTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly ReportMonth November = new(2026, 11);
    private static readonly DateTimeOffset AfterNovember = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly Resolution Repair = new("lamp drivers burnt out", "replaced drivers", ["driver 150W"], RepairKind.Hardware);
    private static readonly MonthlyReportCalculator Calculator = new(new LightingRateCalculator());

    [Fact]
    public void A_ticket_open_across_months_counts_as_opened_in_its_month_and_each_deadline_in_the_month_it_falls_due()
    {
        // Grade 2, opened 30 November 23:30 Shanghai: respond by 1 December 00:30, so its deadlines all fall in December.
        var opened = new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.FromHours(8));
        var ticket = Open(1, opened, FaultGrade.Grade2);
        ticket.Acknowledge("li.wei", opened.AddMinutes(20));
        ticket.ArriveOnSite("li.wei", opened.AddHours(3));
        ticket.Resolve(Repair, "li.wei", opened.AddHours(5));
        ticket.Close("operator.zhang", opened.AddHours(30), "verified");

        var november = Compute(November, ticket);
        var december = Compute(November.Next, ticket);

        Assert.Equal(1, november.TicketsOpened);
        Assert.Equal(1, november.TicketsOpenAtEnd);
        Assert.All(november.Deadlines, d => Assert.Equal(0, d.Met + d.Missed + d.Pending));
        Assert.Null(november.MeanTimeToRepairHours);

        Assert.Equal(0, december.TicketsOpened);
        Assert.Equal(1, december.TicketsClosed);
        Assert.Equal(0, december.TicketsOpenAtEnd);
        Assert.All(december.Deadlines, d => Assert.Equal((1, 0), (d.Met, d.Missed)));
        Assert.Equal(5.0, december.MeanTimeToRepairHours);
    }

    [Fact]
    public void A_step_after_its_deadline_misses_it_and_a_deadline_not_yet_due_is_pending()
    {
        var opened = new DateTimeOffset(2026, 11, 10, 20, 0, 0, TimeSpan.FromHours(8));
        var late = Open(1, opened, FaultGrade.Grade1);
        late.Acknowledge("li.wei", opened.AddMinutes(11));
        var onTime = Open(2, opened, FaultGrade.Grade2);
        onTime.Acknowledge("li.wei", opened.AddMinutes(60));

        // Seen on 10 November 22:30: the grade 1 arrival (2 h) is missed, the grade 2 arrival (12 h) still pending.
        var report = Compute(November, [late, onTime], opened.AddHours(2.5));

        Assert.Equal((1, 1, 0), Figures(report.For(DeadlineKind.Response)));
        Assert.Equal(0.5, report.For(DeadlineKind.Response).OnTimeRate);
        Assert.Equal((0, 1, 1), Figures(report.For(DeadlineKind.Arrival)));
        Assert.Equal((0, 0, 2), Figures(report.For(DeadlineKind.Fix)));
        Assert.Null(report.For(DeadlineKind.Fix).OnTimeRate);
    }

    [Fact]
    public void Tickets_are_counted_by_grade_and_fault_and_repeat_repairs_are_listed()
    {
        var opened = new DateTimeOffset(2026, 11, 3, 19, 0, 0, TimeSpan.FromHours(8));
        var first = Open(1, opened, FaultGrade.Grade2);
        first.Acknowledge("li.wei", opened.AddMinutes(5));
        first.Resolve(Repair, "li.wei", opened.AddHours(2));
        first.Close("operator.zhang", opened.AddHours(4), "verified");
        var repeat = Ticket.Open(TicketNumber.Parse("YW2611-0002"), Detected(opened.AddDays(2)), opened.AddDays(2), first.Number, new TicketOptions());
        var door = Open(3, opened.AddDays(3), FaultGrade.Grade3, FaultType.DoorOpen);

        var report = Compute(November, first, repeat, door);

        Assert.Equal(3, report.TicketsOpened);
        Assert.Equal([0, 2, 1, 0], report.ByGrade.Select(g => g.Tickets));
        Assert.Equal([new FaultCount("mast_outage", 2), new FaultCount("door_open", 1)], report.ByFault);
        var repeated = Assert.Single(report.RepeatRepairs);
        Assert.Equal(("YW2611-0002", "YW2611-0001"), (repeated.Ticket, repeated.RepeatOf));
        Assert.Equal(2.0, report.MeanTimeToRepairHours);
    }

    [Fact]
    public void A_site_or_crew_report_leaves_out_other_sites_and_crews_tickets_and_lamps()
    {
        var opened = new DateTimeOffset(2026, 11, 3, 19, 0, 0, TimeSpan.FromHours(8));
        var north = Open(1, opened, FaultGrade.Grade2);
        var south = Ticket.Open(TicketNumber.Parse("YW2611-0002"), Detected(opened, new AssetRef("south", "gw-south-01", "mast-01"), crew: "crew-south"), opened, null, new TicketOptions());

        Assert.Equal(2, Compute(November, north, south).TicketsOpened);
        Assert.Equal(1, Compute(November, [north, south], AfterNovember, ReportScope.Site("south")).TicketsOpened);
        Assert.Equal(1, Compute(November, [north, south], AfterNovember, ReportScope.Crew("crew-north")).TicketsOpened);
        Assert.Equal(0, Compute(November, [north, south], AfterNovember, ReportScope.Crew("crew-east")).TicketsOpened);
    }

    [Fact]
    public void Emergency_tests_and_planned_work_are_not_available_unless_given()
    {
        var input = new MonthlyReportInput(November, Shanghai, ReportScope.ServiceUnit, AfterNovember, [], []);

        var without = Calculator.Compute(input);
        var with = Calculator.Compute(input with { EmergencyTests = new(4, 3), PlannedWork = new(10, 9) });

        Assert.Null(without.EmergencyTests);
        Assert.Null(without.PlannedWork);
        Assert.Equal(0.75, with.EmergencyTests!.PassRate);
        Assert.Equal(0.9, with.PlannedWork!.OnTimeRate);
    }

    private static (int, int, int) Figures(DeadlineFigures figures) => (figures.Met, figures.Missed, figures.Pending);

    private static Ticket Open(int sequence, DateTimeOffset at, FaultGrade grade, FaultType? fault = null) =>
        Ticket.Open(TicketNumber.Parse($"YW2611-{sequence:D4}"), Detected(at, asset: Mast(sequence), fault: fault, grade: grade), at, null, new TicketOptions());

    private static MonthlyReport Compute(ReportMonth month, params Ticket[] tickets) => Compute(month, tickets, AfterNovember.AddMonths(1));

    private static MonthlyReport Compute(ReportMonth month, IReadOnlyList<Ticket> tickets, DateTimeOffset asOf, ReportScope? scope = null) =>
        Calculator.Compute(new MonthlyReportInput(month, Shanghai, scope ?? ReportScope.ServiceUnit, asOf, tickets, []));
}
