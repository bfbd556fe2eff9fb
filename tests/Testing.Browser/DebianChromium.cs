using Microsoft.Playwright;

namespace Telemetry.Testing.Browser;

/// <summary>
/// The browser of the web tests and the web benchmark: Debian's Chromium (never one a test tool downloads), headless,
/// driven by Playwright for .NET. <c>TELEMETRY_CHROMIUM</c> names another Chromium.
/// </summary>
public static class DebianChromium
{
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("TELEMETRY_CHROMIUM") is { Length: > 0 } chromium ? chromium : "/usr/bin/chromium";

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,

            // As root on a machine with a closed network: no sandbox, and none of Chromium's own calls home.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>Signs in through the app's sign-in page as a person would, and waits until it has left it.</summary>
    public static async Task SignInAsync(IPage page, string name, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/sign-in");
        await page.Locator("#name").FillAsync(name);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/sign-in", StringComparison.Ordinal));
    }
}
