using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Reports;
using Telemetry.Maintenance.Tickets;
using static Telemetry.Maintenance.Tests.Tickets.Detections;

namespace Telemetry.Maintenance.Tests.Reports;

public sealed class FaultAnalysisCalculatorTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly ReportHalfYear SecondHalf = new(2026, 2);
    private static readonly Dictionary<string, AssetModel> Models = new()
    {
        ["north/gw-north-01/mast-01"] = new("high_mast", "JG-HMC24"),
        ["north/gw-north-01/mast-02"] = new("high_mast", "JG-HMC24"),
        ["north/gw-north-01/mast-03"] = new("high_mast", "JG-HMC12"),
    };

    private int sequence;

    [Fact]
    public void A_half_year_runs_from_local_midnight_on_1_January_or_1_July()
    {
        Assert.Equal(new DateTimeOffset(2026, 6, 30, 16, 0, 0, TimeSpan.Zero), SecondHalf.In(Shanghai).From);
        Assert.Equal(new DateTimeOffset(2026, 12, 31, 16, 0, 0, TimeSpan.Zero), SecondHalf.In(Shanghai).To);
        Assert.Equal(new ReportHalfYear(2026, 1), SecondHalf.Previous);
        Assert.Equal(new ReportHalfYear(2025, 2), SecondHalf.Previous.Previous);
        Assert.Equal(SecondHalf, ReportHalfYear.TryParse("2026-H2"));
        Assert.Null(ReportHalfYear.TryParse("2026-H3"));
        Assert.Null(ReportHalfYear.TryParse("2026-11"));
    }

    [Fact]
    public void Causes_and_assets_are_ranked_most_first_with_their_running_share_and_the_half_before()
    {
        // Second half: driver x3 (one spelt differently), cable x1; first half: driver x1, water x2.
        var tickets = new[]
        {
            Repaired(1, At(8, 1), "Driver burnt out"),
            Repaired(1, At(9, 1), "driver  burnt out "),
            Repaired(2, At(10, 1), "driver burnt out"),
            Repaired(3, At(11, 1), "cable cut"),
            Repaired(1, At(3, 1), "driver burnt out"),
            Repaired(2, At(4, 1), "water in the lantern"),
            Repaired(2, At(5, 1), "water in the lantern"),
        };

        var analysis = FaultAnalysisCalculator.Compute(new FaultAnalysisInput(SecondHalf, Shanghai, ReportScope.ServiceUnit, tickets, Models));

        Assert.Equal((4, 3), (analysis.Repairs, analysis.PreviousRepairs));
        Assert.Equal(
            [("driver burnt out", 3, 0.75, 0.75, 1), ("cable cut", 1, 0.25, 1.0, 0), ("water in the lantern", 0, 0.0, 1.0, 2)],
            analysis.Causes.Select(c => (c.Name, c.Repairs, c.Share, c.CumulativeShare, c.PreviousRepairs)));
        Assert.Equal(
            [("north/gw-north-01/mast-01", 2, 1), ("north/gw-north-01/mast-02", 1, 2), ("north/gw-north-01/mast-03", 1, 0)],
            analysis.Assets.Select(a => (a.Name, a.Repairs, a.PreviousRepairs)));
        Assert.Equal(
            [new ModelRepairs("high_mast", "JG-HMC24", 3, 3, "driver burnt out"), new ModelRepairs("high_mast", "JG-HMC12", 1, 0, "cable cut")],
            analysis.Models);
    }

    [Fact]
    public void A_ticket_resolved_in_the_half_counts_there_whenever_it_opened_and_other_crews_are_left_out()
    {
        // Opened 30 June 23:00 Shanghai, resolved 1 July 01:00: a second-half repair.
        var opened = new DateTimeOffset(2026, 6, 30, 23, 0, 0, TimeSpan.FromHours(8));
        var across = Repaired(1, opened, "fuse blown", TimeSpan.FromHours(2));
        var other = Repaired(2, At(8, 1), "fuse blown", crew: "crew-east");

        var north = FaultAnalysisCalculator.Compute(new FaultAnalysisInput(SecondHalf, Shanghai, ReportScope.Crew("crew-north"), [across, other], Models));

        Assert.Equal((1, 0), (north.Repairs, north.PreviousRepairs));
        Assert.Equal("north/gw-north-01/mast-01", Assert.Single(north.Assets).Name);
    }

    private static DateTimeOffset At(int month, int day) => new(2026, month, day, 20, 0, 0, TimeSpan.FromHours(8));

    private Ticket Repaired(int mast, DateTimeOffset opened, string cause, TimeSpan? after = null, string crew = "crew-north")
    {
        var ticket = Ticket.Open(TicketNumber.Parse($"YW2601-{++sequence:D4}"), Detected(opened, asset: Mast(mast), crew: crew), opened, null, new TicketOptions());
        ticket.Acknowledge("li.wei", opened.AddMinutes(10));
        ticket.Resolve(new Resolution(cause, "repaired", [], RepairKind.Hardware), "li.wei", opened + (after ?? TimeSpan.FromHours(3)));
        return ticket;
    }
}
