using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Telemetry.Web.Tests.Tickets;

/// <summary>
/// The follow-up after a repair as the operators see it: what is owed on the list, the survey recorded on the ticket;
/// and the repair then shown on the next ticket of the same fault.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class FollowUpTests(WebFixture web, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task An_operator_sees_the_survey_and_return_visit_owed_after_a_closing_and_records_the_survey_with_a_bad_then_good_form()
    {
        var number = await TicketRig.OpenAsync(web, "box-01", "phase_lost", grade: 2);
        await TicketRig.StepAsync(web, number, "acknowledge");
        await PostAsync($"/api/tickets/{number}/resolve", new { cause = "phase relay stuck", action = "relay replaced", kind = "hardware" });
        await PostAsync($"/api/tickets/{number}/close", new { note = "the caller confirms the box is fed" });

        await using (var chinese = await web.SignInAsync(web.Operator, "zh-CN"))
        {
            await chinese.Page.GotoAsync("/follow-ups");
            await Assertions.Expect(chinese.Page.Locator($"[data-number='{number}'][data-kind=survey]")).ToContainTextAsync("满意度调查");
            await WebFixture.ScreenshotAsync(chinese.Page, "follow-ups.zh-CN");
        }

        await using var desk = await web.SignInAsync(web.Operator, "en");
        var page = desk.Page;
        await page.GotoAsync("/follow-ups");
        var survey = page.Locator($"[data-number='{number}'][data-kind=survey]");
        await Assertions.Expect(survey).ToContainTextAsync("Satisfaction survey");
        await Assertions.Expect(survey).ToHaveAttributeAsync("data-overdue", "false");
        await Assertions.Expect(page.Locator($"[data-number='{number}'][data-kind=return_visit]")).ToContainTextAsync("Return visit");

        await survey.GetByRole(AriaRole.Link, new() { Name = number }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("follow-ups")).ToContainTextAsync("Verification with the customer");
        await page.Locator("[data-testid=ticket-actions] [data-step=survey]").ClickAsync();
        var form = page.GetByTestId("step-form");
        await form.GetByRole(AriaRole.Button, new() { Name = "Record survey" }).ClickAsync();
        await Assertions.Expect(form).ToContainTextAsync("Required.");

        await form.GetByTestId("survey-satisfaction").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "4 of 5" }).ClickAsync();
        await form.GetByLabel("What the customer said").FillAsync("Lit again the same night");
        await form.GetByRole(AriaRole.Button, new() { Name = "Record survey" }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-follow-up=survey]")).ToHaveAttributeAsync("data-open", "false");
        await Assertions.Expect(page.Locator("[data-follow-up=survey]")).ToContainTextAsync("4 of 5");
        await Assertions.Expect(page.Locator("[data-testid=ticket-actions] [data-step=survey]")).ToHaveCountAsync(0);
        await WebFixture.ScreenshotAsync(page, "ticket-follow-up.en");
        var stored = (await web.Rig.TicketAsync(number)).GetProperty("follow_ups").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "survey");
        Assert.Equal((4, "Lit again the same night"), (stored.GetProperty("satisfaction").GetInt32(), stored.GetProperty("outcome").GetString()));

        await page.GotoAsync("/follow-ups");
        await Assertions.Expect(page.Locator($"[data-number='{number}'][data-kind=return_visit]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator($"[data-number='{number}'][data-kind=survey]")).ToHaveCountAsync(0);

        // The next ticket of the same fault shows how this one was repaired.
        var next = await TicketRig.OpenAsync(web, "sc-01", "phase_lost", grade: 2);
        await page.GotoAsync($"/tickets/{next}");
        var repair = page.Locator($"[data-testid=past-repairs] [data-case='{number}']");
        await Assertions.Expect(repair).ToContainTextAsync("phase relay stuck");
        await Assertions.Expect(repair).ToContainTextAsync("relay replaced");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);
        await page.GotoAsync("/follow-ups");
        await Assertions.Expect(page.GetByTestId("follow-up-table")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);
    }

    private async Task PostAsync(string path, object body)
    {
        using var answer = await web.Rig.ApiClient.PostAsJsonAsync(new Uri(web.BaseAddress, path), body);
        Assert.True(answer.IsSuccessStatusCode, $"{path}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
    }
}
