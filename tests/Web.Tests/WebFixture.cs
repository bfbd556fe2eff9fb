using Microsoft.Playwright;
using Telemetry.Testing;
using Telemetry.Testing.Browser;

namespace Telemetry.Web.Tests;

/// <summary>One of the app's users: name, password and role, made for the run with the Api's users command.</summary>
public sealed record WebUser(string Name, string Password, string Role);

/// <summary>
/// The whole product running for real (simulator, gateway, Mosquitto, Ingest with InfluxDB, Rules and Api with its web
/// app) and Debian's Chromium driven by Playwright, headless. One per run of the web tests: the tests of the
/// collection share it, each working on its own devices.
/// </summary>
public sealed class WebFixture : IAsyncLifetime
{
    /// <summary>Where the screenshots of every page go: kept after the run as the test's artifact.</summary>
    public static readonly string Screenshots = Path.Combine(RepositoryPaths.Root, "artifacts", "web", "screenshots");

    public static IReadOnlyList<PlantDevice> Devices { get; } =
    [
        new("mast-01", "jg-hmc24", "high_mast", true, 1, 1, Crew: "crew-masts", Commissioned: Day(-4 * 365), WarrantyUntil: Day(30), Serial: "JG24-RIG-001"),
        new("mast-02", "jg-hmc24", "high_mast", true, 3, 1, Crew: "crew-masts"),
        new("eps-01", "yd-eps1k", "emergency_battery", true, 2, 1, Crew: "crew-central", Commissioned: Day(-6 * 365), WarrantyUntil: Day(-3 * 365), Serial: "YD1K-RIG-007"),
        new("box-01", "ak-dbm300", "distribution_box", false, 1, 1, Crew: "crew-central", Commissioned: Day(-200), WarrantyUntil: Day(2 * 365)),
        new("box-02", "ak-dbm300", "distribution_box", false, 3, 1, Crew: "crew-masts"),
        new("sc-01", "mg-slc4", "street_controller", false, 2, 1, Crew: "crew-north"),
    ];

    public PlantRig Rig { get; private set; } = null!;

    // Asset dates relative to the day the tests run, so that the warranty statuses stay what the tests expect.
    private static string Day(int daysFromToday) =>
        DateOnly.FromDateTime(DateTime.UtcNow).AddDays(daysFromToday).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress => Rig.Api!.HealthUrl;

    public WebUser Operator { get; private set; } = null!;

    /// <summary>A crew member of the crews that look after the masts and the second box.</summary>
    public WebUser Crew { get; private set; } = null!;

    public WebUser Engineer { get; private set; } = null!;

    public WebUser Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Screenshots);
        Rig = await PlantRig.StartAsync(PlantRigOptions.EveryService(Devices) with
        {
            // Sessions are checked against the users every 2 s, so that a test sees a changed user signed out.
            ApiSettings = new Dictionary<string, string> { ["Api:SessionCheckInterval"] = "00:00:02" },
        });
        Operator = await AddUserAsync("web.operator", "operator");
        Crew = await AddUserAsync("web.crew", "crew", "crew-masts");
        Engineer = await AddUserAsync("web.engineer", "engineer");
        Admin = await AddUserAsync("web.admin", "admin");
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await DebianChromium.LaunchAsync(Playwright);
    }

    /// <summary>Adds a user with a password made now; crews name the crews of a crew member.</summary>
    public async Task<WebUser> AddUserAsync(string name, string role, params string[] crews)
    {
        var password = await Rig.AddUserAsync(name, ["--role", role, .. crews.SelectMany(c => new[] { "--crew", c })]);
        return new WebUser(name, password, role);
    }

    /// <summary>
    /// A browser session signed in as <paramref name="user"/> through the sign-in page, in <paramref name="language"/>
    /// (the browser's language, as a person's browser sends it), on a desktop screen unless a viewport is given.
    /// </summary>
    public async Task<WebSession> SignInAsync(WebUser user, string language = "en", ViewportSize? viewport = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            Locale = language,
            ViewportSize = viewport ?? new ViewportSize { Width = 1600, Height = 900 },
            TimezoneId = "Asia/Shanghai",
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await DebianChromium.SignInAsync(page, user.Name, user.Password);
        return new WebSession(context, page);
    }

    /// <summary>Saves the page as <c>name.png</c> among the run's screenshots.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
        if (Rig is not null)
        {
            await Rig.DisposeAsync();
        }
    }
}

/// <summary>A signed-in browser context and its first page; disposing closes both.</summary>
public sealed class WebSession(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IBrowserContext Context { get; } = context;

    public IPage Page { get; } = page;

    public ValueTask DisposeAsync() => Context.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "web";
}
