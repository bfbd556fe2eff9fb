using System.Text.Json;
using Microsoft.Playwright;
using Telemetry.Testing;
using Xunit.Abstractions;

namespace Telemetry.Web.Tests.Maintenance;

/// <summary>The engineers' maintenance intervals page: the interval in force of each recurring task, a change with its reason, and its history.</summary>
[Collection(WebCollection.Name)]
public sealed class IntervalsPageTests(WebFixture web, ITestOutputHelper output)
{
    // Controller calibration: yearly by the standard, due on 31 December; made twice a year it falls due on 30 June
    // and 31 December, neither inside the fortnight Rules schedules ahead, so the change makes no work order for the
    // other tests sharing the rig.
    private const string Task = "controller_calibration";

    [Fact]
    public async Task An_engineer_makes_a_task_twice_yearly_with_a_reason_after_a_refused_count_and_finds_it_in_force_and_in_the_history()
    {
        await using (var chinese = await web.SignInAsync(web.Engineer, "zh-CN"))
        {
            await chinese.Page.GotoAsync("/intervals");
            await Assertions.Expect(chinese.Page.Locator("h1")).ToHaveTextAsync("维护周期");
            var calibration = chinese.Page.Locator($"[data-testid=interval-row][data-task={Task}]");
            await Assertions.Expect(calibration).ToContainTextAsync("光控/时控器校准");
            await Assertions.Expect(chinese.Page.Locator("[data-testid=interval-row][data-task=rcd_fuse_check] [data-testid=in-force]")).ToHaveTextAsync("每月 1 次");
            await WebFixture.ScreenshotAsync(chinese.Page, "intervals.zh-CN");
        }

        await using var session = await web.SignInAsync(web.Engineer);
        var page = session.Page;
        await page.GotoAsync("/intervals");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Maintenance intervals");
        var row = page.Locator($"[data-testid=interval-row][data-task={Task}]");
        await Assertions.Expect(row.GetByTestId("in-force")).ToHaveTextAsync("1× per year");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);

        // Five times a year does not split the year into whole months: refused, named on the field, nothing changed.
        await row.GetByTestId("interval-edit").ClickAsync();
        var form = page.GetByTestId("interval-form");
        await Assertions.Expect(form).ToHaveAttributeAsync("data-task", Task);
        await page.Locator("#interval-times").FillAsync("5");
        await page.Locator("#interval-reason").FillAsync("x");
        await form.GetByTestId("interval-apply").ClickAsync();
        await Assertions.Expect(form).ToContainTextAsync("Not allowed for this period");
        await Assertions.Expect(row.GetByTestId("in-force")).ToHaveTextAsync("1× per year");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);

        // Twice a year, with the reason: in force, kept in the history, and served by the Api the scheduler reads.
        const string reason = "Controllers on the coast drift faster in the humid season: calibrate before and after it";
        await page.Locator("#interval-times").FillAsync("2");
        await page.Locator("#interval-reason").FillAsync(reason);
        await form.GetByTestId("interval-apply").ClickAsync();
        await Assertions.Expect(page.GetByTestId("interval-saved")).ToContainTextAsync("Light/time controller calibration is now due 2× per year.");
        await Assertions.Expect(row.GetByTestId("in-force")).ToHaveTextAsync("2× per year · changed");
        var history = page.Locator($"[data-testid=interval-history-row][data-task={Task}]").First;
        await Assertions.Expect(history).ToContainTextAsync(reason);
        await Assertions.Expect(history).ToContainTextAsync(web.Engineer.Name);
        await Assertions.Expect(history).ToContainTextAsync("2× per year");
        await WebFixture.ScreenshotAsync(page, "intervals.en");

        using (var served = JsonDocument.Parse(await web.Rig.ApiClient.GetStringAsync(new Uri(web.BaseAddress, "/api/work-orders/intervals"))))
        {
            var calibration = served.RootElement.EnumerateArray().Single(i => i.GetProperty("task").GetString() == Task);
            Assert.Equal(2, calibration.GetProperty("times").GetInt32());
            Assert.Equal("year", calibration.GetProperty("per").GetString());
            Assert.Equal(reason, calibration.GetProperty("reason").GetString());
        }

        // Back to the standard, as the engineer would after the trial.
        await row.GetByTestId("interval-edit").ClickAsync();
        await page.Locator("#interval-times").FillAsync("1");
        await page.Locator("#interval-reason").FillAsync("Trial over: back to the yearly calibration of the standard");
        await form.GetByTestId("interval-apply").ClickAsync();
        await Assertions.Expect(row.GetByTestId("in-force")).ToHaveTextAsync("1× per year");
    }

    [Fact]
    public async Task An_operator_has_no_intervals_page_in_the_menu_and_is_turned_away_from_it()
    {
        await using var session = await web.SignInAsync(web.Operator);
        var page = session.Page;
        await page.GotoAsync("/plant");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Alarms" })).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Maintenance intervals" }).CountAsync());
        await page.GotoAsync("/intervals");
        await Assertions.Expect(page.GetByTestId("not-allowed")).ToBeVisibleAsync();
    }
}
