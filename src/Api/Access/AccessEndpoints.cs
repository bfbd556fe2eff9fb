using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Telemetry.Api.Access;

/// <summary>A sign-in: name and password.</summary>
public sealed record SignInRequest(string? Name, string? Password);

/// <summary>A bearer token asked for: the credentials, what it is for, and how many days it should live (30 at most).</summary>
public sealed record TokenRequest(string? Name, string? Password, string? Client, int? Days);

/// <summary>A token issued: shown once.</summary>
public sealed record IssuedToken(string Token, string Id, DateTimeOffset ExpiresAt);

/// <summary>The signed-in user.</summary>
public sealed record Me(string Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Crews);

/// <summary><c>/api/auth</c> and <c>/api/me</c>: cookie sign-in for the browser, bearer tokens for API clients.</summary>
public static class AccessEndpoints
{
    public static IEndpointRouteBuilder MapAccess(this IEndpointRouteBuilder endpoints)
    {
        var auth = endpoints.MapGroup("/api/auth").WithTags("Sign-in");
        auth.MapPost("/sign-in", SignInAsync).AllowAnonymous().RequireRateLimiting(Policies.SignInLimit).WithMetadata(new RequestSizeLimitAttribute(Policies.MaxSignInBody))
            .WithSummary("Signs in with name and password and sets the session cookie. 401 when refused; locked out after 5 failures for 15 min.");
        auth.MapPost("/sign-out", (Delegate)SignOutAsync).RequireAuthorization(Policies.SignedIn)
            .WithSummary("Ends the cookie session.");
        auth.MapPost("/tokens", IssueTokenAsync).AllowAnonymous().RequireRateLimiting(Policies.SignInLimit).WithMetadata(new RequestSizeLimitAttribute(Policies.MaxSignInBody))
            .WithSummary("Issues a bearer token for an API client (a crew's phone, a hotline system) from name and password; shown once.");
        auth.MapGet("/tokens", ListTokensAsync).RequireAuthorization(Policies.SignedIn)
            .WithSummary("The signed-in user's tokens, revoked and expired ones included; never the tokens themselves.");
        auth.MapDelete("/tokens/{id}", RevokeTokenAsync).RequireAuthorization(Policies.SignedIn)
            .WithSummary("Revokes one of the signed-in user's tokens.");
        endpoints.MapGet("/api/me", GetMe).RequireAuthorization(Policies.SignedIn).WithTags("Sign-in")
            .WithSummary("The signed-in user: name, roles, crews.");
        return endpoints;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SignInAsync(SignInRequest request, UserStore users, HttpContext context, CancellationToken cancellationToken)
    {
        var (outcome, user) = await users.SignInAsync(request.Name ?? "", request.Password ?? "", cancellationToken);
        if (Refusal(outcome, user) is { } refused)
        {
            return refused;
        }

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Policies.Principal(user!, CookieAuthenticationDefaults.AuthenticationScheme));
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> SignOutAsync(HttpContext context)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<IssuedToken>, ProblemHttpResult>> IssueTokenAsync(TokenRequest request, UserStore users, CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Client) || request.Client.Length > 100)
        {
            problems["client"] = ["name what the token is for, in at most 100 characters"];
        }

        if (request.Days is < 1 or > 30)
        {
            problems["days"] = ["a token lives 1 to 30 days"];
        }

        if (problems.Count > 0)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(problems) { Title = "The token request is invalid", Status = StatusCodes.Status400BadRequest });
        }

        var (outcome, user) = await users.SignInAsync(request.Name ?? "", request.Password ?? "", cancellationToken);
        if (Refusal(outcome, user) is { } refused)
        {
            return refused;
        }

        var lifetime = request.Days is { } days ? TimeSpan.FromDays(days) : (TimeSpan?)null;
        var (token, info) = await users.IssueTokenAsync(user!.Name, request.Client!, lifetime, cancellationToken);
        return TypedResults.Created($"/api/auth/tokens/{info.Id}", new IssuedToken(token, info.Id, info.ExpiresAt));
    }

    private static async Task<Ok<IReadOnlyList<TokenInfo>>> ListTokensAsync(ClaimsPrincipal user, UserStore users, CancellationToken cancellationToken) =>
        TypedResults.Ok(await users.TokensAsync(user.Identity!.Name!, cancellationToken));

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeTokenAsync(string id, ClaimsPrincipal user, UserStore users, CancellationToken cancellationToken) =>
        await users.RevokeTokenAsync(user.Identity!.Name!, id, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(title: "No such token", detail: $"You have no token '{id}' that is not revoked", statusCode: StatusCodes.Status404NotFound);

    private static Ok<Me> GetMe(ClaimsPrincipal user) => TypedResults.Ok(new Me(
        user.Identity!.Name!,
        [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal)],
        [.. user.FindAll(Policies.CrewClaim).Select(c => c.Value).Order(StringComparer.Ordinal)]));

    private static ProblemHttpResult? Refusal(SignInOutcome outcome, ApiUser? user) => outcome switch
    {
        SignInOutcome.SignedIn => null,
        SignInOutcome.LockedOut => TypedResults.Problem(
            title: "Locked out",
            detail: user?.LockedUntil is { } until
                ? string.Create(CultureInfo.InvariantCulture, $"Too many failed sign-ins: try again after {until:yyyy-MM-dd HH:mm} UTC")
                : "Too many failed sign-ins: try again later",
            statusCode: StatusCodes.Status401Unauthorized,
            type: "https://telemetry.invalid/problems/locked-out"),
        _ => TypedResults.Problem(title: "Sign-in refused", detail: "Unknown name or wrong password", statusCode: StatusCodes.Status401Unauthorized),
    };
}
