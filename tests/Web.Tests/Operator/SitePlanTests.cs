using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Telemetry.Testing;
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

    [Fact]
    public async Task A_site_picture_is_served_to_signed_in_users_only_and_a_site_without_one_is_drawn_on_plain_ground()
    {
        // Nobody signed in: sent to sign in, not given the picture.
        var anonymous = await web.Playwright.APIRequest.NewContextAsync(new() { BaseURL = web.BaseAddress.ToString() });
        await using var _ = anonymous;
        var refused = await anonymous.GetAsync("/plant-images/rig", new() { MaxRedirects = 0 });
        Assert.Equal(302, refused.Status);
        Assert.Contains("/sign-in?back=%2Fplant-images%2Frig", refused.Headers["location"], StringComparison.Ordinal);

        // Signed in: the rig sets no picture, so there is none to fetch and the plan draws none.
        await using var session = await web.SignInAsync(web.Operator);
        var none = await session.Context.APIRequest.GetAsync("/plant-images/rig");
        Assert.Equal(404, none.Status);
        await session.Page.GotoAsync("/plant/rig");
        await Expect(session.Page.GetByTestId("plan-device").First).ToBeVisibleAsync();
        await Expect(session.Page.GetByTestId("plan-image")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_device_that_falls_silent_turns_offline_on_the_plan_and_back_when_it_answers_again()
    {
        const string controller = "rig/gw-rig/sc-01";
        await PlantTickets.CloseAllAsync(web.Rig, controller);
        await using var session = await web.SignInAsync(web.Operator, "zh-CN", new ViewportSize { Width = 1600, Height = 900 });
        var page = session.Page;
        await page.GotoAsync("/plant/rig");
        var symbol = page.Locator("[data-testid=plan-device][data-device=sc-01]");
        await Expect(symbol).ToHaveAttributeAsync("data-state", "ok");
        var overview = await session.Context.NewPageAsync();
        await overview.GotoAsync("/plant");
        var online = overview.Locator("[data-testid=site-card][data-site=rig]").GetByTestId("devices-online");
        await Expect(online).ToHaveTextAsync("6 / 6");

        // No answer for three polls: offline, said in the symbol's name as well as drawn; its silence ticket follows.
        await web.Rig.InjectFaultAsync("sc-01", new { fault = "silent" });
        await Expect(symbol).ToHaveAttributeAsync("aria-label", new Regex("离线"), new() { Timeout = 30_000 });
        await WebFixture.ScreenshotAsync(page, "plan-offline.zh-CN");
        await Expect(online).ToHaveTextAsync("5 / 6");

        await web.Rig.ClearFaultAsync("sc-01", "silent");
        await Expect(symbol).Not.ToHaveAttributeAsync("aria-label", new Regex("离线"), new() { Timeout = 30_000 });
        foreach (var ticket in await web.Rig.TicketsAsync($"open=true&asset={Uri.EscapeDataString(controller)}"))
        {
            var number = ticket.GetProperty("number").GetString()!;
            await Eventually.TrueAsync(async () => !(await web.Rig.TicketAsync(number)).GetProperty("condition_active").GetBoolean(), $"the silence clears on {number}", TimeSpan.FromSeconds(60));
            await PlantTickets.CloseAsync(web.Rig, number);
        }

        await Expect(symbol).ToHaveAttributeAsync("data-state", "ok");
        await Expect(online).ToHaveTextAsync("6 / 6");
    }
}
