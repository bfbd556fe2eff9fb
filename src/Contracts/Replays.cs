using System.Text.Json.Serialization;

namespace Telemetry.Contracts;

/// <summary>
/// A consumer group's request to a gateway for batches <see cref="From"/> to <see cref="To"/> again, on
/// <c>{root}/{site}/{gateway}/replay/{group}</c>. The broker lets only the group's own principal publish there, and the
/// gateway answers on <c>replayed/{group}</c>, which only that principal reads.
/// </summary>
public sealed record ReplayRequest
{
    public required int V { get; init; }

    /// <summary>The request's id, echoed on every batch sent for it and on its summary.</summary>
    public required string Id { get; init; }

    public required long From { get; init; }

    public required long To { get; init; }

    [JsonConverter(typeof(UtcMillisecondsJsonConverter))]
    public required DateTimeOffset Issued { get; init; }

    /// <summary>After this the gateway does not act on it: the consumer will have asked again.</summary>
    [JsonConverter(typeof(UtcMillisecondsJsonConverter))]
    public required DateTimeOffset Expires { get; init; }
}

/// <summary>
/// The gateway's answer to a <see cref="ReplayRequest"/>, after the batches it sent: how many, and the ranges it no
/// longer holds (dropped after its retention time or size bound: lost for good), or why it did not act.
/// </summary>
public sealed record ReplaySummary
{
    public int V { get; init; } = 1;

    public required string Id { get; init; }

    public long From { get; init; }

    public long To { get; init; }

    /// <summary>Batches sent again.</summary>
    public long Sent { get; init; }

    /// <summary>Ranges asked for that the gateway does not hold, as [first, last] pairs.</summary>
    public IReadOnlyList<long[]> Missing { get; init; } = [];

    /// <summary>The oldest seq the gateway still holds, if any.</summary>
    public long? HeldFrom { get; init; }

    /// <summary>Why the request was not acted on (<c>invalid</c>, <c>expired</c>, <c>too_many</c>, <c>busy</c>); null when it was.</summary>
    public string? Refused { get; init; }

    public string? Detail { get; init; }
}

/// <summary>The MQTT 5 user properties that mark replays.</summary>
public static class ReplayProperties
{
    /// <summary>On a batch sent again: the request's id.</summary>
    public const string Replay = "replay";

    /// <summary>On the summary: the request's id.</summary>
    public const string Summary = "replay-summary";
}
