using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Telemetry.Api.Access;

/// <summary>
/// Whether a browser session's user is still the user it signed in as: not removed, not locked by an administrator,
/// with the same roles and crews. Checked on the session cookie every <see cref="ApiSettings.SessionCheckInterval"/>
/// and on a page's live connection as often. The lockout after failed sign-ins does not count: anyone can lock a name
/// out by guessing, and that must not end the monitoring room's session.
/// </summary>
public static class SessionCheck
{
    private const string CheckedAt = "checked_at";

    public static async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, UserStore users, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(users);
        if (principal.Identity?.Name is not { } name || await users.FindAsync(name, cancellationToken) is not { } user || users.IsLockedByAdministrator(user))
        {
            return false;
        }

        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var crews = principal.FindAll(Policies.CrewClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return roles.SetEquals(user.Roles.Select(UserStore.Names.Of)) && crews.SetEquals(user.Crews);
    }

    /// <summary>The cookie's check: at most once per interval; a session that is no longer current is signed out.</summary>
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.HttpContext.RequestServices;
        var interval = services.GetRequiredService<ApiSettings>().SessionCheckInterval;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (context.Properties.Items.TryGetValue(CheckedAt, out var stamp)
            && long.TryParse(stamp, NumberStyles.None, CultureInfo.InvariantCulture, out var at)
            && now - DateTimeOffset.FromUnixTimeMilliseconds(at) < interval)
        {
            return;
        }

        if (context.Principal is null || !await IsCurrentAsync(context.Principal, services.GetRequiredService<UserStore>(), context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        context.Properties.Items[CheckedAt] = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        context.ShouldRenew = true;
    }
}
