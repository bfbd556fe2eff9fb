using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Telemetry.Api.Access;

namespace Telemetry.Api.Web;

/// <summary>
/// A page connection lives for hours on a wall screen, longer than the sign-in it started with: every minute the
/// user is looked up again, and one removed, locked by an administrator, or whose roles or crews changed is signed out
/// of the connection (the page then asks to sign in again, and a new sign-in carries the new roles). The lockout after
/// failed sign-ins does not end a session: anyone can lock a name out by guessing, and that must not blank the
/// monitoring room's screen.
/// </summary>
public sealed class WebAuthenticationState(ILoggerFactory loggers, IServiceScopeFactory scopes) : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        var principal = authenticationState.User;
        if (principal.Identity?.Name is not { } name)
        {
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserStore>();
        if (await users.FindAsync(name, cancellationToken) is not { } user || users.IsLockedByAdministrator(user))
        {
            return false;
        }

        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var crews = principal.FindAll(Policies.CrewClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return roles.SetEquals(user.Roles.Select(UserStore.Names.Of)) && crews.SetEquals(user.Crews);
    }
}
