using System.Net.Http.Json;
using Microsoft.Playwright;
using Telemetry.Web.Tests.Tickets;
using Xunit.Abstractions;

namespace Telemetry.Web.Tests.Reports;

/// <summary>The half-yearly fault analysis page: the Pareto of causes and assets, the trend against the half before, and its exports.</summary>
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
    public async Task A_crew_member_reads_its_own_crews_analysis_in_chinese()
    {
        await using var session = await web.SignInAsync(web.Crew, "zh-CN");
        var page = session.Page;
        await page.GotoAsync("/reports/fault-analysis");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("半年度故障分析");
        await Assertions.Expect(page.GetByTestId("fault-trend")).ToContainTextAsync("上半年度");
        await Assertions.Expect(page.GetByTestId("fault-export-csv")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("crew=crew-masts$"));
        await WebFixture.ScreenshotAsync(page, "fault-analysis.zh-CN");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);
    }
}
