using System.Text.Json;
using Microsoft.Playwright;
using Telemetry.Testing;
using Xunit.Abstractions;

namespace Telemetry.Web.Tests.Maintenance;

/// <summary>The maintenance calendar: the work orders Rules scheduled for the rig's plant, worked by the masts' crew.</summary>
[Collection(WebCollection.Name)]
public sealed class MaintenanceCalendarTests(WebFixture web, ITestOutputHelper output)
{
    [Fact]
    public async Task A_crew_finds_its_patrols_on_the_calendar_and_completes_one_with_its_reading_and_the_report_falls_due()
    {
        // Rules schedules the coming two weeks when it starts: wait until the masts' patrols are there.
        await Eventually.TrueAsync(
            async () => (await PatrolsAsync()).Count > 0,
            $"Rules schedules the masts' patrols\n{web.Rig.Logs()}");

        await using (var chinese = await web.SignInAsync(web.Crew, "zh-CN"))
        {
            await chinese.Page.GotoAsync("/maintenance");
            await Assertions.Expect(chinese.Page.Locator("h1")).ToHaveTextAsync("维护日历");
            await Assertions.Expect(chinese.Page.GetByTestId("calendar-order").Filter(new() { HasText = "高杆灯巡检" }).First).ToBeVisibleAsync();
            await WebFixture.ScreenshotAsync(chinese.Page, "maintenance-calendar.zh-CN");
        }

        await using var session = await web.SignInAsync(web.Crew);
        var page = session.Page;
        await page.GotoAsync("/maintenance");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Maintenance calendar");
        var patrol = page.GetByTestId("calendar-order").Filter(new() { HasText = "High-mast patrol · mast-01" }).First;
        var number = await patrol.GetAttributeAsync("data-number");
        Assert.NotNull(number);
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);
        await patrol.ClickAsync();

        var order = page.GetByTestId("work-order");
        await Assertions.Expect(order).ToHaveAttributeAsync("data-number", number);
        await order.GetByTestId("work-order-start").ClickAsync();
        await Assertions.Expect(order).ToHaveAttributeAsync("data-status", "in_progress");
        await order.GetByTestId("work-order-complete").ClickAsync();
        var form = order.GetByTestId("completion-form");
        await form.GetByText("Surroundings safe (trees, works, signs)").ClickAsync();
        await form.GetByLabel("Lamps dark").FillAsync("2");
        await WebFixture.ScreenshotAsync(page, "maintenance-complete.en");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);
        await form.GetByTestId("completion-send").ClickAsync();

        await Assertions.Expect(order).ToHaveAttributeAsync("data-status", "done");
        await Assertions.Expect(order.GetByTestId("report-due")).ToContainTextAsync("Inspection report due");
        await Assertions.Expect(order.GetByTestId("work-order-reading")).ToHaveTextAsync("Lamps dark: 2");
        await Assertions.Expect(page.Locator($"[data-testid=calendar-order][data-number='{number}']")).ToHaveAttributeAsync("data-status", "done");

        // The Api serves it as the crew left it: the reading, and the item found wrong.
        using var stored = JsonDocument.Parse(await web.Rig.ApiClient.GetStringAsync(new Uri(web.BaseAddress, $"/api/work-orders/{number}")));
        Assert.Equal(2, stored.RootElement.GetProperty("readings").GetProperty("lamps_dark").GetDouble());
        Assert.False(stored.RootElement.GetProperty("checklist").EnumerateArray().Single(i => i.GetProperty("code").GetString() == "surroundings").GetProperty("passed").GetBoolean());
    }

    private async Task<IReadOnlyList<JsonElement>> PatrolsAsync()
    {
        using var document = JsonDocument.Parse(await web.Rig.ApiClient.GetStringAsync(new Uri(web.BaseAddress, "/api/work-orders?crew=crew-masts&task=high_mast_patrol&status=planned")));
        return [.. document.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone())];
    }
}
