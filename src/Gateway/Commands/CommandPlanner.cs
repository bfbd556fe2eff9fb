using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Devices.Decoding;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;

namespace Telemetry.Gateway.Commands;

/// <summary>One value to write, before validation.</summary>
public sealed record PointWrite(string Point, int? Circuit, PointValue Value);

/// <summary>
/// Turns a command into the point writes that carry it on the device's model, and validates every one against
/// the profile (writable, label or range) before anything is written: a command is written whole or not at all.
/// </summary>
public static class CommandPlanner
{
    public const string Switch = CommandActions.Switch;
    public const string ResumeSchedule = CommandActions.ResumeSchedule;
    public const string SetClock = CommandActions.SetClock;
    public const string StartFunctionTest = CommandActions.StartFunctionTest;
    public const string StartDurationTest = CommandActions.StartDurationTest;
    public const string StartOneHourTest = CommandActions.StartOneHourTest;
    public const string AbortTest = CommandActions.AbortTest;
    public const string Write = CommandActions.Write;
    public const string Lift = CommandActions.Lift;

    public static readonly IReadOnlyList<string> Actions = CommandActions.All;

    /// <summary>The validated writes of <paramref name="command"/>, or why it is refused.</summary>
    public static (IReadOnlyList<WriteRequest>? Writes, string? Rejection) Plan(SiteDevice device, DeviceCommand command, DateTimeOffset now, TimeZoneInfo siteZone)
    {
        var (writes, problem) = Writes(device, command, now, siteZone);
        if (writes is null)
        {
            return (null, problem);
        }

        var requests = new List<WriteRequest>(writes.Count);
        foreach (var write in writes)
        {
            if (!CommandEncoder.TryEncode(device.Profile, write.Point, write.Circuit, write.Value, out var request, out var rejection))
            {
                return (null, rejection.ToString());
            }

            requests.Add(request);
        }

        return (requests, null);
    }

    private static (IReadOnlyList<PointWrite>? Writes, string? Problem) Writes(SiteDevice device, DeviceCommand command, DateTimeOffset now, TimeZoneInfo siteZone)
    {
        var profile = device.Profile;
        switch (command.Action)
        {
            case Switch:
                if (command.On is not { } on)
                {
                    return (null, "switch needs 'on': true or false");
                }

                if (!TryCircuit(profile, command.Circuit, out var circuit, out var circuitProblem))
                {
                    return (null, circuitProblem);
                }

                if (Writable(profile, "commanded_on", circuit) is { } coil)
                {
                    return ([new PointWrite(coil.Name, circuit, on)], null);
                }

                if (Writable(profile, "circuit_command", circuit) is { } register)
                {
                    return ([new PointWrite(register.Name, circuit, on ? 1L : 0L)], null);
                }

                return Writable(profile, "output_on", circuit) is { } output
                    ? ([new PointWrite(output.Name, circuit, on)], null)
                    : (null, $"model {profile.Model} has no writable on/off point");

            case ResumeSchedule:
                if (Writable(profile, "resume_schedule", null) is { } resume)
                {
                    return ([new PointWrite(resume.Name, null, true)], null);
                }

                return Writable(profile, "schedule_command", null) is { } schedule
                    ? ([new PointWrite(schedule.Name, null, "resume_schedule")], null)
                    : (null, $"model {profile.Model} cannot be handed back to its schedule remotely");

            case SetClock:
                var time = command.Time ?? now;
                if (Writable(profile, "clock_unix_s", null) is not null)
                {
                    return ([new PointWrite("clock_unix_s", null, time.ToUnixTimeSeconds())], null);
                }

                if (Writable(profile, "clock_year", null) is not null)
                {
                    var local = TimeZoneInfo.ConvertTime(time, siteZone);
                    return (
                    [
                        new PointWrite("clock_year", null, (long)local.Year),
                        new PointWrite("clock_month", null, (long)local.Month),
                        new PointWrite("clock_day", null, (long)local.Day),
                        new PointWrite("clock_hour", null, (long)local.Hour),
                        new PointWrite("clock_minute", null, (long)local.Minute),
                        new PointWrite("clock_second", null, (long)local.Second),
                    ], null);
                }

                return (null, $"model {profile.Model} has no writable clock");

            case StartFunctionTest or StartDurationTest or AbortTest:
                return Writable(profile, "test_command", null) is not null
                    ? ([new PointWrite("test_command", null, command.Action)], null)
                    : (null, $"model {profile.Model} runs no emergency tests");

            case StartOneHourTest:
                // The unit knows no one-hour test: it runs a duration test, which the gateway ends at 60 minutes.
                return Writable(profile, "test_command", null) is not null
                    ? ([new PointWrite("test_command", null, StartDurationTest)], null)
                    : (null, $"model {profile.Model} runs no emergency tests");

            case Lift:
                if (Writable(profile, "lift_up", null) is null || Writable(profile, "lift_down", null) is null)
                {
                    return (null, $"model {profile.Model} has no lift");
                }

                // The coil of the other direction is cleared first, so the two are never set at once.
                return command.Direction switch
                {
                    "up" => ([new PointWrite("lift_down", null, false), new PointWrite("lift_up", null, true)], null),
                    "down" => ([new PointWrite("lift_up", null, false), new PointWrite("lift_down", null, true)], null),
                    "stop" => ([new PointWrite("lift_up", null, false), new PointWrite("lift_down", null, false)], null),
                    _ => (null, $"lift needs 'direction': {string.Join(", ", CommandActions.LiftDirections)}"),
                };

            case Write:
                if (string.IsNullOrEmpty(command.Point) || command.Value is not { } value)
                {
                    return (null, "write needs 'point' and 'value'");
                }

                if (OwnerOf(profile, command.Point, command.Circuit) is { } owners)
                {
                    return (null, DedicatedPointText(command.Point, owners));
                }

                return ToPointValue(value) is { } pointValue
                    ? ([new PointWrite(command.Point, command.Circuit, pointValue)], null)
                    : (null, $"value {Describe(value)} is not a number, a boolean or a label");

            default:
                return (null, $"action '{command.Action}' is none of {string.Join(", ", Actions)}");
        }
    }

    /// <summary>The actions that alone write <paramref name="point"/>; null when a raw write may.</summary>
    public static IReadOnlyList<string>? OwnerOf(DeviceProfile profile, string point, int? circuit)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var owned = profile.FindPoint(point, circuit) ?? profile.Points.FirstOrDefault(p => p.Name == point);
        return owned is { OwnedBy.Count: > 0 } ? owned.OwnedBy : null;
    }

    /// <summary>Why a raw write of a point owned by <paramref name="owners"/> is refused.</summary>
    public static string DedicatedPointText(string point, IReadOnlyList<string> owners) =>
        $"point {point} is written only by {string.Join(", ", owners)}, which check the device first; a raw write of it is refused";

    private static bool TryCircuit(DeviceProfile profile, int? given, out int? circuit, out string? problem)
    {
        problem = null;
        circuit = null;
        if (profile.CircuitCount == 0)
        {
            if (given is not null and not 1)
            {
                problem = $"model {profile.Model} has no circuits";
                return false;
            }

            return true;
        }

        if (given is null && profile.CircuitCount == 1)
        {
            circuit = 1;
            return true;
        }

        if (given is not { } c || c < 1 || c > profile.CircuitCount)
        {
            problem = $"'circuit' must be 1 to {profile.CircuitCount} for model {profile.Model}";
            return false;
        }

        circuit = c;
        return true;
    }

    private static PointDefinition? Writable(DeviceProfile profile, string name, int? circuit) =>
        profile.FindPoint(name, circuit) is { IsWritable: true } point ? point : null;

    private static PointValue? ToPointValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => (PointValue?)PointValue.FromBoolean(true),
        JsonValueKind.False => PointValue.FromBoolean(false),
        JsonValueKind.String => TextOf(value) is { } text ? PointValue.FromText(text) : (PointValue?)null,
        JsonValueKind.Number when value.TryGetInt64(out var whole) && !value.GetRawText().AsSpan().ContainsAny(".eE") => PointValue.FromInteger(whole),
        JsonValueKind.Number => PointValue.FromReal(value.GetDouble()),
        _ => null,
    };

    // The deserialiser keeps a JsonElement as the payload's bytes, so its text is first decoded here: a string
    // that is not valid UTF-8, or holds an escaped lone surrogate, throws InvalidOperationException when read.
    private static string? TextOf(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Describe(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && TextOf(value) is null ? "(a string that is not valid UTF-8 or UTF-16 text)" : value.GetRawText();
}
