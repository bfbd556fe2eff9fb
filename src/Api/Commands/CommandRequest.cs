using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Telemetry.Api.Access;
using Telemetry.Api.Plant;
using Telemetry.Contracts;
using Telemetry.Devices.Decoding;
using Telemetry.Devices.Profiles;

namespace Telemetry.Api.Commands;

/// <summary>Who may ask for each command action, and what a switch writes.</summary>
public static class CommandPermissions
{
    /// <summary>
    /// The roles that may ask for <paramref name="action"/> (admins always): operators switch the lighting and hand it
    /// back to its schedule; engineers start tests, set clocks, move a mast's lift and write points, which change how the
    /// plant behaves.
    /// </summary>
    public static IReadOnlyList<Role> RolesFor(string action) =>
        action is CommandActions.Switch or CommandActions.ResumeSchedule ? [Role.Operator, Role.Admin] : [Role.Engineer, Role.Admin];

    /// <summary>The writable on/off point of a circuit (or of the device when <paramref name="circuit"/> is null), as the gateway looks for it.</summary>
    public static PointDefinition? SwitchPoint(DeviceProfile profile, int? circuit)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return new[] { "commanded_on", "circuit_command", "output_on" }
            .Select(name => profile.FindPoint(name, circuit))
            .FirstOrDefault(p => p is { IsWritable: true });
    }
}

/// <summary>The envelope a command is sent in (<see cref="CommandEnvelope"/>): its id, who asked, when, and until when it may be carried out.</summary>
/// <param name="Id">An identifier, never used twice; also the MQTT correlation data and the audit row's id.</param>
/// <param name="Issuer">The signed-in user who asked.</param>
/// <param name="Issued">When the Api sent it.</param>
/// <param name="Expires">After this the gateway refuses it (<c>Commands:Lifetime</c> after <paramref name="Issued"/>).</param>
public sealed record CommandEnvelopeFields(string Id, string Issuer, DateTimeOffset Issued, DateTimeOffset Expires);

/// <summary>A command checked against the device it is for, ready to be sent; names as in the gateway's payload.</summary>
public sealed record CheckedCommand(string Action, int? Circuit, bool? On, string? Point, JsonElement? Value, DateTimeOffset? Time, string? Direction = null)
{
    /// <summary>The payload the gateway reads (<c>DeviceCommand</c>): the envelope, then the action and its fields.</summary>
    public byte[] Payload(CommandEnvelopeFields envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", envelope.Id);
            writer.WriteString("issuer", envelope.Issuer);
            writer.WriteString("issued", CommandEnvelope.FormatTime(envelope.Issued));
            writer.WriteString("expires", CommandEnvelope.FormatTime(envelope.Expires));
            writer.WriteString("action", Action);
            if (Circuit is { } circuit)
            {
                writer.WriteNumber("circuit", circuit);
            }

            if (On is { } on)
            {
                writer.WriteBoolean("on", on);
            }

            if (Point is { } point)
            {
                writer.WriteString("point", point);
            }

            if (Value is { } value)
            {
                writer.WritePropertyName("value");
                value.WriteTo(writer);
            }

            if (Direction is { } direction)
            {
                writer.WriteString("direction", direction);
            }

            if (Time is { } time)
            {
                writer.WriteString("time", time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The value as the audit keeps it: the circuit, on/off, point and value in one short text.</summary>
    public string Describe() => string.Join(' ', new[]
    {
        Circuit is { } c ? $"circuit={c.ToString(CultureInfo.InvariantCulture)}" : null,
        On is { } on ? (on ? "on=true" : "on=false") : null,
        Point is { } p ? $"point={p}" : null,
        Value is { } v ? $"value={v.GetRawText()}" : null,
        Direction is { } d ? $"direction={d}" : null,
        Time is { } t ? $"time={t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)}" : null,
    }.Where(s => s is not null));
}

/// <summary>A command body as read: the command, or what is wrong with it, by field.</summary>
public sealed record ParsedCommand(CheckedCommand? Command, IDictionary<string, string[]> Problems);

/// <summary>
/// Reads a command body (<c>action</c>, <c>circuit</c>, <c>on</c>, <c>point</c>, <c>value</c>, <c>time</c>, <c>direction</c>) against the
/// device's profile before anything is sent, so that a mistake is a 400 naming the field rather than a round trip to
/// the gateway: unknown fields and actions, wrong JSON types, a circuit the device does not have or one missing where
/// it has several, a point that is not writable or that a dedicated action owns, a value its encoding refuses, a lift
/// on a device without one. The gateway checks again. Pure.
/// </summary>
public static class CommandRequestParser
{
    private static readonly HashSet<string> Fields = ["action", "circuit", "on", "point", "value", "time", "direction"];

    public static ParsedCommand Parse(PlantDevice device, JsonElement body)
    {
        ArgumentNullException.ThrowIfNull(device);
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.ValueKind != JsonValueKind.Object)
        {
            problems["body"] = ["must be a JSON object with action and its fields"];
            return new(null, problems);
        }

        foreach (var property in body.EnumerateObject().Where(p => !Fields.Contains(p.Name)))
        {
            problems[Shown(property.Name)] = [$"is not a field of a command: {string.Join(", ", Fields)}"];
        }

        var action = Action(body, problems);
        var circuit = Circuit(body, device, problems);
        var on = On(body, problems);
        var point = Text(body, "point", problems);
        JsonElement? value = body.TryGetProperty("value", out var valueElement) && valueElement.ValueKind != JsonValueKind.Null ? valueElement.Clone() : null;
        var time = Time(body, problems);
        var direction = Text(body, "direction", problems);
        if (action is null)
        {
            return new(null, problems);
        }

        foreach (var given in body.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null && Fields.Contains(p.Name) && p.Name != "action"))
        {
            if (!FieldsOf(action).Contains(given.Name))
            {
                problems.TryAdd(given.Name, [$"is not a field of {action}"]);
            }
        }

        if (!problems.ContainsKey("circuit"))
        {
            switch (action)
            {
                case CommandActions.Switch:
                    CheckSwitch(device, circuit, on, problems);
                    break;
                case CommandActions.Write:
                    CheckWrite(device, circuit, point, value, problems);
                    break;
                case CommandActions.Lift:
                    CheckLift(device, direction, problems);
                    break;
            }
        }

        return problems.Count > 0 ? new(null, problems) : new(new CheckedCommand(action, circuit, on, point, value, time, direction), problems);
    }

    // The fields each action takes besides its name; the others are refused rather than ignored.
    private static string[] FieldsOf(string action) => action switch
    {
        CommandActions.Switch => ["circuit", "on"],
        CommandActions.Write => ["point", "circuit", "value"],
        CommandActions.SetClock => ["time"],
        CommandActions.Lift => ["direction"],
        _ => [],
    };

    private static string? Action(JsonElement body, Dictionary<string, string[]> problems)
    {
        var action = Text(body, "action", problems);
        if (action is null && !problems.ContainsKey("action"))
        {
            problems["action"] = [$"name one of {string.Join(", ", CommandActions.All)}"];
        }
        else if (action is not null && !CommandActions.All.Contains(action))
        {
            problems["action"] = [$"'{Shown(action)}' is none of {string.Join(", ", CommandActions.All)}"];
            return null;
        }

        return action;
    }

    private static int? Circuit(JsonElement body, PlantDevice device, Dictionary<string, string[]> problems)
    {
        var count = device.Device.Profile.CircuitCount;
        if (!body.TryGetProperty("circuit", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var number) && number >= 1 && number <= count)
        {
            return number;
        }

        problems["circuit"] = [count == 0
            ? $"device {device.Device.Id} has no circuits"
            : $"must be a circuit of device {device.Device.Id}: a whole number 1 to {count}"];
        return null;
    }

    private static bool? On(JsonElement body, Dictionary<string, string[]> problems)
    {
        if (!body.TryGetProperty("on", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return element.GetBoolean();
        }

        problems["on"] = ["must be true or false"];
        return null;
    }

    // An RFC 3339 time with its offset: a time without one would depend on the server's zone.
    private static DateTimeOffset? Time(JsonElement body, Dictionary<string, string[]> problems)
    {
        if (Text(body, "time", problems) is not { } text)
        {
            return null;
        }

        if (text.Length is > 10 and <= 40 && (text[^1] is 'Z' or 'z' || text[^6] is '+' or '-')
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var time)
            && time.Year is >= 2000 and <= 2100)
        {
            return time;
        }

        problems["time"] = [$"'{Shown(text)}' is not a time: RFC 3339 with an offset, such as 2026-11-22T19:00:00Z"];
        return null;
    }

    private static void CheckSwitch(PlantDevice device, int? circuit, bool? on, Dictionary<string, string[]> problems)
    {
        var profile = device.Device.Profile;
        if (on is null)
        {
            problems.TryAdd("on", ["switch needs on: true or false"]);
        }

        if (circuit is null && profile.CircuitCount > 1)
        {
            problems["circuit"] = [$"device {device.Device.Id} has {profile.CircuitCount} circuits: name one, 1 to {profile.CircuitCount}"];
        }
        else if (CommandPermissions.SwitchPoint(profile, circuit ?? (profile.CircuitCount == 1 ? 1 : null)) is null)
        {
            problems["action"] = [$"model {profile.Model} has no on/off point that can be written"];
        }
    }

    private static void CheckLift(PlantDevice device, string? direction, Dictionary<string, string[]> problems)
    {
        var profile = device.Device.Profile;
        if (profile.FindPoint("lift_up") is not { IsWritable: true } || profile.FindPoint("lift_down") is not { IsWritable: true })
        {
            problems["action"] = [$"model {profile.Model} has no lift"];
        }
        else if (direction is null || !CommandActions.LiftDirections.Contains(direction))
        {
            problems.TryAdd("direction", [$"lift needs the direction: {string.Join(", ", CommandActions.LiftDirections)}"]);
        }
    }

    private static void CheckWrite(PlantDevice device, int? circuit, string? point, JsonElement? value, Dictionary<string, string[]> problems)
    {
        var profile = device.Device.Profile;
        var writable = string.Join(", ", profile.WritablePoints.Where(p => p.OwnedBy.Count == 0).Select(p => p.Name).Distinct().Order(StringComparer.Ordinal));
        var owned = point is null ? null : profile.Points.FirstOrDefault(p => p.Name == point && p.OwnedBy.Count > 0);
        if (point is null)
        {
            problems.TryAdd("point", [$"write needs the point: one of {writable}"]);
        }
        else if (owned is not null)
        {
            problems["point"] = [$"{point} is written only by {string.Join(", ", owned.OwnedBy)}, which check the device first: send that action"];
        }
        else if (!profile.WritablePoints.Any(p => p.Name == point))
        {
            problems["point"] = [$"'{Shown(point)}' is not a writable point of model {profile.Model}: {writable}"];
        }
        else if (circuit is null && profile.FindPoint(point, null) is null)
        {
            problems["circuit"] = [$"point {point} is one per circuit: name the circuit, 1 to {profile.CircuitCount}"];
        }
        else if (value is not { } given)
        {
            problems["value"] = ["write needs the value: a number, true or false, or a label of the point"];
        }
        else if (ToPointValue(given) is not { } pointValue)
        {
            problems["value"] = ["must be a number, true or false, or a label of the point"];
        }
        else if (!CommandEncoder.TryEncode(profile, point, circuit, pointValue, out _, out var rejection))
        {
            problems["value"] = [Shown(rejection.ToString())];
        }
    }

    private static string? Text(JsonElement body, string name, Dictionary<string, string[]> problems)
    {
        if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            problems[name] = ["must be a string"];
            return null;
        }

        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            problems[name] = ["is not valid text"];
            return null;
        }
    }

    private static PointValue? ToPointValue(JsonElement value)
    {
        try
        {
            return value.ValueKind switch
            {
                JsonValueKind.True => PointValue.FromBoolean(true),
                JsonValueKind.False => PointValue.FromBoolean(false),
                JsonValueKind.String => PointValue.FromText(value.GetString()!),
                JsonValueKind.Number when value.TryGetInt64(out var whole) && !value.GetRawText().AsSpan().ContainsAny(".eE") => PointValue.FromInteger(whole),
                JsonValueKind.Number when double.IsFinite(value.GetDouble()) => PointValue.FromReal(value.GetDouble()),
                _ => (PointValue?)null,
            };
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    // A value echoed in a problem is cut short: the problem names the input, it does not repeat a megabyte of it.
    private static string Shown(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
