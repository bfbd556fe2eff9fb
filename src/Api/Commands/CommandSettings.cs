namespace Telemetry.Api.Commands;

/// <summary>The <c>Commands</c> section: how long a command waits for its gateway and may be carried out, and a site switch for its confirmation.</summary>
public sealed class CommandSettings
{
    /// <summary>How long a command waits for the gateway's answer before it is a 504 (and audited as timed out).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a command may be carried out after it is sent (its envelope's <c>expires</c> − <c>issued</c>): a gateway
    /// that receives it later (it was offline, the broker held it) refuses it as expired. At most the gateways'
    /// <c>Gateway:Commands:MaxLifetime</c> (10 minutes by default), which they refuse beyond.
    /// </summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the token of a site switch's first call may be used to carry it out.</summary>
    public TimeSpan ConfirmationLifetime { get; set; } = TimeSpan.FromSeconds(60);

    public IEnumerable<string> Validate()
    {
        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(5))
        {
            yield return $"Commands:Timeout '{Timeout}' must be more than 0 and at most 5 minutes";
        }

        if (Lifetime < TimeSpan.FromSeconds(1) || Lifetime > TimeSpan.FromMinutes(10))
        {
            yield return $"Commands:Lifetime '{Lifetime}' must be 1 second to 10 minutes (gateways refuse a command that lives longer than their Gateway:Commands:MaxLifetime, 10 minutes by default)";
        }

        if (ConfirmationLifetime <= TimeSpan.Zero || ConfirmationLifetime > TimeSpan.FromMinutes(10))
        {
            yield return $"Commands:ConfirmationLifetime '{ConfirmationLifetime}' must be more than 0 and at most 10 minutes";
        }
    }
}
