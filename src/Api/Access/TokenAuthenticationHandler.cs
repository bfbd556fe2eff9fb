using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Telemetry.Api.Access;

/// <summary>Signs a request in by its <c>Authorization: Bearer</c> token, checked against the user store (unknown, expired and revoked tokens fail).</summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    UserStore users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("only bearer tokens are taken");
        }

        var found = await users.ValidateTokenAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (found is not { } signedIn)
        {
            return AuthenticateResult.Fail("the token is unknown, expired or revoked");
        }

        // The ticket history records what each step came from: the client the token was issued for.
        var principal = Policies.Principal(signedIn.User, Scheme.Name);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(Policies.ClientClaim, signedIn.Info.Client));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
