using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Telemetry.Web.Tests.Operator;

/// <summary>The alarm list's order and scope: grade 1 on top, and a crew member sees its own crews' tickets only.</summary>
[Collection(WebCollection.Name)]
public sealed class AlarmListTests(WebFixture web)
{
    [Fact]
    public async Task The_operator_sees_every_alarm_by_grade_and_a_crew_member_only_those_of_its_crews()
    {
        const string mast = "rig/gw-rig/mast-01";
        const string controller = "rig/gw-rig/sc-01";
        await PlantTickets.CloseAllAsync(web.Rig, mast);
        await PlantTickets.CloseAllAsync(web.Rig, controller);
        var tickets = new List<string>();
        try
        {
            tickets.Add(await PlantTickets.OpenAsync(web.Rig, controller, "door_open", 3, "crew-north"));
            tickets.Add(await PlantTickets.OpenAsync(web.Rig, mast, "lift_fault", 2, "crew-masts"));
            var (north, masts) = (tickets[0], tickets[1]);

            await using var operatorSession = await web.SignInAsync(web.Operator, "zh-CN");
            var page = operatorSession.Page;
            await page.GotoAsync("/alarms");
            var rows = page.GetByTestId("alarm-row");
            await Expect(page.Locator($"[data-testid=alarm-row][data-number='{north}']")).ToBeVisibleAsync();
            await Expect(page.Locator($"[data-testid=alarm-row][data-number='{masts}']")).ToContainTextAsync("升降机构故障");
            var order = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.number)");
            Assert.True(Array.IndexOf(order, masts) < Array.IndexOf(order, north), $"grade 2 {masts} is above grade 3 {north}: {string.Join(", ", order)}");
            var grades = await rows.EvaluateAllAsync<int[]>("rows => rows.map(r => +r.dataset.grade)");
            Assert.Equal(grades.Order(), grades);
            await WebFixture.ScreenshotAsync(page, "alarms.zh-CN");

            // The crew of the masts: its ticket, not the north crew's.
            await using var crewSession = await web.SignInAsync(web.Crew);
            var crewPage = crewSession.Page;
            await crewPage.GotoAsync("/alarms");
            await Expect(crewPage.Locator($"[data-testid=alarm-row][data-number='{masts}']")).ToBeVisibleAsync();
            await Expect(crewPage.Locator($"[data-testid=alarm-row][data-number='{north}']")).ToHaveCountAsync(0);
            await Expect(crewPage.GetByTestId("alarm-row")).ToHaveCountAsync(
                (await web.Rig.TicketsAsync("open=true&crew=crew-masts")).Count);
        }
        finally
        {
            foreach (var number in tickets)
            {
                await PlantTickets.CloseAsync(web.Rig, number);
            }
        }
    }
}
