using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Telemetry.Web.Tests.Operator;

/// <summary>The operator's pages pass axe with nothing serious or critical, with an alarm in the list.</summary>
[Collection(WebCollection.Name)]
public sealed class AccessibilityTests(WebFixture web)
{
    [Theory]
    [InlineData("/plant", "en")]
    [InlineData("/alarms", "en")]
    [InlineData("/plant/rig", "en")]
    [InlineData("/plant", "zh-CN")]
    [InlineData("/alarms", "zh-CN")]
    public async Task The_page_has_no_serious_or_critical_accessibility_violation(string path, string language)
    {
        const string asset = "rig/gw-rig/sc-01";
        await PlantTickets.CloseAllAsync(web.Rig, asset);
        var number = await PlantTickets.OpenAsync(web.Rig, asset, "door_open", 3);
        try
        {
            await using var session = await web.SignInAsync(web.Operator, language, new ViewportSize { Width = 1920, Height = 1080 });
            var page = session.Page;
            await page.GotoAsync(path);
            if (path == "/plant/rig")
            {
                await Expect(page.GetByTestId("plan-device").First).ToBeVisibleAsync();
            }
            else
            {
                await Expect(page.Locator($"[data-testid=alarm-row][data-number='{number}']")).ToBeVisibleAsync();
            }

            var result = await page.RunAxe();
            var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
            Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Select(n => n.Html))}")));
        }
        finally
        {
            await PlantTickets.CloseAsync(web.Rig, number);
        }
    }
}
