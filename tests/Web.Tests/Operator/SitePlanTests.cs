using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Telemetry.Web.Tests.Operator;

/// <summary>A site's plan: every device drawn at its coordinates, in its state's colour, named for screen readers, linking to its page.</summary>
[Collection(WebCollection.Name)]
public sealed class SitePlanTests(WebFixture web)
{
    [Fact]
    public async Task The_plan_draws_each_device_at_its_place_with_an_accessible_name_and_a_link_to_its_page()
    {
        await using var session = await web.SignInAsync(web.Operator, "en", new ViewportSize { Width = 1920, Height = 1080 });
        var page = session.Page;
        await page.GotoAsync("/plant");
        await page.Locator("[data-testid=site-card][data-site=rig]").GetByRole(AriaRole.Link, new() { Name = "Site plan" }).ClickAsync();
        await page.WaitForURLAsync("**/plant/rig");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Site plan: Test rig", Level = 1 })).ToBeVisibleAsync();

        var devices = page.GetByTestId("plan-device");
        await Expect(devices).ToHaveCountAsync(WebFixture.Devices.Count);
        var places = new HashSet<(int, int)>();
        foreach (var device in WebFixture.Devices)
        {
            var symbol = page.Locator($"[data-testid=plan-device][data-device='{device.Id}']");
            await Expect(symbol).ToHaveAttributeAsync("href", $"/devices/rig/{device.Id}");
            await Expect(symbol).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex($"^{device.Id}, .+: .+"));
            var box = await symbol.BoundingBoxAsync();
            Assert.NotNull(box);
            places.Add(((int)box.X, (int)box.Y));
        }

        // On a ring round the site's centre: each device in a place of its own.
        Assert.Equal(WebFixture.Devices.Count, places.Count);
        await Expect(page.GetByTestId("plan-unplaced")).ToHaveCountAsync(0);
        await WebFixture.ScreenshotAsync(page, "plan.en");

        await page.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^mast-01, ") }).ClickAsync();
        await page.WaitForURLAsync("**/devices/rig/mast-01");
    }

    [Fact]
    public async Task A_site_that_does_not_exist_is_said_so_and_the_way_back_leads_to_the_overview()
    {
        await using var session = await web.SignInAsync(web.Operator, "zh-CN");
        var page = session.Page;
        await page.GotoAsync("/plant/nowhere");
        await Expect(page.GetByTestId("plan-not-found")).ToContainTextAsync("不存在项目 nowhere。");

        await page.GetByRole(AriaRole.Link, new() { Name = "返回设施总览" }).ClickAsync();
        await page.WaitForURLAsync("**/plant");
        await Expect(page.Locator("[data-testid=site-card][data-site=rig]")).ToBeVisibleAsync();
        await WebFixture.ScreenshotAsync(page, "plan-not-found.zh-CN");
    }
}
