using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Telemetry.Api.Access;

namespace Telemetry.Api.Web;

/// <summary>
/// A page connection lives for hours on a wall screen, longer than the sign-in it started with: every
/// <see cref="ApiSettings.SessionCheckInterval"/> its user is checked again (<see cref="SessionCheck"/>), and a user no
/// longer current is signed out of the connection; the page then asks to sign in again, and a new sign-in carries the
/// new roles.
/// </summary>
public sealed class WebAuthenticationState(ILoggerFactory loggers, IServiceScopeFactory scopes, ApiSettings settings) : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => settings.SessionCheckInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        await using var scope = scopes.CreateAsyncScope();
        return await SessionCheck.IsCurrentAsync(authenticationState.User, scope.ServiceProvider.GetRequiredService<UserStore>(), cancellationToken);
    }
}
