using System.Text.Json.Serialization;

namespace Telemetry.Contracts;

/// <summary>How far a reading can be trusted.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReadingQuality>))]
public enum ReadingQuality
{
    [JsonStringEnumMemberName("good")]
    Good,

    /// <summary>The device answered with a value it knows to be old.</summary>
    [JsonStringEnumMemberName("stale")]
    Stale,

    /// <summary>The device could not be read; <see cref="Reading.Error"/> says why and there are no values.</summary>
    [JsonStringEnumMemberName("error")]
    Error,
}

/// <summary>One device read once. Devices with several circuits send one reading per circuit.</summary>
public sealed record Reading
{
    public required string Device { get; init; }

    public required DeviceFamily Family { get; init; }

    /// <summary>When the device was read (UTC, millisecond precision).</summary>
    [JsonConverter(typeof(UtcMillisecondsJsonConverter))]
    public required DateTimeOffset Ts { get; init; }

    public ReadingQuality Quality { get; init; } = ReadingQuality.Good;

    /// <summary>The circuit of a multi-circuit device, tagged as <c>circuit</c> in storage.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Circuit { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, ReadingValue>? Values { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }
}

/// <summary>What a gateway publishes on its telemetry topic once per poll cycle.</summary>
public sealed record ReadingBatch
{
    public const int CurrentVersion = 1;

    public int V { get; init; } = CurrentVersion;

    public required string Gateway { get; init; }

    public required string Site { get; init; }

    /// <summary>Increases by one per batch per gateway and survives restarts.</summary>
    public required long Seq { get; init; }

    [JsonConverter(typeof(UtcMillisecondsJsonConverter))]
    public required DateTimeOffset Sent { get; init; }

    public required IReadOnlyList<Reading> Readings { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<GatewayStatus>))]
public enum GatewayStatus
{
    [JsonStringEnumMemberName("online")]
    Online,

    [JsonStringEnumMemberName("offline")]
    Offline,
}

/// <summary>The retained state of a gateway; the broker publishes the offline one as its will.</summary>
public sealed record GatewayState
{
    public required GatewayStatus State { get; init; }

    [JsonConverter(typeof(UtcMillisecondsJsonConverter))]
    public required DateTimeOffset Ts { get; init; }

    public string? Version { get; init; }
}

/// <summary>
/// A discrete event from a gateway: a test started or finished and its result, a command's result, a device error.
/// </summary>
public sealed record GatewayEvent
{
    public const int CurrentVersion = 1;

    public int V { get; init; } = CurrentVersion;

    /// <summary>What happened, in snake case: <c>battery_test_finished</c>, <c>command_result</c>, <c>device_error</c>...</summary>
    public required string Kind { get; init; }

    [JsonConverter(typeof(UtcMillisecondsJsonConverter))]
    public required DateTimeOffset Ts { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Device { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }

    /// <summary>The event's figures (outcome, runtime reached, ...), stored as fields.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, ReadingValue>? Values { get; init; }

    /// <summary>Short text attributes of the event (outcome, result), stored as string fields.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
}
