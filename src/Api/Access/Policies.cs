using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;

namespace Telemetry.Api.Access;

/// <summary>
/// Who may call what. Every endpoint names one of these policies (a test walks the endpoint list); only the health
/// check, sign-in, token issue and the OpenAPI document are anonymous. Browsers sign in with a cookie, API clients
/// (a crew's phone, a city hotline) with a bearer token.
/// </summary>
public static class Policies
{
    /// <summary>Anyone signed in: operators, crews, engineers, admins.</summary>
    public const string SignedIn = "signed_in";

    /// <summary>Reads tickets: every role; a crew member sees its own crews' tickets only.</summary>
    public const string ReadTickets = "read_tickets";

    /// <summary>Works a ticket (acknowledge, arrive, resolve): crews on their own crews' tickets, operators on a crew's behalf, admins.</summary>
    public const string WorkTickets = "work_tickets";

    /// <summary>Opens, closes, reopens and reassigns tickets: operators and admins.</summary>
    public const string DispatchTickets = "dispatch_tickets";

    /// <summary>Regrades tickets: operators, engineers and admins.</summary>
    public const string RegradeTickets = "regrade_tickets";

    /// <summary>Comments on tickets: every role; a crew member on its own crews' tickets only.</summary>
    public const string CommentOnTickets = "comment_on_tickets";

    /// <summary>The rate limit of ticket actions, per signed-in user.</summary>
    public const string ActionLimit = "ticket_actions";

    /// <summary>The claim that names what a bearer token was issued for (<see cref="ClientOf"/>).</summary>
    public const string ClientClaim = "client";

    /// <summary>The client of a cookie session: the browser.</summary>
    public const string WebClient = "web";

    /// <summary>Reads thresholds and service-level terms with their history: every role.</summary>
    public const string ReadSettings = "read_settings";

    /// <summary>Planned maintenance work orders: who may see them (a crew member its own crews' only).</summary>
    public const string ReadWorkOrders = "read_work_orders";

    /// <summary>Forecasts of predictive maintenance (battery end of life, insulation, lamp failures): operators, crews and engineers.</summary>
    public const string ReadForecasts = "read_forecasts";

    /// <summary>Start, complete and skip work orders: crews (their own crews'), operators on a crew's behalf.</summary>
    public const string WorkWorkOrders = "work_work_orders";

    /// <summary>Change the intervals of planned maintenance.</summary>
    public const string ChangeIntervals = "change_intervals";

    /// <summary>Declare extreme weather, which orders special patrols.</summary>
    public const string DeclareWeather = "declare_weather";

    /// <summary>Changes thresholds and backtests proposed ones: engineers and admins.</summary>
    public const string ChangeThresholds = "change_thresholds";

    /// <summary>Changes the service-level terms (deadlines, repeat-repair window): admins.</summary>
    public const string ChangeServiceLevels = "change_service_levels";

    /// <summary>Reads the live plant and its event stream: every role, crews too.</summary>
    public const string ReadPlant = "read_plant";

    /// <summary>Reads a device's readings history: every role; a crew member the devices its crews look after only.</summary>
    public const string ReadHistory = "read_history";

    /// <summary>Sends device commands: operators, engineers and admins (each action then asks for its own roles); crews do not.</summary>
    public const string SendCommands = "send_commands";

    /// <summary>Switches a whole site (with a confirmation): operators and admins.</summary>
    public const string SwitchSites = "switch_sites";

    /// <summary>Reads the audit of device commands: operators, engineers and admins.</summary>
    public const string ReadCommands = "read_commands";

    /// <summary>Manages users, their roles and crews: admins.</summary>
    public const string ManageUsers = "manage_users";

    /// <summary>Reads the service reports: operators, engineers and admins; a crew member its own crews' report only.</summary>
    public const string ReadReports = "read_reports";

    /// <summary>The claim that names one of a crew member's crews.</summary>
    public const string CrewClaim = "crew";

    /// <summary>The scheme that picks the bearer token when the request carries one, else the cookie.</summary>
    public const string Scheme = "telemetry";

    public const string BearerScheme = "bearer";

    /// <summary>The rate limit of sign-in and token requests.</summary>
    public const string SignInLimit = "sign_in";

    /// <summary>The largest sign-in or token request body: a name, a password and a client are a few hundred bytes.</summary>
    public const long MaxSignInBody = 4 * 1024;

    public static IServiceCollection AddAccess(this IServiceCollection services)
    {
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Cookie or bearer token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count > 0 ? BearerScheme : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(BearerScheme, null)
            .AddCookie(o =>
            {
                o.Cookie.Name = "telemetry";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;

                // An API answers with a status; a page of the web app sends the browser to sign in, or to "not allowed".
                o.LoginPath = Web.WebApp.SignInPath;
                o.AccessDeniedPath = Web.WebApp.NotAllowedPath;
                o.ReturnUrlParameter = "back";
                o.Events.OnRedirectToLogin = context => Web.WebApp.IsPage(context.Request) ? Redirect(context) : Status(context, StatusCodes.Status401Unauthorized);
                o.Events.OnValidatePrincipal = SessionCheck.ValidateCookieAsync;
                o.Events.OnRedirectToAccessDenied = context => Web.WebApp.IsPage(context.Request) ? Redirect(context) : Status(context, StatusCodes.Status403Forbidden);
            });
        // Guessing passwords is slowed twice: per user by the lockout, per client address by this limit, so that one
        // address cannot try a password against every name. Over it: 429 with Retry-After.
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, cancellationToken) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var title = context.HttpContext.Request.Path.StartsWithSegments("/api/auth") ? "Too many sign-in attempts" : "Too many requests";
                await TypedResults.Problem(title: title, detail: $"Try again in {Math.Ceiling(retry.TotalSeconds):0} s",
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context.HttpContext);
            };
            o.AddPolicy(SignInLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 10, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(SignedIn, p => p.RequireAuthenticatedUser())
            .AddPolicy(ReadTickets, p => p.RequireRole(Names(Role.Operator, Role.Crew, Role.Engineer, Role.Admin)))
            .AddPolicy(WorkTickets, p => p.RequireRole(Names(Role.Operator, Role.Crew, Role.Admin)))
            .AddPolicy(DispatchTickets, p => p.RequireRole(Names(Role.Operator, Role.Admin)))
            .AddPolicy(RegradeTickets, p => p.RequireRole(Names(Role.Operator, Role.Engineer, Role.Admin)))
            .AddPolicy(CommentOnTickets, p => p.RequireRole(Names(Role.Operator, Role.Crew, Role.Engineer, Role.Admin)))
            .AddPolicy(ReadWorkOrders, p => p.RequireRole(Names(Role.Operator, Role.Crew, Role.Engineer, Role.Admin)))
            .AddPolicy(ReadForecasts, p => p.RequireRole(Names(Role.Operator, Role.Crew, Role.Engineer, Role.Admin)))
            .AddPolicy(WorkWorkOrders, p => p.RequireRole(Names(Role.Operator, Role.Crew, Role.Admin)))
            .AddPolicy(ChangeIntervals, p => p.RequireRole(Names(Role.Engineer, Role.Admin)))
            .AddPolicy(DeclareWeather, p => p.RequireRole(Names(Role.Operator, Role.Admin)))
            .AddPolicy(ReadSettings, p => p.RequireRole(Names(Role.Operator, Role.Crew, Role.Engineer, Role.Admin)))
            .AddPolicy(ChangeThresholds, p => p.RequireRole(Names(Role.Engineer, Role.Admin)))
            .AddPolicy(ChangeServiceLevels, p => p.RequireRole(Names(Role.Admin)))
            .AddPolicy(ReadPlant, p => p.RequireRole(Names(Role.Operator, Role.Crew, Role.Engineer, Role.Admin)))
            .AddPolicy(ReadHistory, p => p.RequireRole(Names(Role.Operator, Role.Crew, Role.Engineer, Role.Admin)))
            .AddPolicy(SendCommands, p => p.RequireRole(Names(Role.Operator, Role.Engineer, Role.Admin)))
            .AddPolicy(SwitchSites, p => p.RequireRole(Names(Role.Operator, Role.Admin)))
            .AddPolicy(ReadCommands, p => p.RequireRole(Names(Role.Operator, Role.Engineer, Role.Admin)))
            .AddPolicy(ManageUsers, p => p.RequireRole(Names(Role.Admin)))
            .AddPolicy(ReadReports, p => p.RequireRole(Names(Role.Operator, Role.Crew, Role.Engineer, Role.Admin)));
        return services;
    }

    /// <summary>The claims of a signed-in user: name, roles, crews.</summary>
    public static ClaimsPrincipal Principal(ApiUser user, string scheme)
    {
        ArgumentNullException.ThrowIfNull(user);
        var claims = new List<Claim> { new(ClaimTypes.Name, user.Name) };
        claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, UserStore.Names.Of(r))));
        claims.AddRange(user.Crews.Select(c => new Claim(CrewClaim, c)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>
    /// The crews whose tickets the user may see, or null when the user sees every ticket (any role beside crew).
    /// </summary>
    public static IReadOnlySet<string>? CrewScope(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var wider = user.IsInRole(UserStore.Names.Of(Role.Operator)) || user.IsInRole(UserStore.Names.Of(Role.Engineer)) || user.IsInRole(UserStore.Names.Of(Role.Admin));
        return wider ? null : user.FindAll(CrewClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>What the user's request came from: the client its bearer token was issued for, else <see cref="WebClient"/>.</summary>
    public static string ClientOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirst(ClientClaim)?.Value ?? WebClient;
    }

    private static string[] Names(params Role[] roles) => [.. roles.Select(UserStore.Names.Of)];

    private static Task Redirect<T>(RedirectContext<T> context)
        where T : AuthenticationSchemeOptions
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    private static Task Status<T>(RedirectContext<T> context, int status)
        where T : AuthenticationSchemeOptions
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
