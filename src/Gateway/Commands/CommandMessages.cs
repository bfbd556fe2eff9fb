using System.Text.Json;
using System.Text.Json.Serialization;
using Telemetry.Contracts;

namespace Telemetry.Gateway.Commands;

/// <summary>
/// A command on <c>{root}/{site}/{gateway}/cmd/{device}</c>. <c>action</c> is one of <c>switch</c> (<c>on</c>,
/// <c>circuit</c> for multi-circuit devices), <c>resume_schedule</c>, <c>set_clock</c> (<c>time</c>, the gateway's
/// clock when absent), <c>start_function_test</c>, <c>start_duration_test</c>, <c>start_one_hour_test</c>,
/// <c>abort_test</c>, <c>lift</c> (<c>direction</c>: up, down or stop), or <c>write</c> (<c>point</c>, <c>circuit</c>,
/// <c>value</c>: a number, a boolean or a label of the point; not a point that a dedicated action owns). Every command
/// carries the envelope (<see cref="CommandEnvelope"/>): <c>id</c>, <c>issuer</c>, <c>issued</c>, <c>expires</c>.
/// </summary>
public sealed record DeviceCommand
{
    /// <summary>Never used twice: a command seen again is refused as replayed.</summary>
    public string? Id { get; init; }

    /// <summary>The user who asked.</summary>
    public string? Issuer { get; init; }

    /// <summary>When it was asked for (RFC 3339 UTC with milliseconds); read by <see cref="CommandEnvelope.TryParseTime"/>.</summary>
    public string? Issued { get; init; }

    /// <summary>After this it is refused, however it was delayed (RFC 3339 UTC with milliseconds).</summary>
    public string? Expires { get; init; }

    public string? Direction { get; init; }

    public string? Action { get; init; }

    public int? Circuit { get; init; }

    public bool? On { get; init; }

    public string? Point { get; init; }

    public JsonElement? Value { get; init; }

    [JsonConverter(typeof(UtcMillisecondsJsonConverter))]
    public DateTimeOffset? Time { get; init; }
}

/// <summary>What became of a command.</summary>
public enum CommandResult
{
    /// <summary>Written to the device.</summary>
    Done,

    /// <summary>Refused by the gateway before anything was written: <c>reason</c> says why.</summary>
    Rejected,

    /// <summary>The device refused or did not answer: <c>reason</c> says how.</summary>
    DeviceError,
}

/// <summary>The answer on the command's MQTT 5 response topic, with its correlation data.</summary>
public sealed record CommandResponse
{
    public int V { get; init; } = 1;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }

    public required string Device { get; init; }

    public required string Action { get; init; }

    public required CommandResult Result { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }

    [JsonConverter(typeof(UtcMillisecondsJsonConverter))]
    public required DateTimeOffset Ts { get; init; }
}

/// <summary>The outcome of carrying out a command.</summary>
public sealed record CommandOutcome(CommandResult Result, string? Reason)
{
    public static CommandOutcome Done { get; } = new(CommandResult.Done, null);

    public static CommandOutcome Rejected(string reason) => new(CommandResult.Rejected, reason);

    public static CommandOutcome DeviceError(string reason) => new(CommandResult.DeviceError, reason);

    public string ResultName => Result switch
    {
        CommandResult.Done => "done",
        CommandResult.Rejected => "rejected",
        _ => "device_error",
    };
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    Converters = [typeof(CommandResultNameConverter)])]
[JsonSerializable(typeof(DeviceCommand))]
[JsonSerializable(typeof(CommandResponse))]
public sealed partial class CommandJson : JsonSerializerContext;

/// <summary>Writes results as <c>done</c>, <c>rejected</c>, <c>device_error</c>.</summary>
public sealed class CommandResultNameConverter() : JsonStringEnumConverter<CommandResult>(JsonNamingPolicy.SnakeCaseLower);
