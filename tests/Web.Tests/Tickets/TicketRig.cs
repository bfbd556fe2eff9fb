using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Telemetry.Testing;

namespace Telemetry.Web.Tests.Tickets;

/// <summary>Tickets for the crew's pages, opened and moved through the Api as the rig's operator; a phone's screen.</summary>
internal static class TicketRig
{
    /// <summary>A phone held upright, the crews' first screen.</summary>
    public static readonly ViewportSize Phone = new() { Width = 360, Height = 740 };

    /// <summary>Opens a ticket by hand for crew-masts on <paramref name="device"/>; returns its number.</summary>
    public static async Task<string> OpenAsync(WebFixture web, string device, string fault, int grade = 3, string crew = "crew-masts")
    {
        using var answer = await web.Rig.ApiClient.PostAsJsonAsync(
            new Uri(web.BaseAddress, "/api/tickets"),
            new { asset = $"{PlantRig.SiteId}/{PlantRig.GatewayId}/{device}", fault, grade, description = $"{fault} reported on {device}", crew });
        var text = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.IsSuccessStatusCode, $"opening a ticket: {(int)answer.StatusCode} {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("number").GetString()!;
    }

    /// <summary>Takes an empty-bodied step (acknowledge, arrive) as the rig's operator.</summary>
    public static async Task StepAsync(WebFixture web, string number, string step)
    {
        using var answer = await web.Rig.ApiClient.PostAsync(new Uri(web.BaseAddress, $"/api/tickets/{number}/{step}"), null);
        Assert.True(answer.IsSuccessStatusCode, $"{step}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
    }

    /// <summary>The card of ticket <paramref name="number"/> on the my-work page.</summary>
    public static ILocator Card(IPage page, string number) => page.Locator($"[data-testid=work-card][data-ticket='{number}']");

    /// <summary>Presses Tab until the element <paramref name="selector"/> has the focus; false when it never gets it.</summary>
    public static async Task<int?> TabToAsync(IPage page, string selector, int most = 80)
    {
        for (var presses = 1; presses <= most; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>($"() => document.activeElement !== null && document.activeElement.matches(\"{selector}\")"))
            {
                return presses;
            }
        }

        return null;
    }
}
