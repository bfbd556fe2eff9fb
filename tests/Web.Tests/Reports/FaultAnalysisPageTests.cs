using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Telemetry.Maintenance.Storage;
using Telemetry.Web.Tests.Tickets;
using Xunit.Abstractions;

namespace Telemetry.Web.Tests.Reports;

/// <summary>
/// The half-yearly fault analysis page: the Pareto of causes and assets, the trend against the half before, its exports,
/// and the halves the schedule stored.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class FaultAnalysisPageTests(WebFixture web, ITestOutputHelper output)
{
    [Fact]
    public async Task An_operator_sees_the_paretos_of_the_half_with_their_exports()
    {
        // A repair in this half, so that each Pareto has a bar whatever the other tests did (on an asset and fault no
        // other test of the shared rig opens, since one of them may still hold it open).
        var number = await TicketRig.OpenAsync(web, "box-01", "door_open");
        await TicketRig.StepAsync(web, number, "acknowledge");
        await TicketRig.StepAsync(web, number, "arrive");
        using (var resolved = await web.Rig.ApiClient.PostAsJsonAsync(new Uri(web.BaseAddress, $"/api/tickets/{number}/resolve"),
            new { cause = "door lock broken", action = "replaced the lock", parts_used = new[] { "door lock" }, kind = "hardware" }))
        {
            Assert.True(resolved.IsSuccessStatusCode, await resolved.Content.ReadAsStringAsync());
        }

        await using var session = await web.SignInAsync(web.Operator);
        var page = session.Page;
        await page.GotoAsync("/reports/fault-analysis");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Half-yearly fault analysis");
        var causes = page.GetByTestId("pareto-causes");
        await Assertions.Expect(causes.GetByTestId("pareto-row").Filter(new() { HasText = "door lock broken" })).ToHaveCountAsync(1);
        Assert.Equal(Math.Min(10, await causes.GetByTestId("pareto-row").CountAsync()), await causes.GetByTestId("pareto-bar").CountAsync());
        await Assertions.Expect(causes.GetByTestId("pareto-line")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("pareto-assets").GetByTestId("pareto-row").Filter(new() { HasText = "box-01" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("fault-trend")).ToContainTextAsync("in the half before");

        var csv = await page.APIRequest.GetAsync((await page.GetByTestId("fault-export-csv").GetAttributeAsync("href"))!);
        Assert.Equal(200, csv.Status);
        Assert.Contains("door lock broken,", await csv.TextAsync(), StringComparison.Ordinal);
        var xlsx = await page.APIRequest.GetAsync((await page.GetByTestId("fault-export-xlsx").GetAttributeAsync("href"))!);
        Assert.Equal(200, xlsx.Status);

        await WebFixture.ScreenshotAsync(page, "fault-analysis.en");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);
    }

    [Fact]
    public async Task The_stored_halves_are_listed_newest_first_and_a_link_downloads_the_workbook()
    {
        // Halves long gone, which the schedule (catching up a few months only) never stores: the rows are this test's own.
        await StoreAnalysisAsync("2019-H1");
        await StoreAnalysisAsync("2019-H2");

        await using var session = await web.SignInAsync(web.Operator);
        var page = session.Page;
        await page.GotoAsync("/reports/fault-analysis");

        var stored = page.GetByTestId("stored-analyses");
        await Assertions.Expect(stored.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Stored half-year fault analyses");
        var rows = stored.GetByTestId("stored-report").Filter(new() { HasText = "2019-H" });
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("2019-H2");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("2019-H1");
        var link = rows.Nth(1).GetByTestId("stored-xlsx");
        await Assertions.Expect(link).ToHaveTextAsync("Excel of 2019-H1");

        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.Equal("fault-analysis-2019-H1-unit.xlsx", download.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync());
        Assert.True(bytes.Length > 4 && bytes[0] == (byte)'P' && bytes[1] == (byte)'K', "the download is no workbook (a zip package)");

        var json = await page.APIRequest.GetAsync((await rows.Nth(1).GetByTestId("stored-json").GetAttributeAsync("href"))!);
        Assert.Equal(200, json.Status);
        using var figures = System.Text.Json.JsonDocument.Parse(await json.TextAsync());
        Assert.Equal("2019-H1", figures.RootElement.GetProperty("period").GetString());

        await Accessibility.AssertNoSeriousViolationsAsync(page, output);
    }

    [Fact]
    public async Task A_crew_member_reads_its_own_crews_analysis_in_chinese()
    {
        await using var session = await web.SignInAsync(web.Crew, "zh-CN");
        var page = session.Page;
        await page.GotoAsync("/reports/fault-analysis");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("半年度故障分析");
        await Assertions.Expect(page.GetByTestId("fault-trend")).ToContainTextAsync("上半年度");
        await Assertions.Expect(page.GetByTestId("fault-export-csv")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("crew=crew-masts$"));
        await Assertions.Expect(page.GetByTestId("stored-analyses").GetByRole(AriaRole.Heading)).ToHaveTextAsync("已存档半年度故障分析");
        await WebFixture.ScreenshotAsync(page, "fault-analysis.zh-CN");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);
    }

    /// <summary>
    /// Stores the service unit's analysis of <paramref name="half"/> as the Api's schedule does: the analysis and workbook
    /// the Api serves for it, in the archive of the rig's database.
    /// </summary>
    private async Task StoreAnalysisAsync(string half)
    {
        var json = await web.Rig.ApiClient.GetStringAsync(new Uri(web.BaseAddress, $"/api/reports/fault-analysis?half={half}"));
        var workbook = await web.Rig.ApiClient.GetByteArrayAsync(new Uri(web.BaseAddress, $"/api/reports/fault-analysis.xlsx?half={half}"));

        // Asking the archive once makes the Api create its table, if its schedule has not yet.
        using (var archive = await web.Rig.ApiClient.GetAsync(new Uri(web.BaseAddress, "/api/reports/archive?kind=fault_analysis")))
        {
            Assert.True(archive.IsSuccessStatusCode, await archive.Content.ReadAsStringAsync());
        }

        await using var connection = await new SqliteDatabase(web.Rig.DatabasePath).OpenAsync(CancellationToken.None);
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO stored_reports (kind, period, scope, generated_at, json, xlsx)
            VALUES ('fault_analysis', $period, 'unit', $generated, $json, $xlsx);
            """;
        insert.Parameters.AddWithValue("$period", half);
        insert.Parameters.AddWithValue("$generated", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("$json", json);
        insert.Parameters.Add("$xlsx", SqliteType.Blob).Value = workbook;
        Assert.Equal(1, await insert.ExecuteNonQueryAsync());
    }
}
