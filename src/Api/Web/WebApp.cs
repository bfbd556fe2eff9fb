using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor.Services;
using Telemetry.Api.Access;
using Telemetry.Api.Web.Admin;
using Telemetry.Api.Web.Devices;
using Telemetry.Api.Web.Engineering;
using Telemetry.Api.Web.Maintenance;
using Telemetry.Api.Web.Operator;
using Telemetry.Api.Web.Reports;
using Telemetry.Api.Web.Tickets;

namespace Telemetry.Api.Web;

/// <summary>
/// The web app, served by the Api process: Blazor with interactive server rendering, so that a page's live updates
/// come over its own connection from the same in-memory plant and ticket changes as <c>/api/events</c>. Every
/// script, style and font ships with the app (monitoring rooms are often off the internet).
/// </summary>
public static class WebApp
{
    public const string SignInPath = "/sign-in";
    public const string NotAllowedPath = "/not-allowed";

    /// <summary>The languages of the app: Simplified Chinese first (the trade's own), and English.</summary>
    public static readonly CultureInfo[] Cultures = [new("zh-CN"), new("en")];

    /// <summary>Interactive on the server, not prerendered: a page subscribes to the live plant once, on its connection.</summary>
    public static readonly IComponentRenderMode RenderMode = new InteractiveServerRenderMode(prerender: false);

    public static IServiceCollection AddWebApp(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, WebAuthenticationState>();
        services.AddLocalization();
        services.AddMudServices();

        // The component library's styles and scripts have no compressed copy among the build's assets: compressed as
        // they are sent (a crew on a slow link gets about a third of the bytes). Scripts and styles only: they hold
        // no secret, so compressing them over TLS gives nothing away.
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.MimeTypes = ["text/css", "text/javascript", "application/javascript"];
        });
        services.AddScoped<LiveFeed>();
        services.AddSingleton<SiteTime>();
        services.AddOperatorPages();
        services.AddDevicePages();
        services.AddEngineeringPages();
        services.AddAdminPages();
        services.AddTicketPages();
        services.AddReportsPages();
        services.AddMaintenancePages();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(Cultures[0]);
            o.SupportedCultures = Cultures;
            o.SupportedUICultures = Cultures;
            o.FallBackToParentUICultures = true;
            o.FallBackToParentCultures = true;

            // The language the user picked (a cookie), else the browser's.
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        return services;
    }

    /// <summary>Maps the pages, their assets, the language switch and sign-out.</summary>
    public static WebApplication MapWebApp(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().RequireAuthorization(Policies.SignedIn);
        app.MapOperatorPages();
        app.MapGet("/culture", SetCulture).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/web/sign-out", SignOutAsync).RequireAuthorization(Policies.SignedIn).ExcludeFromDescription();
        return app;
    }

    /// <summary>A page (not <c>/api</c>) that needs sign-in sends the browser to the sign-in page, a refused one to "not allowed".</summary>
    public static bool IsPage(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return !request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/_blazor")
            && HttpMethods.IsGet(request.Method) && !request.Headers.Authorization.Any();
    }

    /// <summary>Only a path of this app, never another site, is a place to go back to.</summary>
    public static string LocalOrHome(string? back) =>
        back is { Length: > 0 } && back[0] == '/' && (back.Length == 1 || (back[1] != '/' && back[1] != '\\')) ? back : "/";

    private static IResult SetCulture(HttpContext http, [FromQuery] string? name, [FromQuery] string? back)
    {
        var culture = Cultures.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
        if (culture is null)
        {
            return TypedResults.Problem(title: "Unknown language", detail: "choose zh-CN or en", statusCode: StatusCodes.Status400BadRequest);
        }

        http.Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
        return TypedResults.LocalRedirect(LocalOrHome(back));
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        // A form post from the page: the antiforgery token proves it came from this app, not another site.
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.Problem(title: "Sign-out refused", detail: "the form's antiforgery token is missing or wrong", statusCode: StatusCodes.Status400BadRequest);
        }

        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.LocalRedirect(SignInPath);
    }
}
