using Xunit.Abstractions;
using Microsoft.Playwright;

namespace Telemetry.Web.Tests.Admin;

/// <summary>The admin's users page: users with roles and crews, a crew user added with a password shown once that signs in.</summary>
[Collection(WebCollection.Name)]
public sealed class UsersPageTests(WebFixture web, ITestOutputHelper output)
{
    [Fact]
    public async Task The_admin_adds_a_crew_user_after_a_refused_attempt_and_that_user_signs_in_with_the_password_shown()
    {
        await using var session = await web.SignInAsync(web.Admin);
        var page = session.Page;
        await page.GotoAsync("/admin/users");
        await Assertions.Expect(page.Locator($"[data-testid=user-row][data-user='{web.Engineer.Name}']")).ToContainTextAsync("Engineer");

        // A crew member without a crew, and no name: both fields say what is wrong, nothing is added.
        var form = page.GetByTestId("add-user");
        await form.GetByRole(AriaRole.Checkbox, new() { Name = "Crew" }).CheckAsync();
        await form.GetByTestId("add").ClickAsync();
        await Assertions.Expect(form).ToContainTextAsync("Enter a name.");
        await Assertions.Expect(form).ToContainTextAsync("A crew member belongs to at least one crew.");
        Assert.Equal(0, await page.GetByTestId("new-password").CountAsync());

        await page.Locator("#new-user-name").FillAsync("web.newcrew");
        await page.Locator("#new-user-crews").FillAsync("crew-north");
        await form.GetByTestId("add").ClickAsync();
        var password = (await page.GetByTestId("password").InnerTextAsync()).Trim();
        Assert.True(password.Length >= 12, password);
        var row = page.Locator("[data-testid=user-row][data-user='web.newcrew']");
        await Assertions.Expect(row).ToContainTextAsync("crew-north");
        await WebFixture.ScreenshotAsync(page, "users.en");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);

        await using (var crew = await web.SignInAsync(new WebUser("web.newcrew", password, "crew")))
        {
            await crew.Page.WaitForURLAsync("**/my-work");
        }

        // Another crew: the roles and crews are changed, the password kept.
        await row.GetByRole(AriaRole.Button, new() { Name = "Edit web.newcrew" }).ClickAsync();
        await page.Locator("#edit-user-crews").FillAsync("crew-north, crew-masts");
        await page.GetByTestId("save-user").ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("crew-masts, crew-north");

        // Reset: the new password is shown once.
        await row.GetByRole(AriaRole.Button, new() { Name = "Reset password web.newcrew" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("password")).Not.ToHaveTextAsync(password);
        var reset = (await page.GetByTestId("password").InnerTextAsync()).Trim();
        await using (var again = await web.SignInAsync(new WebUser("web.newcrew", reset, "crew")))
        {
            await again.Page.WaitForURLAsync("**/my-work");
        }

        // Lock, then remove: the row says locked, then is gone.
        await row.GetByRole(AriaRole.Button, new() { Name = "Lock web.newcrew" }).ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("locked");
        await row.GetByRole(AriaRole.Button, new() { Name = "Remove web.newcrew" }).ClickAsync();
        await page.GetByTestId("confirm-remove").ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_engineer_is_refused_the_users_page()
    {
        await using var session = await web.SignInAsync(web.Engineer);
        await session.Page.GotoAsync("/admin/users");
        await Assertions.Expect(session.Page.GetByTestId("not-allowed")).ToBeVisibleAsync();
        Assert.Equal(0, await session.Page.GetByTestId("users").CountAsync());
    }
}
