using System.Globalization;
using Telemetry.Contracts;

namespace Telemetry.Gateway.Commands;

/// <summary>
/// The checks a command passes before the gateway looks at what it asks: its envelope (<see cref="CommandEnvelope"/>),
/// its time (not expired, not issued in the future beyond the clock skew, not living longer than ids are
/// remembered), and where it is to be answered. Pure: the clock is passed in.
/// </summary>
public static class CommandGuard
{
    /// <summary>The envelope's id and expiry, or why the command is refused.</summary>
    public static (string Id, DateTimeOffset Expires)? Admit(DeviceCommand command, DateTimeOffset now, TimeSpan clockSkew, TimeSpan maxLifetime, out CommandRefusal? refusal)
    {
        ArgumentNullException.ThrowIfNull(command);
        refusal = null;
        var problems = CommandEnvelope.Problems(command.Id, command.Issuer, command.Issued, command.Expires);
        if (problems.Count > 0)
        {
            refusal = new(CommandRefusal.InvalidEnvelope, string.Join("; ", problems));
            return null;
        }

        CommandEnvelope.TryParseTime(command.Issued, out var issued);
        CommandEnvelope.TryParseTime(command.Expires, out var expires);
        if (expires <= issued)
        {
            refusal = new(CommandRefusal.InvalidEnvelope, $"'expires' {command.Expires} is not after 'issued' {command.Issued}");
        }
        else if (expires <= now)
        {
            refusal = new(CommandRefusal.Expired, $"the command expired at {command.Expires}; the gateway's clock reads {CommandEnvelope.FormatTime(now)}");
        }
        else if (issued > now + clockSkew)
        {
            refusal = new(CommandRefusal.IssuedInFuture, $"issued at {command.Issued}, more than {Seconds(clockSkew)} s after the gateway's clock ({CommandEnvelope.FormatTime(now)})");
        }
        else if (expires - issued > maxLifetime)
        {
            refusal = new(CommandRefusal.LifetimeTooLong, $"it lives {Seconds(expires - issued)} s; the gateway takes at most {Seconds(maxLifetime)} s");
        }

        return refusal is null ? (command.Id!, expires) : null;
    }

    /// <summary>
    /// Whether the gateway may answer on <paramref name="responseTopic"/>: only under its own reply tree
    /// (<c>{root}/{site}/{gateway}/reply/{requester}</c>), so that a command cannot make it publish elsewhere.
    /// </summary>
    public static bool IsOwnReplyTopic(Topics topics, string site, string gateway, string responseTopic)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(responseTopic);
        return topics.Parse(responseTopic) is { Kind: GatewayTopicKind.Reply } reply && reply.Site == site && reply.Gateway == gateway;
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
