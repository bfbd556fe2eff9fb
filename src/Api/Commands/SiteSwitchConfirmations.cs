using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Telemetry.Api.Commands;

/// <summary>
/// The tokens of site switches asked for and not yet confirmed: each bound to the user, the site and the value, usable
/// once, within <see cref="CommandSettings.ConfirmationLifetime"/>. Kept in memory: a restart only means asking again.
/// </summary>
public sealed class SiteSwitchConfirmations(TimeProvider clock, CommandSettings settings)
{
    private readonly ConcurrentDictionary<string, (string User, string Site, bool On, DateTimeOffset Expires)> pending = new(StringComparer.Ordinal);

    /// <summary>A new token for <paramref name="user"/> to switch <paramref name="site"/> to <paramref name="on"/>, and when it expires.</summary>
    public (string Token, DateTimeOffset Expires) Issue(string user, string site, bool on)
    {
        var now = clock.GetUtcNow();
        foreach (var (token, stale) in pending.Where(p => p.Value.Expires <= now).ToList())
        {
            pending.TryRemove(new(token, stale));
        }

        var issued = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var expires = now + settings.ConfirmationLifetime;
        pending[issued] = (user, site, on, expires);
        return (issued, expires);
    }

    /// <summary>Takes <paramref name="token"/> if it was issued to this user for this site and value and has not expired: null then, else why not.</summary>
    public string? Redeem(string token, string user, string site, bool on)
    {
        if (!pending.TryRemove(token, out var issued))
        {
            return "is unknown or already used: ask again without it";
        }

        if (issued.Expires <= clock.GetUtcNow())
        {
            return "has expired: ask again without it";
        }

        return issued.User != user || issued.Site != site || issued.On != on
            ? "was issued for another user, site or value: ask again without it"
            : null;
    }
}
