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

    /// <summary>
    /// The newest seq the gateway holds, if any: a missing range above it was never sent (so nothing of it is lost), and a
    /// consumer that counted batches above it counted batches that did not come from this gateway's numbering.
    /// </summary>
    public long? HeldTo { get; init; }

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

/// <summary>
/// Batches a consumer group will never have, on <c>{root}/datagap/{group}</c>: the gateway no longer holds them (dropped after
/// its retention), it began its numbering again with them missing, or it sent them again and they still did not arrive.
/// Rules opens a data-gap ticket on the gateway for each; the range is the group's, so the same batches missed by Ingest and
/// by Rules are two reports.
/// </summary>
public sealed record DataGapReport
{
    public int V { get; init; } = 1;

    /// <summary>The consumer group that lost the batches (<c>ingest</c>, <c>rules</c>).</summary>
    public required string Group { get; init; }

    public required string Site { get; init; }

    public required string Gateway { get; init; }

    /// <summary>The first seq lost.</summary>
    public required long First { get; init; }

    /// <summary>The last seq lost.</summary>
    public required long Last { get; init; }

    /// <summary>Why: <c>not_held</c>, <c>restarted</c>, <c>unanswered</c> or <c>too_many_gaps</c> (see <see cref="DataGapReasons"/>).</summary>
    public required string Reason { get; init; }

    /// <summary>When the gap was first noticed.</summary>
    [JsonConverter(typeof(UtcMillisecondsJsonConverter))]
    public required DateTimeOffset Since { get; init; }

    /// <summary>When it was given up.</summary>
    [JsonConverter(typeof(UtcMillisecondsJsonConverter))]
    public required DateTimeOffset At { get; init; }
}

/// <summary>Why a <see cref="DataGapReport"/> was made.</summary>
public static class DataGapReasons
{
    /// <summary>The gateway's replay summary says it no longer holds them.</summary>
    public const string NotHeld = "not_held";

    /// <summary>The gateway began its numbering again (its state was lost) while they were missing.</summary>
    public const string Restarted = "restarted";

    /// <summary>Asked for as often as allowed and still not received (the gateway did not answer, or sent what cannot be stored).</summary>
    public const string Unanswered = "unanswered";

    /// <summary>So many gaps were open at once that the oldest was given up to bound memory.</summary>
    public const string TooManyGaps = "too_many_gaps";

    public static bool IsKnown(string? reason) => reason is NotHeld or Restarted or Unanswered or TooManyGaps;
}
