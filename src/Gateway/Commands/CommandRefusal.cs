namespace Telemetry.Gateway.Commands;

/// <summary>
/// Why the gateway refused a command before anything was written: a short code, counted per code in the gateway's
/// statistics, and a text for people. The answer's <c>reason</c> is <c>{code}: {text}</c>.
/// </summary>
public sealed record CommandRefusal(string Code, string Text)
{
    /// <summary>No envelope, or a field of it that is missing or malformed.</summary>
    public const string InvalidEnvelope = "invalid_envelope";

    public const string Expired = "expired";

    /// <summary>Issued further in the gateway's future than the clock skew allows.</summary>
    public const string IssuedInFuture = "issued_in_future";

    /// <summary>Lives longer than the gateway remembers ids.</summary>
    public const string LifetimeTooLong = "lifetime_too_long";

    /// <summary>An id the gateway has taken before.</summary>
    public const string Replayed = "replayed";

    /// <summary>A response topic outside the gateway's own reply tree: refused and not answered there.</summary>
    public const string ForeignReplyTopic = "foreign_reply_topic";

    /// <summary>A raw write to a point that a dedicated action owns.</summary>
    public const string DedicatedPoint = "dedicated_point";

    /// <summary>The intake is full (or the id memory is): the command was not queued.</summary>
    public const string Busy = "busy";

    public const string TooLarge = "too_large";

    /// <summary>Not a command: not JSON, not an object, an unknown field.</summary>
    public const string Malformed = "malformed";

    /// <summary>The gateway has no such device.</summary>
    public const string UnknownDevice = "unknown_device";

    /// <summary>The device's model refuses it (the profile, the planner) or its state does (mains lost, maintenance key off).</summary>
    public const string NotPossible = "not_possible";

    public string Reason => $"{Code}: {Text}";

    public override string ToString() => Reason;
}
