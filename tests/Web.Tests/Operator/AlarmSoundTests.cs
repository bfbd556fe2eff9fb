using Microsoft.Playwright;
using Telemetry.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Telemetry.Web.Tests.Operator;

/// <summary>The grade-1 alarm tone: played for a new grade-1 ticket while the sound is on, not while muted; the choice is kept in the browser.</summary>
[Collection(WebCollection.Name)]
public sealed class AlarmSoundTests(WebFixture web, ITestOutputHelper output)
{
    private const string Controller = "rig/gw-rig/sc-01";

    [Fact]
    public async Task A_new_grade_1_ticket_sounds_the_alarm_where_the_sound_is_on_and_not_where_it_is_muted()
    {
        await PlantTickets.CloseAllAsync(web.Rig, Controller);
        await using var loud = await web.SignInAsync(web.Operator);
        await using var quiet = await web.SignInAsync(web.Operator);
        foreach (var page in new[] { loud.Page, quiet.Page })
        {
            await page.GotoAsync("/alarms");
            await Expect(page.GetByTestId("alarm-count")).ToBeVisibleAsync();
        }

        // Muted until someone turns the sound on: browsers play sound only after a click on the page.
        var loudToggle = loud.Page.GetByRole(AriaRole.Button, new() { Name = "Grade-1 alarm sound" });
        var quietToggle = quiet.Page.GetByRole(AriaRole.Button, new() { Name = "Grade-1 alarm sound" });
        await Expect(loudToggle).ToHaveAttributeAsync("aria-pressed", "false");
        await loudToggle.ClickAsync();
        await Expect(loudToggle).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(loud.Page.GetByTestId("alarm-sound-state")).ToHaveTextAsync("Sound on");
        await Expect(quiet.Page.GetByTestId("alarm-sound-state")).ToHaveTextAsync("Muted");
        await Eventually.TrueAsync(() => loud.Page.EvaluateAsync<bool>("() => telemetry._audio?.state === 'running'"), "the browser starts the page's sound");

        var tickets = new List<string>();
        try
        {
            // A grade-3 ticket sounds nowhere; a grade-1 ticket sounds on the loud page only.
            tickets.Add(await PlantTickets.OpenAsync(web.Rig, Controller, "door_open", 3));
            await RowAsync(loud.Page, tickets[^1]);
            tickets.Add(await PlantTickets.OpenAsync(web.Rig, Controller, "cable_theft", 1));
            await RowAsync(loud.Page, tickets[^1]);
            await RowAsync(quiet.Page, tickets[^1]);
            await Eventually.TrueAsync(async () => await AlarmsAsync(loud.Page) == 1, "the loud page plays the alarm once");
            Assert.Equal(0, await AlarmsAsync(quiet.Page));

            // The muted page turns its sound on: the next grade-1 ticket sounds on both.
            await quietToggle.ClickAsync();
            await Expect(quietToggle).ToHaveAttributeAsync("aria-pressed", "true");
            await Eventually.TrueAsync(() => quiet.Page.EvaluateAsync<bool>("() => telemetry._audio?.state === 'running'"), "the browser starts the page's sound");
            tickets.Add(await PlantTickets.OpenAsync(web.Rig, Controller, "mains_lost", 1));
            await RowAsync(quiet.Page, tickets[^1]);
            await Eventually.TrueAsync(async () => await AlarmsAsync(quiet.Page) == 1, "the page turned on plays the alarm");
            await Eventually.TrueAsync(async () => await AlarmsAsync(loud.Page) == 2, "the loud page plays it too");

            // Muted again, a grade-1 ticket sounds no more there.
            await loudToggle.ClickAsync();
            await Expect(loudToggle).ToHaveAttributeAsync("aria-pressed", "false");
            tickets.Add(await PlantTickets.OpenAsync(web.Rig, Controller, "phase_lost", 1));
            await RowAsync(loud.Page, tickets[^1]);
            await Eventually.TrueAsync(async () => await AlarmsAsync(quiet.Page) == 2, "the page still on plays the alarm");
            Assert.Equal(2, await AlarmsAsync(loud.Page));

            // The choice is the browser's: after a reload each page is as it was left.
            await loud.Page.ReloadAsync(new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await quiet.Page.ReloadAsync(new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await Expect(loud.Page.GetByRole(AriaRole.Button, new() { Name = "Grade-1 alarm sound" })).ToHaveAttributeAsync("aria-pressed", "false");
            await Expect(quiet.Page.GetByRole(AriaRole.Button, new() { Name = "Grade-1 alarm sound" })).ToHaveAttributeAsync("aria-pressed", "true");

            // A browser that holds sound back until a click on the reloaded page says so and offers the click.
            await Expect(quiet.Page.GetByTestId("alarm-count")).ToBeVisibleAsync();
            var blocked = quiet.Page.GetByTestId("alarm-sound-blocked");
            if (await blocked.IsVisibleAsync())
            {
                output.WriteLine("The reloaded page held the sound back until allowed");
                await blocked.GetByRole(AriaRole.Button, new() { Name = "Allow the sound" }).ClickAsync();
                await Expect(blocked).ToHaveCountAsync(0);
            }

            await Eventually.TrueAsync(() => quiet.Page.EvaluateAsync<bool>("() => telemetry._audio?.state === 'running'"), "the reloaded page's sound runs");
            tickets.Add(await PlantTickets.OpenAsync(web.Rig, Controller, "breaker_tripped", 1));
            await RowAsync(quiet.Page, tickets[^1]);
            await RowAsync(loud.Page, tickets[^1]);
            await Eventually.TrueAsync(async () => await AlarmsAsync(quiet.Page) == 1, "the reloaded page still on plays the alarm");
            Assert.Equal(0, await AlarmsAsync(loud.Page));
        }
        finally
        {
            foreach (var number in tickets)
            {
                await PlantTickets.CloseAsync(web.Rig, number);
            }
        }
    }

    private static Task RowAsync(IPage page, string number) =>
        Expect(page.Locator($"[data-testid=alarm-row][data-number='{number}']")).ToBeVisibleAsync();

    private static Task<int> AlarmsAsync(IPage page) => page.EvaluateAsync<int>("() => window.telemetryAlarms || 0");
}
