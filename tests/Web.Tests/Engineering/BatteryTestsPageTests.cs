using Xunit.Abstractions;
using System.Diagnostics;
using Microsoft.Playwright;

namespace Telemetry.Web.Tests.Engineering;

/// <summary>The battery tests page: an engineer starts a test on an emergency unit and sees its result and discharge curve.</summary>
[Collection(WebCollection.Name)]
public sealed class BatteryTestsPageTests(WebFixture web, ITestOutputHelper output)
{
    [Fact]
    public async Task A_function_test_started_from_the_page_shows_its_result_and_discharge_curve()
    {
        await using var session = await web.SignInAsync(web.Engineer);
        var page = session.Page;
        await page.GotoAsync("/battery-tests");
        var unit = page.Locator("[data-testid=battery-unit][data-device='eps-01']");
        await Assertions.Expect(unit).ToBeVisibleAsync();
        await Assertions.Expect(unit.GetByRole(AriaRole.Button, new() { Name = "Function test eps-01" })).ToBeEnabledAsync(new() { Timeout = 60_000 });
        var before = await unit.GetByTestId("test-result").CountAsync();

        var watch = Stopwatch.StartNew();
        await unit.GetByRole(AriaRole.Button, new() { Name = "Function test eps-01" }).ClickAsync();
        await Assertions.Expect(unit.GetByTestId("command-result")).ToContainTextAsync("Function test: accepted by the unit");
        output.WriteLine($"command answered after {watch.ElapsedMilliseconds} ms");

        // The gateway watches the test, reports it finished with its curve; Ingest stores it; the page reads it.
        await Assertions.Expect(unit.GetByTestId("test-result")).ToHaveCountAsync(before + 1, new() { Timeout = 120_000 });
        output.WriteLine($"result shown after {watch.ElapsedMilliseconds} ms");
        var result = unit.GetByTestId("test-result").First;
        await Assertions.Expect(result).ToContainTextAsync("function test");
        await Assertions.Expect(result).ToContainTextAsync("passed");
        var curve = unit.Locator("[data-testid=discharge-curve] polyline[data-testid=curve-line]");
        await Assertions.Expect(curve).ToBeVisibleAsync();
        var points = (await curve.GetAttributeAsync("points"))!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        output.WriteLine($"discharge curve of {points.Length} points");
        Assert.True(points.Length >= 2, $"a curve of {points.Length} points");

        // The command is audited as the Api audits it: who, from the web.
        await Assertions.Expect(unit.GetByTestId("test-commands")).ToContainTextAsync(web.Engineer.Name);
        await WebFixture.ScreenshotAsync(page, "battery-tests.en");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);
    }

    [Fact]
    public async Task An_operator_sees_the_units_but_cannot_start_a_test()
    {
        await using var session = await web.SignInAsync(web.Operator);
        var page = session.Page;
        await page.GotoAsync("/battery-tests");
        var unit = page.Locator("[data-testid=battery-unit][data-device='eps-01']");
        await Assertions.Expect(unit).ToBeVisibleAsync();
        await Assertions.Expect(unit.GetByRole(AriaRole.Button, new() { Name = "Function test eps-01" })).ToBeDisabledAsync();
        await Assertions.Expect(unit.GetByRole(AriaRole.Button, new() { Name = "One-hour test eps-01" })).ToBeDisabledAsync();
    }

    [Fact]
    public async Task An_engineer_reading_chinese_may_start_the_one_hour_test_by_its_trade_name()
    {
        await using var session = await web.SignInAsync(web.Engineer, "zh-CN");
        var page = session.Page;
        await page.GotoAsync("/battery-tests");
        var unit = page.Locator("[data-testid=battery-unit][data-device='eps-01']");
        await Assertions.Expect(unit.GetByRole(AriaRole.Button, new() { Name = "1 小时试验 eps-01" })).ToBeEnabledAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(unit.GetByRole(AriaRole.Button, new() { Name = "One-hour test eps-01" })).ToHaveCountAsync(0);
    }
}
