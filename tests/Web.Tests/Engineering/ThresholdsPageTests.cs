using Xunit.Abstractions;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using Telemetry.Testing;

namespace Telemetry.Web.Tests.Engineering;

/// <summary>The engineer's thresholds page: the values in force per scope, a change with its reason and history, and the backtest of a proposal.</summary>
[Collection(WebCollection.Name)]
public sealed class ThresholdsPageTests(WebFixture web, ITestOutputHelper output)
{
    private const string DoorLimit = "door_open.limit_min";

    [Fact]
    public async Task An_engineer_sets_a_device_threshold_with_a_reason_sees_it_in_force_and_in_the_history_and_backtests_a_proposal_that_would_open_a_ticket()
    {
        // Three days ago, sc-01's cabinet door stood open from 10:00 to 10:30: longer than 10 minutes, shorter than an hour.
        var day = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-3), TimeSpan.Zero);
        await StoreDoorDayAsync(day, day.AddHours(10), day.AddHours(10).AddMinutes(30));

        await using var session = await web.SignInAsync(web.Engineer);
        var page = session.Page;
        await page.GotoAsync("/thresholds?scope=" + Uri.EscapeDataString("device:rig/sc-01") + "&parameter=" + DoorLimit);
        var row = page.Locator($"tr[data-parameter='{DoorLimit}']");
        await Assertions.Expect(row.GetByTestId("effective")).ToHaveTextAsync("5 min");
        await Assertions.Expect(row.GetByTestId("source")).ToHaveTextAsync("Default");

        // A street controller's scope lists the parameters of the rules that judge street controllers, not an emergency unit's.
        Assert.Equal(0, await page.Locator("tr[data-parameter='charger_fault.debounce_readings']").CountAsync());

        // The cabinet is opened for the monthly meter reading, which takes up to an hour.
        const string reason = "sc-01 cabinet is opened for the monthly meter reading, up to an hour";
        await page.Locator("#threshold-value").FillAsync("60");
        await page.Locator("#threshold-reason").FillAsync(reason);
        await page.GetByTestId("save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("saved")).ToContainTextAsync("60 min");
        await Assertions.Expect(row.GetByTestId("effective")).ToHaveTextAsync("60 min");
        await Assertions.Expect(row.GetByTestId("source")).ToHaveTextAsync("Device: rig / sc-01");
        var history = page.GetByTestId("history-row").First;
        await Assertions.Expect(history).ToContainTextAsync(reason);
        await Assertions.Expect(history).ToContainTextAsync(web.Engineer.Name);
        await Assertions.Expect(history).ToContainTextAsync("none → 60");
        await WebFixture.ScreenshotAsync(page, "thresholds.en");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);

        // Backtest 10 minutes over the stored days: the 30 minutes open would have opened a door ticket, 60 does not.
        await page.Locator("#backtest-value").FillAsync("10");
        var local = TimeZoneInfo.ConvertTime(day.AddHours(10), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        await page.Locator("#backtest-from").FillAsync(local.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.Locator("#backtest-to").FillAsync(local.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var watch = Stopwatch.StartNew();
        await page.GetByTestId("run-backtest").ClickAsync();
        var expected = page.Locator("[data-testid=expected-ticket][data-change=would_open][data-fault=door_open]");
        await Assertions.Expect(expected).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        output.WriteLine($"backtest over 3 days shown after {watch.ElapsedMilliseconds} ms");
        await Assertions.Expect(expected).ToContainTextAsync("sc-01");
        await Assertions.Expect(expected).ToContainTextAsync(local.ToString("yyyy-MM-dd HH:", CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("[data-testid=backtest-chart] rect[data-series=proposed]")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("backtest-summary")).ToContainTextAsync("1 more would open");
        await WebFixture.ScreenshotAsync(page, "backtest.en");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);
    }

    [Fact]
    public async Task A_change_without_reason_and_out_of_range_shows_the_field_errors_and_then_a_valid_change_is_applied()
    {
        await using var session = await web.SignInAsync(web.Engineer, "zh-CN");
        var page = session.Page;
        await page.GotoAsync("/thresholds?scope=" + Uri.EscapeDataString("device:rig/eps-01") + "&parameter=charger_fault.debounce_readings");
        await Assertions.Expect(page.GetByTestId("change-form")).ToBeVisibleAsync();

        await page.Locator("#threshold-value").FillAsync("1000");
        await page.Locator("#threshold-reason").FillAsync("");
        await page.GetByTestId("save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("change-form")).ToContainTextAsync("请填写修改原因。");
        await Assertions.Expect(page.GetByTestId("change-form")).ToContainTextAsync("须为整数，范围： 1 – 100 次");
        Assert.Equal(0, await page.GetByTestId("saved").CountAsync());
        await WebFixture.ScreenshotAsync(page, "thresholds.zh-CN");

        await page.Locator("#threshold-value").FillAsync("3");
        await page.Locator("#threshold-reason").FillAsync("eps-01 充电器偶发误报，连续 3 次再开单");
        await page.GetByTestId("save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("saved")).ToContainTextAsync("3 次");
        await Assertions.Expect(page.GetByTestId("history-row").First).ToContainTextAsync("连续 3 次再开单");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);
    }

    [Fact]
    public async Task A_change_based_on_a_stale_version_says_it_changed_meanwhile_and_reloads()
    {
        await using var first = await web.SignInAsync(web.Engineer);
        await using var second = await web.SignInAsync(web.Engineer);
        var address = "/thresholds?scope=" + Uri.EscapeDataString("device:rig/eps-01") + "&parameter=mains_lost.debounce_readings";
        await first.Page.GotoAsync(address);
        await second.Page.GotoAsync(address);
        await Assertions.Expect(first.Page.GetByTestId("change-form")).ToBeVisibleAsync();
        await Assertions.Expect(second.Page.GetByTestId("change-form")).ToBeVisibleAsync();

        await second.Page.Locator("#threshold-value").FillAsync("4");
        await second.Page.Locator("#threshold-reason").FillAsync("eps-01 mains flickers at the substation switch-over");
        await second.Page.GetByTestId("save").ClickAsync();
        await Assertions.Expect(second.Page.GetByTestId("saved")).ToBeVisibleAsync();

        await first.Page.Locator("#threshold-value").FillAsync("5");
        await first.Page.Locator("#threshold-reason").FillAsync("eps-01 mains flickers, five readings");
        await first.Page.GetByTestId("save").ClickAsync();
        await Assertions.Expect(first.Page.GetByTestId("stale")).ToBeVisibleAsync();
        var row = first.Page.Locator("tr[data-parameter='mains_lost.debounce_readings']");
        await Assertions.Expect(row.GetByTestId("effective")).ToHaveTextAsync("4 readings");

        // Read anew, the same change goes through.
        await first.Page.GetByTestId("save").ClickAsync();
        await Assertions.Expect(first.Page.GetByTestId("saved")).ToContainTextAsync("5 readings");
    }

    private async Task StoreDoorDayAsync(DateTimeOffset day, DateTimeOffset opened, DateTimeOffset closed)
    {
        var lines = new StringBuilder();
        for (var at = day; at < day.AddDays(1); at = at.AddMinutes(1))
        {
            var open = at >= opened && at < closed;
            lines.Append(CultureInfo.InvariantCulture, $"street_controller,site=rig,gateway=gw-rig,device=sc-01 door_open={(open ? "true" : "false")} {at.ToUnixTimeMilliseconds()}\n");
        }

        using var http = new HttpClient { BaseAddress = web.Rig.Influx!.Url };
        using var body = new StringContent(lines.ToString(), Encoding.UTF8, "text/plain");
        using var response = await http.PostAsync(new Uri("write?db=telemetry&precision=ms", UriKind.Relative), body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
