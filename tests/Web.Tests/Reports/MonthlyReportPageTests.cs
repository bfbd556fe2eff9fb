using Xunit.Abstractions;
using Microsoft.Playwright;

namespace Telemetry.Web.Tests.Reports;

/// <summary>The monthly report page: the month's figures, its charts, its exports and what each role may pick.</summary>
[Collection(WebCollection.Name)]
public sealed class MonthlyReportPageTests(WebFixture web, ITestOutputHelper output)
{
    [Fact]
    public async Task An_operator_sees_the_months_figures_with_their_charts_and_exports()
    {
        await using var session = await web.SignInAsync(web.Operator);
        var page = session.Page;
        await page.GotoAsync("/reports");

        var figures = page.GetByTestId("monthly-figures");
        await Assertions.Expect(figures).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(figures.GetByTestId("figure-lighting-rate")).ToContainTextAsync("Lamp lighting rate");
        await Assertions.Expect(figures.GetByTestId("figure-response")).ToContainTextAsync("Response on time");
        // The rig has a readings store and a work-order store: both figures are reported, never "not available".
        await Assertions.Expect(figures.GetByTestId("figure-emergency-tests")).ToContainTextAsync("Emergency");
        await Assertions.Expect(figures.GetByTestId("figure-emergency-tests")).Not.ToContainTextAsync("Not available");
        await Assertions.Expect(figures.GetByTestId("figure-planned-work")).Not.ToContainTextAsync("Not available");
        await Assertions.Expect(figures.GetByTestId("figure-emergency-tests")).ToContainTextAsync("units passed");
        await Assertions.Expect(figures.GetByTestId("figure-planned-work")).ToContainTextAsync("done on time");
        await Assertions.Expect(page.GetByTestId("tickets-by-grade").Locator("[data-testid=grade-bar]")).ToHaveCountAsync(4);
        await Assertions.Expect(page.GetByTestId("lighting-by-unit")).ToBeVisibleAsync();

        // The exports are the Api's, with the page's month and scope, and open with the same session.
        var csvLink = page.GetByTestId("export-csv");
        var href = await csvLink.GetAttributeAsync("href");
        Assert.Matches(@"^/api/reports/monthly\.csv\?month=\d{4}-\d{2}$", href);
        var csv = await page.APIRequest.GetAsync(href!);
        Assert.Equal(200, csv.Status);
        Assert.Contains("lighting_rate_percent,", await csv.TextAsync(), StringComparison.Ordinal);

        await page.GetByTestId("report-scope").SelectOptionAsync(new SelectOptionValue { Label = "Crew crew-masts" });
        await Assertions.Expect(page.GetByTestId("export-xlsx")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("crew=crew-masts$"));
        await Assertions.Expect(page.GetByTestId("monthly-figures")).ToBeVisibleAsync();

        await WebFixture.ScreenshotAsync(page, "monthly-report.en");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);
    }

    [Fact]
    public async Task A_crew_member_picks_only_its_own_crew()
    {
        await using var session = await web.SignInAsync(web.Crew, "zh-CN");
        var page = session.Page;
        await page.GotoAsync("/reports");

        await Assertions.Expect(page.GetByTestId("monthly-figures")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("figure-lighting-rate")).ToContainTextAsync("亮灯率");
        var options = await page.GetByTestId("report-scope").Locator("option").AllTextContentsAsync();
        Assert.All(options, o => Assert.StartsWith("班组 ", o, StringComparison.Ordinal));
        await WebFixture.ScreenshotAsync(page, "monthly-report.zh-CN");
    }
}
