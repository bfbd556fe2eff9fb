namespace Telemetry.Contracts.Validation;

/// <summary>Why a message, or a reading in it, could not be stored. Counted per reason on <c>/healthz</c>.</summary>
public enum RejectionReason
{
    /// <summary>The topic is not a gateway topic under the configured root.</summary>
    UnknownTopic,

    /// <summary>The payload is larger than the configured limit.</summary>
    TooLarge,

    /// <summary>The payload is not well-formed JSON of the contract's shape.</summary>
    MalformedJson,

    /// <summary>The payload's version is not one this Ingest reads.</summary>
    UnknownVersion,

    /// <summary>The payload names another site or gateway than its topic.</summary>
    TopicMismatch,

    /// <summary>A site, gateway or device identifier is not a legal tag value.</summary>
    InvalidIdentifier,

    /// <summary>A value name is not lower snake case, or a text is too long.</summary>
    InvalidName,

    /// <summary>Too many readings in a batch or values in a reading.</summary>
    TooMany,

    /// <summary>A reading's time is before 2000 or too far in the future.</summary>
    TimestampOutOfRange,

    /// <summary>A reading has no values although its quality says it has, or the other way round.</summary>
    InconsistentReading,

    /// <summary>InfluxDB refused the points (a field type conflict, for instance).</summary>
    RejectedByDatabase,

    /// <summary>A reading or event older than what was already judged of its device by more than the replay window.</summary>
    TooOld,

    /// <summary>More unknown gateways or devices than the service keeps track of.</summary>
    UnknownSourceLimit,

    /// <summary>The store refused what the message led to, for a reason that would not change on a retry.</summary>
    RefusedByStore,

    /// <summary>Handling the message failed unexpectedly; the failure would happen again, so it is set aside.</summary>
    Unprocessable,
}

/// <summary>One thing refused, with the rule it broke in words an operator can act on (and the JSON path, where there is one).</summary>
public sealed record Rejection(RejectionReason Reason, string Detail)
{
    /// <summary>The reason as dead letters and health counters write it: <c>timestamp_out_of_range</c>.</summary>
    public string ReasonName => Reason.ToName();
}

public static class RejectionReasons
{
    private static readonly string[] Names = [.. Enum.GetValues<RejectionReason>().Select(r => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(r.ToString()))];

    /// <summary>The reason in snake case, as written in dead letters and health counters.</summary>
    public static string ToName(this RejectionReason reason) => Names[(int)reason];
}
