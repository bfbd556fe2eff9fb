using System.Diagnostics;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Telemetry.Web.Tests.Devices;

/// <summary>
/// The device page: what the device is, its live values, its tickets, its trend with ticket steps marked, and the
/// manual opening of a ticket. Works on box-01 (faults injected, tickets opened) and eps-01 (its trend only).
/// </summary>
[Collection(WebCollection.Name)]
public sealed class DevicePageTests(WebFixture web, ITestOutputHelper output)
{
    private const string Box = "/devices/rig/box-01";
    private const string Battery = "/devices/rig/eps-01";

    // Readings reach the trend through the gateway, the broker, Ingest and InfluxDB: well within this on the rig.
    private static readonly LocatorAssertionsToHaveAttributeOptions Pipeline = new() { Timeout = 90_000 };

    [Fact]
    public async Task The_device_page_shows_what_the_device_is_and_its_live_values_and_updates_them()
    {
        await using var session = await web.SignInAsync(web.Operator);
        var page = session.Page;
        await page.GotoAsync(Box);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Distribution box box-01");
        await Assertions.Expect(page.GetByTestId("device-location")).ToHaveTextAsync("Rig street 4");
        await Assertions.Expect(page.GetByTestId("device-online")).ToHaveTextAsync("Online", new() { Timeout = 30_000 });
        var insulation = page.Locator("[data-testid=live-value][data-point=insulation_mohm]");
        await Assertions.Expect(insulation.Locator("th")).ToHaveTextAsync("Insulation resistance");
        await Assertions.Expect(insulation.Locator("td")).ToContainTextAsync("MΩ");

        // The device is read every second: the page follows its readings without a reload.
        var first = await page.GetByTestId("device-last-reading").InnerTextAsync();
        var watch = Stopwatch.StartNew();
        await Assertions.Expect(page.GetByTestId("device-last-reading")).Not.ToHaveTextAsync(first, new() { Timeout = 30_000 });
        output.WriteLine($"last reading time moved on after {watch.ElapsedMilliseconds} ms");

        // A changed value shows as the device reports it.
        watch.Restart();
        await web.Rig.InjectFaultAsync("box-01", new { fault = "high_earth_resistance", ohm = 6.5 });
        var earth = page.Locator("[data-testid=live-value][data-point=earth_resistance_ohm]");
        await Assertions.Expect(earth.GetByTestId("live-number")).ToHaveTextAsync("6.5", new() { Timeout = 30_000 });
        await Assertions.Expect(earth.Locator("th")).ToHaveTextAsync("Earth resistance");
        output.WriteLine($"an injected earth resistance showed after {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task The_trend_draws_an_hour_switches_to_a_day_and_zooms_by_buttons_and_by_dragging()
    {
        await using var session = await web.SignInAsync(web.Engineer);
        var page = session.Page;
        await page.GotoAsync(Battery);
        var chart = page.GetByTestId("trend-chart");

        // The last hour, one point per 15 s; the chart is read again every 30 s until the store has readings.
        var watch = Stopwatch.StartNew();
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-step", "15s");
        await Assertions.Expect(chart).Not.ToHaveAttributeAsync("data-points", "0", new() { Timeout = 90_000 });
        output.WriteLine($"points of the last hour drawn after {watch.ElapsedMilliseconds} ms: {await chart.GetAttributeAsync("data-points")}");
        await Assertions.Expect(page.GetByTestId("trend-range-1h")).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.True(await chart.Locator("[data-testid=trend-line], circle").CountAsync() > 0);
        await Assertions.Expect(chart.Locator("#trend-desc")).ToContainTextAsync("Battery voltage of eps-01");
        await Assertions.Expect(chart.Locator("#trend-desc")).ToContainTextAsync("Latest:");

        await page.GetByTestId("trend-range-24h").ClickAsync();
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-step", "10m");
        await Assertions.Expect(page.GetByTestId("trend-range-24h")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(page.GetByTestId("trend-range-1h")).ToHaveAttributeAsync("aria-pressed", "false");
        await Assertions.Expect(chart).Not.ToHaveAttributeAsync("data-points", "0");

        // Zoom in: half the window, a finer step; out again: the day.
        await page.GetByTestId("trend-zoom-in").ClickAsync();
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-step", "5m");
        await Assertions.Expect(page.GetByTestId("trend-range-24h")).ToHaveAttributeAsync("aria-pressed", "false");
        await page.GetByTestId("trend-zoom-out").ClickAsync();
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-step", "10m");

        // Drag across the last tenth of the day (about 2.4 h): a step of a minute, and the readings are still drawn.
        var bands = chart.Locator(".trend-band");
        Assert.Equal(100, await bands.CountAsync());
        var from = await bands.Nth(90).BoundingBoxAsync();
        var to = await bands.Nth(99).BoundingBoxAsync();
        await page.Mouse.MoveAsync(from!.X + (from.Width / 2), from.Y + (from.Height / 2));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(to!.X + (to.Width / 2), to.Y + (to.Height / 2), new() { Steps = 12 });
        await Assertions.Expect(chart.GetByTestId("trend-selection")).ToBeVisibleAsync();
        await page.Mouse.UpAsync();
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-step", "1m");
        await Assertions.Expect(chart).Not.ToHaveAttributeAsync("data-points", "0");
        Assert.Equal(0, await chart.GetByTestId("trend-selection").CountAsync());

        // And back to the last hour by its button, on another point of the device.
        await page.GetByTestId("trend-range-1h").ClickAsync();
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-step", "15s");
        await page.GetByTestId("trend-field").Filter(new() { Visible = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Battery temperature", Exact = true }).ClickAsync();
        await Assertions.Expect(chart.Locator("#trend-desc")).ToContainTextAsync("Battery temperature of eps-01");
        await Assertions.Expect(chart).Not.ToHaveAttributeAsync("data-points", "0");
        await Assertions.Expect(chart.Locator("#trend-desc")).ToContainTextAsync("°C at");
    }

    [Fact]
    public async Task An_operator_opens_a_ticket_by_hand_after_a_refused_empty_description_and_sees_it_listed_and_marked_on_the_trend()
    {
        await using var session = await web.SignInAsync(web.Operator);
        var page = session.Page;
        await page.GotoAsync(Box);
        await Assertions.Expect(page.GetByTestId("device-page")).ToBeVisibleAsync();

        await page.GetByTestId("open-ticket").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog.Locator("#open-crew")).ToHaveValueAsync("crew-central");
        await ChooseAsync(page, "open-fault", "Surge protector spent");
        await ShowsAsync(page, "open-grade", "Grade 3");
        await ChooseAsync(page, "open-grade", "Grade 2");

        // The description left empty: refused, naming the field; nothing opened.
        await dialog.GetByTestId("open-submit").ClickAsync();
        await Assertions.Expect(dialog.GetByText("Describe what is wrong.")).ToBeVisibleAsync();
        await WebFixture.ScreenshotAsync(page, "device-open-ticket.en");
        Assert.Equal(0, await page.Locator("[data-testid=open-tickets] [data-testid=device-ticket]", new() { HasText = "Surge protector spent" }).CountAsync());

        // Described: opened, listed among the open tickets with its link, and marked on the trend.
        var watch = Stopwatch.StartNew();
        await dialog.Locator("#open-description").FillAsync("SPD window red on the box, seen by the patrol");
        await dialog.GetByTestId("open-submit").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        var row = page.Locator("[data-testid=open-tickets] [data-testid=device-ticket]", new() { HasText = "Surge protector spent" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        var number = await row.GetAttributeAsync("data-ticket");
        Assert.False(string.IsNullOrEmpty(number));
        await Assertions.Expect(row.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", $"/tickets/{number}");
        await Assertions.Expect(row).ToContainTextAsync("Grade 2");
        var mark = page.Locator($"[data-testid=ticket-mark][data-ticket='{number}'][data-kind=opened]");
        await Assertions.Expect(mark).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator($"[data-testid=trend-event][data-ticket='{number}']")).ToContainTextAsync("Opened");
        output.WriteLine($"ticket {number} listed and marked {watch.ElapsedMilliseconds} ms after submitting");

        // The same fault again: refused in the page's words, with a link to the ticket already open.
        await page.GetByTestId("open-ticket").ClickAsync();
        await ChooseAsync(page, "open-fault", "Surge protector spent");
        await dialog.Locator("#open-description").FillAsync("Reported again by phone");
        await dialog.GetByTestId("open-submit").ClickAsync();
        await Assertions.Expect(dialog.GetByTestId("open-ticket-refused")).ToContainTextAsync($"Ticket {number} is already open");
        await Assertions.Expect(dialog.GetByTestId("existing-ticket")).ToHaveAttributeAsync("href", $"/tickets/{number}");
    }

    [Fact]
    public async Task A_crew_member_of_another_crew_gets_the_not_allowed_view_and_its_own_crews_device_opens()
    {
        await using var session = await web.SignInAsync(web.Crew);
        var page = session.Page;

        // box-01 is crew-central's; web.crew is in crew-masts.
        await page.GotoAsync(Box);
        await Assertions.Expect(page.GetByTestId("not-allowed")).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByTestId("device-page").CountAsync());
        Assert.Equal(0, await page.GetByTestId("live-values").CountAsync());

        // A mast of its own crew opens, without the operators' opening.
        await page.GotoAsync("/devices/rig/mast-01");
        await Assertions.Expect(page.GetByTestId("device-page")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("High mast mast-01");
        Assert.Equal(0, await page.GetByTestId("open-ticket").CountAsync());
    }

    [Fact]
    public async Task The_device_page_reads_in_chinese_and_in_english_and_passes_the_accessibility_check()
    {
        await using (var session = await web.SignInAsync(web.Operator, "zh-CN"))
        {
            var page = session.Page;
            await page.GotoAsync(Box);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("配电箱 box-01");
            await Assertions.Expect(page.Locator("[data-testid=live-value][data-point=insulation_mohm] th")).ToHaveTextAsync("绝缘电阻");
            await Assertions.Expect(page.Locator("[data-testid=live-value][data-point=residual_current_ma] th")).ToHaveTextAsync("漏电流");
            await Assertions.Expect(page.GetByTestId("trend-range-24h")).ToHaveTextAsync("24小时");
            await Assertions.Expect(page.GetByTestId("trend-chart")).Not.ToHaveAttributeAsync("data-points", "0", Pipeline);
            await WebFixture.ScreenshotAsync(page, "device.zh-CN");
        }

        await using (var session = await web.SignInAsync(web.Operator, "en"))
        {
            var page = session.Page;
            await page.GotoAsync(Box);
            await Assertions.Expect(page.GetByTestId("trend-chart")).Not.ToHaveAttributeAsync("data-points", "0", Pipeline);
            await Assertions.Expect(page.Locator("[data-testid=live-value][data-point=voltage_l1_v] th")).ToHaveTextAsync("Phase voltage L1");
            await WebFixture.ScreenshotAsync(page, "device.en");

            var axe = await page.RunAxe();
            var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
            foreach (var violation in axe.Violations)
            {
                output.WriteLine($"axe {violation.Impact} {violation.Id}: {violation.Help} ({string.Join(", ", violation.Nodes.Select(n => n.Html).Take(3))})");
            }

            Assert.Empty(serious);
        }
    }

    // A MudBlazor select of the dialog: opened by its combobox, an option picked from its list.
    private static async Task ChooseAsync(IPage page, string testId, string option)
    {
        await page.GetByRole(AriaRole.Dialog).GetByTestId(testId).Filter(new() { Visible = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
        await ShowsAsync(page, testId, option);
    }

    // What a select of the dialog shows: the text of its combobox, an input's value or an element's text as MudBlazor renders it.
    private static Task ShowsAsync(IPage page, string testId, string text) =>
        page.WaitForFunctionAsync(
            "([id, t]) => [...document.querySelectorAll(`.mud-dialog [data-testid=${id}]`)].some(e => e.style.display !== 'none' && ((e.value ?? '') + ' ' + e.innerText).includes(t))",
            new object[] { testId, text },
            new() { Timeout = 5_000 });
}
