using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Telemetry.Web.Tests.Operator;

/// <summary>The wall screen's overview: every site as a card with its live figures, the alarm list below, in both languages.</summary>
[Collection(WebCollection.Name)]
public sealed class PlantOverviewTests(WebFixture web)
{
    [Theory]
    [InlineData("en", 1920, 1080, "overview.en", "Plant overview", "Lamp lighting rate", "Devices online")]
    [InlineData("zh-CN", 1920, 1080, "overview.zh-CN", "设施总览", "亮灯率", "设备在线率")]
    [InlineData("en", 1600, 900, "overview.en.1600x900", "Plant overview", "Lamp lighting rate", "Devices online")]
    public async Task The_overview_shows_each_site_with_its_live_figures_and_the_alarms_below(
        string language, int width, int height, string screenshot, string title, string lightingRate, string devicesOnline)
    {
        await using var session = await web.SignInAsync(web.Operator, language, new ViewportSize { Width = width, Height = height });
        var page = session.Page;
        await page.GotoAsync("/plant");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
        var card = page.Locator("[data-testid=site-card][data-site=rig]");
        await Expect(card.GetByRole(AriaRole.Heading, new() { Name = "Test rig", Level = 2 })).ToBeVisibleAsync();
        await Expect(card).ToContainTextAsync(lightingRate);
        await Expect(card).ToContainTextAsync(devicesOnline);

        // The rig's six devices and one gateway report: the counts come from the live plant.
        await Expect(card.GetByTestId("devices-online")).ToHaveTextAsync(new Regex(@"^[1-6] / 6$"));
        await Expect(card.GetByTestId("gateways-online")).ToHaveTextAsync("1 / 1");
        await Expect(card.Locator("[data-testid^=open-grade-]")).ToHaveCountAsync(4);
        await Expect(card.GetByTestId("overdue")).ToHaveTextAsync(new Regex(@"^\d+$"));
        await Expect(card.GetByRole(AriaRole.Link, new() { Name = language == "en" ? "Site plan" : "平面图" })).ToHaveAttributeAsync("href", "/plant/rig");
        await Expect(page.GetByTestId("alarm-list")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("alarm-count")).ToBeVisibleAsync();
        await WebFixture.ScreenshotAsync(page, screenshot);
    }
}
