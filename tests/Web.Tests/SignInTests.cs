using Microsoft.Playwright;

namespace Telemetry.Web.Tests;

/// <summary>Every page needs sign-in; each role lands on its own start page and is refused the pages of other roles.</summary>
[Collection(WebCollection.Name)]
public sealed class SignInTests(WebFixture web)
{
    [Fact]
    public async Task A_page_opened_without_signing_in_goes_to_the_sign_in_page_and_back_after_it()
    {
        var context = await web.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = web.BaseAddress.ToString(), Locale = "zh-CN" });
        await using var _ = context;
        var page = await context.NewPageAsync();
        await page.GotoAsync("/thresholds");
        Assert.Contains("/sign-in?back=%2Fthresholds", page.Url, StringComparison.Ordinal);
        Assert.Equal("登录", await page.Locator("button[type=submit]").InnerTextAsync());
        await WebFixture.ScreenshotAsync(page, "sign-in.zh-CN");

        await page.Locator("#name").FillAsync(web.Engineer.Name);
        await page.Locator("#password").FillAsync("not the password");
        await page.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("用户名或密码错误。");

        await page.Locator("#password").FillAsync(web.Engineer.Password);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/thresholds");
    }

    [Theory]
    [InlineData("operator", "/plant")]
    [InlineData("crew", "/my-work")]
    [InlineData("engineer", "/thresholds")]
    [InlineData("admin", "/plant")]
    public async Task Each_role_lands_on_its_start_page(string role, string start)
    {
        await using var session = await web.SignInAsync(UserOf(role));
        await session.Page.WaitForURLAsync("**" + start);
    }

    [Fact]
    public async Task A_crew_that_opens_an_engineers_page_gets_the_not_allowed_page_not_the_content()
    {
        await using var session = await web.SignInAsync(web.Crew);
        var page = session.Page;

        // Typed into the address bar: the server refuses the page.
        await page.GotoAsync("/thresholds");
        await Assertions.Expect(page.GetByTestId("not-allowed")).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByTestId("thresholds").CountAsync());

        // And the menu does not offer it.
        Assert.Equal(0, await page.Locator("nav a[href='/thresholds']").CountAsync());
        await WebFixture.ScreenshotAsync(page, "not-allowed.en");
    }

    [Fact]
    public async Task The_language_is_the_browsers_and_can_be_switched()
    {
        await using var session = await web.SignInAsync(web.Operator, "zh-CN");
        var page = session.Page;
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await page.WaitForURLAsync("**/plant");
        await page.GetByRole(AriaRole.Link, new() { Name = "中文" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        await using var session = await web.SignInAsync(web.Operator);
        var page = session.Page;
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/sign-in");
        await page.GotoAsync("/plant");
        Assert.Contains("/sign-in", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_whose_role_changes_is_signed_out_of_the_open_page_and_signs_in_again_with_the_new_role()
    {
        var before = await web.AddUserAsync("web.changing", "operator");
        await using var session = await web.SignInAsync(before);
        var page = session.Page;
        await page.WaitForURLAsync("**/plant");
        await Assertions.Expect(page.GetByTestId("site-card").First).ToBeVisibleAsync();

        // An administrator makes the operator a crew member: the open page lets go of the session by itself...
        var after = await web.AddUserAsync("web.changing", "crew", "crew-masts");
        await page.WaitForURLAsync("**/sign-in?back=*");

        // ...and the session cookie no longer opens the operator's pages.
        await page.GotoAsync("/plant");
        Assert.Contains("/sign-in", page.Url, StringComparison.Ordinal);

        // Signed in again, the user has the new role's pages.
        await page.Locator("#name").FillAsync(after.Name);
        await page.Locator("#password").FillAsync(after.Password);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/plant");
        await Assertions.Expect(page.Locator("nav a[href='/my-work']")).ToHaveCountAsync(1);
        Assert.Equal(0, await page.Locator("nav a[href='/battery-tests']").CountAsync());
    }

    private WebUser UserOf(string role) => role switch
    {
        "operator" => web.Operator,
        "crew" => web.Crew,
        "engineer" => web.Engineer,
        _ => web.Admin,
    };
}
