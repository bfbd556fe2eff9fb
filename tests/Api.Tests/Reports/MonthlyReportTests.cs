using System.Net;
using System.Text.Json;
using ClosedXML.Excel;
using Telemetry.Api.Tests.Access;

namespace Telemetry.Api.Tests.Reports;

/// <summary>
/// The report of <see cref="MonthlyReportPlant"/>'s November, every figure against the value worked out here by hand.
/// </summary>
public sealed class MonthlyReportTests(MonthlyReportPlant plant) : IClassFixture<MonthlyReportPlant>
{
    // Hours the lighting was due in November on sc-01 circuit 1 and mast-05: 6 h of the night starting 31 October, 29
    // whole nights of 12 h, and 6 h of the night starting 30 November (the rest is December's).
    private const double NightHours = 6 + (29 * 12) + 6;

    // Hours due on sc-01 circuit 2 (18:00 to 24:00): the 30 evenings of 1 to 30 November.
    private const double EveningHours = 30 * 6;

    // mast-05's gap: the 21:55 reading holds until 22:10, the next comes at 02:00.
    private const double GapHours = 3 + (50 / 60.0);

    private const double Circuit1Due = 24 * NightHours;
    private const double Circuit1Lit = Circuit1Due - (12 * 12 * 3);
    private const double Circuit2Due = 22 * EveningHours;
    private const double MastDue = 24 * (NightHours - GapHours);
    private const double MastLit = MastDue - (6 * 12);

    [Fact]
    public async Task The_service_units_November_has_every_figure_worked_out_by_hand()
    {
        using var client = plant.As("operator.zhang");

        var report = await ReportAsync(client, "/api/reports/monthly?month=2026-11");

        Assert.Equal("2026-11", report.GetProperty("month").GetString());
        Assert.Equal("unit", report.GetProperty("scope").GetString());
        Assert.Equal(MonthlyReportPlant.At(11, 1, 0), report.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(MonthlyReportPlant.At(12, 1, 0), report.GetProperty("to").GetDateTimeOffset());

        var lighting = report.GetProperty("lighting");
        var expectedRate = (Circuit1Lit + Circuit2Due + MastLit) / (Circuit1Due + Circuit2Due + MastDue);
        Assert.Equal(97.6, Math.Round(expectedRate * 100, 1));
        Assert.Equal(expectedRate * 100, lighting.GetProperty("rate").GetDouble() * 100, 0.05);
        Assert.Equal(Circuit1Due + Circuit2Due + MastDue, lighting.GetProperty("lamp_hours_due").GetDouble(), 6);
        Assert.Equal(Circuit1Lit + Circuit2Due + MastLit, lighting.GetProperty("lamp_hours_lit").GetDouble(), 6);
        Assert.Equal(NightHours + EveningHours + NightHours - GapHours, lighting.GetProperty("due_hours").GetDouble(), 6);
        var units = lighting.GetProperty("units").EnumerateArray().ToDictionary(u => u.GetProperty("asset").GetString()!);
        Assert.Equal(["demo/gw-demo-01/mast-05", "demo/gw-demo-01/sc-01/1", "demo/gw-demo-01/sc-01/2"], units.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Circuit1Lit / Circuit1Due, units["demo/gw-demo-01/sc-01/1"].GetProperty("rate").GetDouble(), 9);
        Assert.Equal(1.0, units["demo/gw-demo-01/sc-01/2"].GetProperty("rate").GetDouble(), 9);
        Assert.Equal(MastLit / MastDue, units["demo/gw-demo-01/mast-05"].GetProperty("rate").GetDouble(), 9);

        // Opened in November: T2, T3, T1, T4; closed in it: T5, T2, T3, T1; T4 still open at its end.
        var tickets = report.GetProperty("tickets");
        Assert.Equal((4, 4, 1), (tickets.GetProperty("opened").GetInt32(), tickets.GetProperty("closed").GetInt32(), tickets.GetProperty("open_at_end").GetInt32()));
        Assert.Equal([1, 2, 1, 0], report.GetProperty("by_grade").EnumerateArray().Select(g => g.GetProperty("tickets").GetInt32()));
        Assert.Equal(
            ["mast_outage:2", "door_open:1", "total_dark:1"],
            report.GetProperty("by_fault").EnumerateArray().Select(f => $"{f.GetProperty("fault").GetString()}:{f.GetProperty("tickets").GetInt32()}"));

        // Response due in November: T2 (missed), T3, T1, T4; arrival: T2, T3, T1; fix: T5 (missed), T2, T3, T1 (missed).
        var deadlines = Deadlines(report);
        Assert.Equal((3, 1, 0, 0.75), deadlines["response"]);
        Assert.Equal((3, 0, 0, 1.0), deadlines["arrival"]);
        Assert.Equal((2, 2, 0, 0.5), deadlines["fix"]);

        // Resolved in November: T5 after 50 h, T2 after 14 h, T3 after 10 h, T1 after 26 h.
        Assert.Equal(4, report.GetProperty("repairs").GetProperty("resolved").GetInt32());
        Assert.Equal((50 + 14 + 10 + 26) / 4.0, report.GetProperty("repairs").GetProperty("mean_time_to_repair_hours").GetDouble(), 9);

        var repeat = Assert.Single(report.GetProperty("repeat_repairs").EnumerateArray().ToList());
        Assert.Equal(("YW2611-0002", "YW2611-0001"), (repeat.GetProperty("ticket").GetString(), repeat.GetProperty("repeat_of").GetString()));

        // Work orders due in November: W1 (on time), W2 (a day late), W3 (skipped), W4 (early); W0 and W5 fall in other months.
        Assert.Equal((4, 2, 0.5), Planned(report));

        // The four emergency units: eps-01 (failed, then passed) and eps-02 passed; eps-03 failed last; eps-04 ran none.
        Assert.Equal((5, 2, 0.4), Emergency(report));
    }

    [Fact]
    public async Task A_crews_report_counts_its_own_tickets_and_lamps_only()
    {
        using var client = plant.As("operator.zhang");

        var central = await ReportAsync(client, "/api/reports/monthly?month=2026-11&crew=crew-central");

        Assert.Equal((Circuit1Lit + Circuit2Due) / (Circuit1Due + Circuit2Due), central.GetProperty("lighting").GetProperty("rate").GetDouble(), 9);
        Assert.Equal(96.6, Math.Round(100 * (Circuit1Lit + Circuit2Due) / (Circuit1Due + Circuit2Due), 1));
        Assert.Equal(2, central.GetProperty("tickets").GetProperty("opened").GetInt32());
        Assert.Equal(2, central.GetProperty("tickets").GetProperty("closed").GetInt32());
        var deadlines = Deadlines(central);
        Assert.Equal((2, 0, 0, 1.0), deadlines["response"]);
        Assert.Equal((0, 2, 0, 0.0), deadlines["fix"]);
        Assert.Equal((26 + 50) / 2.0, central.GetProperty("repairs").GetProperty("mean_time_to_repair_hours").GetDouble(), 9);
        Assert.Empty(central.GetProperty("repeat_repairs").EnumerateArray());
        Assert.Equal((3, 1, 1 / 3.0), Planned(central));
        Assert.Equal((5, 2, 0.4), Emergency(central));
    }

    [Fact]
    public async Task A_crew_member_reads_its_own_crews_report_and_no_other()
    {
        using var client = plant.As("crew.li");

        var masts = await ReportAsync(client, "/api/reports/monthly?month=2026-11&crew=crew-masts");

        Assert.Equal(MastLit / MastDue, masts.GetProperty("lighting").GetProperty("rate").GetDouble(), 9);
        Assert.Equal(99.2, Math.Round(100 * MastLit / MastDue, 1));
        Assert.Equal(2, masts.GetProperty("tickets").GetProperty("opened").GetInt32());
        Assert.Equal((1, 1, 0, 0.5), Deadlines(masts)["response"]);
        Assert.Equal(12.0, masts.GetProperty("repairs").GetProperty("mean_time_to_repair_hours").GetDouble(), 9);
        Assert.Equal((1, 1, 1.0), Planned(masts));
        var noUnits = masts.GetProperty("emergency_tests");
        Assert.Equal((0, 0, JsonValueKind.Null), (noUnits.GetProperty("tests_due").GetInt32(), noUnits.GetProperty("tests_passed").GetInt32(), noUnits.GetProperty("pass_rate").ValueKind));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/reports/monthly?month=2026-11")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/reports/monthly?month=2026-11&crew=crew-central")).StatusCode);
    }

    [Fact]
    public async Task The_CSV_and_the_workbook_carry_the_same_figures_as_the_JSON()
    {
        using var client = plant.As("operator.zhang");

        var csv = await client.GetStringAsync("/api/reports/monthly.csv?month=2026-11&site=demo");
        using var workbookResponse = await client.GetAsync("/api/reports/monthly.xlsx?month=2026-11&site=demo");

        var lines = csv.Split("\r\n");
        Assert.Equal("scope,site:demo", lines[1]);
        var figures = lines.Select(l => l.Split(',')).Where(c => c.Length == 2).ToDictionary(c => c[0], c => c[1]);
        Assert.Equal("97.6", figures["lighting_rate_percent"]);
        Assert.Equal("4", figures["tickets_opened"]);
        Assert.Equal("75", figures["response_on_time_percent"]);
        Assert.Equal("100", figures["arrival_on_time_percent"]);
        Assert.Equal("50", figures["fix_on_time_percent"]);
        Assert.Equal("25", figures["mean_time_to_repair_hours"]);
        Assert.Equal("1", figures["repeat_repairs"]);
        Assert.Equal(("5", "2", "40"), (figures["emergency_tests_due"], figures["emergency_tests_passed"], figures["emergency_test_pass_percent"]));
        Assert.Equal(("4", "2", "50"), (figures["planned_tasks_due"], figures["planned_tasks_done_on_time"], figures["planned_work_on_time_percent"]));

        Assert.Equal(HttpStatusCode.OK, workbookResponse.StatusCode);
        using var workbook = new XLWorkbook(await workbookResponse.Content.ReadAsStreamAsync());
        var sheet = workbook.Worksheet("figures");
        var cells = sheet.RowsUsed().Skip(4).ToDictionary(r => r.Cell(1).GetString(), r => r.Cell(2).GetString());
        Assert.Equal(figures.Where(f => f.Key is not ("month" or "scope" or "time_zone" or "figure")).OrderBy(f => f.Key), cells.OrderBy(c => c.Key));
        Assert.Equal(3, workbook.Worksheet("units").RowsUsed().Count() - 1);
    }

    [Fact]
    public async Task The_second_half_years_fault_analysis_ranks_the_repairs_by_cause_asset_and_model()
    {
        using var client = plant.As("operator.zhang");

        var analysis = await ReportAsync(client, "/api/reports/fault-analysis?half=2026-H2");

        // Resolved in the half: T5, T2, T3 and T1, all with the same cause; nothing in the first half.
        Assert.Equal((4, 0), (analysis.GetProperty("repairs").GetInt32(), analysis.GetProperty("previous_repairs").GetInt32()));
        var cause = Assert.Single(analysis.GetProperty("causes").EnumerateArray().ToList());
        Assert.Equal(("lamp drivers burnt out", 4, 1.0), (cause.GetProperty("name").GetString(), cause.GetProperty("repairs").GetInt32(), cause.GetProperty("cumulative_share").GetDouble()));
        Assert.Equal(
            ["demo/gw-demo-01/mast-05:2:0.5", "demo/gw-demo-01/sc-01/1:1:0.75", "demo/gw-demo-01/sc-02/1:1:1"],
            analysis.GetProperty("assets").EnumerateArray().Select(a => string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"{a.GetProperty("name").GetString()}:{a.GetProperty("repairs").GetInt32()}:{a.GetProperty("cumulative_share").GetDouble()}")));
        Assert.Equal(
            ["high_mast:2:lamp drivers burnt out", "street_controller:2:lamp drivers burnt out"],
            analysis.GetProperty("models").EnumerateArray().Select(m =>
                $"{m.GetProperty("family").GetString()}:{m.GetProperty("repairs").GetInt32()}:{m.GetProperty("top_cause").GetString()}"));
        Assert.All(analysis.GetProperty("models").EnumerateArray(), m => Assert.NotEqual("", m.GetProperty("model").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/reports/fault-analysis?half=2026-11")).StatusCode);
    }

    [Fact]
    public async Task The_fault_analysis_CSV_and_workbook_carry_the_same_paretos_as_the_JSON()
    {
        using var client = plant.As("operator.zhang");

        using var bad = await client.GetAsync("/api/reports/fault-analysis.csv?half=2026-H3");
        var csv = await client.GetStringAsync("/api/reports/fault-analysis.csv?half=2026-H2");
        using var workbookResponse = await client.GetAsync("/api/reports/fault-analysis.xlsx?half=2026-H2");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var lines = csv.Split("\r\n");
        Assert.Equal(["half,2026-H2", "scope,unit", "repairs,4", "previous_repairs,0", ""], lines[..5]);
        Assert.Contains("lamp drivers burnt out,4,100,100,0", lines);
        Assert.Equal(
            ["asset,repairs,share_percent,cumulative_percent,previous_repairs", "demo/gw-demo-01/mast-05,2,50,50,0", "demo/gw-demo-01/sc-01/1,1,25,75,0", "demo/gw-demo-01/sc-02/1,1,25,100,0"],
            lines.SkipWhile(l => !l.StartsWith("asset,", StringComparison.Ordinal)).Take(4));
        Assert.Equal(HttpStatusCode.OK, workbookResponse.StatusCode);
        using var workbook = new XLWorkbook(await workbookResponse.Content.ReadAsStreamAsync());
        Assert.Equal(["causes", "assets", "models"], workbook.Worksheets.Select(w => w.Name));
        Assert.Equal(("demo/gw-demo-01/mast-05", 2.0, 50.0), (workbook.Worksheet("assets").Cell(2, 1).GetString(), workbook.Worksheet("assets").Cell(2, 2).GetDouble(), workbook.Worksheet("assets").Cell(2, 3).GetDouble()));
        Assert.Equal(3, workbook.Worksheet("models").RowsUsed().Count());
    }

    [Theory]
    [InlineData("month=2026-13", "month")]
    [InlineData("month=2026-11&site=nowhere", "site")]
    [InlineData("month=2026-11&site=demo&crew=crew-central", "crew")]
    public async Task A_bad_request_is_refused_naming_the_parameter(string query, string parameter)
    {
        using var client = plant.As("operator.zhang");

        using var response = await client.GetAsync($"/api/reports/monthly?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ApiHost.JsonAsync(response)).GetProperty("errors").TryGetProperty(parameter, out _));
    }

    private static async Task<JsonElement> ReportAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await ApiHost.JsonAsync(response);
    }

    private static (int Due, int OnTime, double? Rate) Planned(JsonElement report)
    {
        var planned = report.GetProperty("planned_work");
        return (planned.GetProperty("tasks_due").GetInt32(), planned.GetProperty("tasks_done_on_time").GetInt32(), planned.GetProperty("on_time_rate").GetDouble());
    }

    private static (int Due, int Passed, double? Rate) Emergency(JsonElement report)
    {
        var tests = report.GetProperty("emergency_tests");
        return (tests.GetProperty("tests_due").GetInt32(), tests.GetProperty("tests_passed").GetInt32(), tests.GetProperty("pass_rate").GetDouble());
    }

    private static Dictionary<string, (int Met, int Missed, int Pending, double? Rate)> Deadlines(JsonElement report) =>
        report.GetProperty("deadlines").EnumerateArray().ToDictionary(
            d => d.GetProperty("kind").GetString()!,
            d => (d.GetProperty("met").GetInt32(), d.GetProperty("missed").GetInt32(), d.GetProperty("pending").GetInt32(),
                d.GetProperty("on_time_rate").ValueKind == JsonValueKind.Null ? (double?)null : d.GetProperty("on_time_rate").GetDouble()));
}
