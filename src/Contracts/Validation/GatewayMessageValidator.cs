using System.Text;

namespace Telemetry.Contracts.Validation;

/// <summary>
/// The one check of gateway messages against the contracts, beyond what JSON parsing already enforces, for every
/// service that reads them: shapes (no null where the contract has an object or a text), identifiers, time bounds
/// and sizes. A batch that is sound as a whole keeps its good readings; the bad ones are refused one by one, each
/// with its reason and the JSON path of what broke the rule. It reads messages in two forms with the same rules:
/// records deserialised from the payload, and UTF-8 slices of the payload for a reader that does not copy them.
/// </summary>
public sealed class GatewayMessageValidator(ValidationLimits limits, TimeProvider clock)
{
    private const int MaxVersionLength = 64;
    private static readonly IReadOnlyDictionary<string, string> EmptyAttributes = new Dictionary<string, string>();

    /// <summary>The latest time a reading may carry, as of now: taken once per message.</summary>
    public DateTimeOffset Latest() => clock.GetUtcNow() + limits.MaxFuture;

    /// <summary>Rules the whole batch must pass, on the batch as read from its payload; null when it does.</summary>
    public Rejection? CheckBatch(
        GatewayTopic topic, int version, ReadOnlySpan<byte> site, ReadOnlySpan<byte> gateway, int readings, DateTimeOffset sent, DateTimeOffset latest)
    {
        if (version != ReadingBatch.CurrentVersion)
        {
            return new(RejectionReason.UnknownVersion, $"$.v: version {version} is not {ReadingBatch.CurrentVersion}");
        }

        if (!Utf8Equals(site, topic.Site) || !Utf8Equals(gateway, topic.Gateway))
        {
            return new(RejectionReason.TopicMismatch, $"payload names site '{Shorten(Text(site))}' gateway '{Shorten(Text(gateway))}' but the topic is {topic.Site}/{topic.Gateway}");
        }

        if (readings > limits.MaxReadingsPerBatch)
        {
            return new(RejectionReason.TooMany, $"$.readings: {readings} readings exceed the limit of {limits.MaxReadingsPerBatch}");
        }

        return IsInTime(sent, latest) ? null : TimeRejection("$.sent", sent);
    }

    /// <summary>Rules each reading must pass, on the reading as read from its payload; null when it does.</summary>
    public Rejection? CheckReading(in ParsedReading reading, int index, DateTimeOffset latest)
    {
        if (!IsIdentifier(reading.Device))
        {
            return InvalidDevice(index, Text(reading.Device));
        }

        if (reading.HasCircuit && !IsIdentifier(reading.Circuit))
        {
            return InvalidCircuit(index, reading.DeviceText, Text(reading.Circuit));
        }

        if (!IsInTime(reading.Ts, latest))
        {
            return TimeRejection($"{ReadingPath(index)}.ts of device {reading.DeviceText}", reading.Ts);
        }

        // Limits count UTF-16 characters, as they did when readings were strings; only long texts need counting.
        if (reading.HasError && reading.Error.Length > limits.MaxTextLength && Encoding.UTF8.GetCharCount(reading.Error) is var length && length > limits.MaxTextLength)
        {
            return ErrorTooLong(index, reading.DeviceText, length);
        }

        var values = reading.HasValues ? reading.Values.Length : 0;
        if (CheckQuality(index, reading.DeviceText, reading.Quality, values, reading.HasError && !IsWhiteSpace(reading.Error)) is { } inconsistent)
        {
            return inconsistent;
        }

        if (values > limits.MaxValuesPerReading)
        {
            return TooManyValues(index, reading.DeviceText, values);
        }

        foreach (ref readonly var value in reading.Values)
        {
            var name = reading.Name(value);
            if (!IsValueName(name) || IsReservedValueName(name))
            {
                return InvalidValueName(index, reading.DeviceText, Text(name));
            }
        }

        return null;
    }

    /// <summary>
    /// Rules a deserialised batch must pass as a whole; null when it does. A reading that is null makes the batch
    /// malformed, as it does for a reader of the payload.
    /// </summary>
    public Rejection? CheckBatch(GatewayTopic topic, ReadingBatch batch, DateTimeOffset latest)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Readings is null)
        {
            return new(RejectionReason.MalformedJson, "$.readings: readings must be an array, not null");
        }

        for (var i = 0; i < batch.Readings.Count; i++)
        {
            if (batch.Readings[i] is null)
            {
                return new(RejectionReason.MalformedJson, $"{ReadingPath(i)}: a reading must be an object, not null");
            }
        }

        if (batch.V != ReadingBatch.CurrentVersion)
        {
            return new(RejectionReason.UnknownVersion, $"$.v: version {batch.V} is not {ReadingBatch.CurrentVersion}");
        }

        if (batch.Site != topic.Site || batch.Gateway != topic.Gateway)
        {
            return new(RejectionReason.TopicMismatch, $"payload names site '{Shorten(batch.Site)}' gateway '{Shorten(batch.Gateway)}' but the topic is {topic.Site}/{topic.Gateway}");
        }

        if (batch.Readings.Count > limits.MaxReadingsPerBatch)
        {
            return new(RejectionReason.TooMany, $"$.readings: {batch.Readings.Count} readings exceed the limit of {limits.MaxReadingsPerBatch}");
        }

        return IsInTime(batch.Sent, latest) ? null : TimeRejection("$.sent", batch.Sent);
    }

    /// <summary>Rules each deserialised reading must pass (after <see cref="CheckBatch(GatewayTopic, ReadingBatch, DateTimeOffset)"/>); null when it does.</summary>
    public Rejection? CheckReading(Reading reading, int index, DateTimeOffset latest)
    {
        ArgumentNullException.ThrowIfNull(reading);
        if (!Identifiers.IsValid(reading.Device))
        {
            return InvalidDevice(index, reading.Device);
        }

        if (reading.Circuit is { } circuit && !Identifiers.IsValid(circuit))
        {
            return InvalidCircuit(index, reading.Device, circuit);
        }

        if (!Enum.IsDefined(reading.Family) || !Enum.IsDefined(reading.Quality))
        {
            return new(RejectionReason.MalformedJson, $"{ReadingPath(index)}: device {reading.Device} has an unknown family or quality");
        }

        if (!IsInTime(reading.Ts, latest))
        {
            return TimeRejection($"{ReadingPath(index)}.ts of device {reading.Device}", reading.Ts);
        }

        if (reading.Error is { Length: var length } && length > limits.MaxTextLength)
        {
            return ErrorTooLong(index, reading.Device, length);
        }

        var values = reading.Values?.Count ?? 0;
        if (CheckQuality(index, reading.Device, reading.Quality, values, !string.IsNullOrWhiteSpace(reading.Error)) is { } inconsistent)
        {
            return inconsistent;
        }

        if (values > limits.MaxValuesPerReading)
        {
            return TooManyValues(index, reading.Device, values);
        }

        foreach (var name in reading.Values?.Keys ?? [])
        {
            if (!Identifiers.IsValidValueName(name) || IsReservedValueName(name))
            {
                return InvalidValueName(index, reading.Device, name);
            }
        }

        return null;
    }

    /// <summary>Rules a gateway's retained state must pass; null when it does.</summary>
    public Rejection? CheckState(GatewayState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!Enum.IsDefined(state.State))
        {
            return new(RejectionReason.MalformedJson, $"$.state: {(int)state.State} is not online or offline");
        }

        if (state.Version is { Length: > MaxVersionLength })
        {
            return new(RejectionReason.InvalidName, $"$.version: a version longer than {MaxVersionLength} characters");
        }

        return CheckTime("$.ts", state.Ts);
    }

    /// <summary>Rules a gateway event must pass; null when it does.</summary>
    public Rejection? CheckEvent(GatewayEvent gatewayEvent)
    {
        ArgumentNullException.ThrowIfNull(gatewayEvent);
        if (gatewayEvent.V != GatewayEvent.CurrentVersion)
        {
            return new(RejectionReason.UnknownVersion, $"$.v: event version {gatewayEvent.V} is not {GatewayEvent.CurrentVersion}");
        }

        if (gatewayEvent.Device is { } device && !Identifiers.IsValid(device))
        {
            return new(RejectionReason.InvalidIdentifier, $"$.device: '{Shorten(device)}' is invalid: {Identifiers.Rule}");
        }

        if (!Identifiers.IsValidValueName(gatewayEvent.Kind))
        {
            return new(RejectionReason.InvalidName, $"$.kind: '{Shorten(gatewayEvent.Kind)}' must be lower snake case");
        }

        if (gatewayEvent.Message is { Length: var length } && length > limits.MaxTextLength)
        {
            return new(RejectionReason.InvalidName, $"$.message: {length} characters exceed {limits.MaxTextLength}");
        }

        // Null values of a map are a shape error the deserialiser lets through; a consumer must never meet one.
        foreach (var (name, text) in gatewayEvent.Attributes ?? EmptyAttributes)
        {
            if (text is null)
            {
                return new(RejectionReason.MalformedJson, $"$.attributes.{Shorten(name)}: an attribute must be a string, not null");
            }
        }

        var count = (gatewayEvent.Values?.Count ?? 0) + (gatewayEvent.Attributes?.Count ?? 0);
        if (count > limits.MaxValuesPerReading)
        {
            return new(RejectionReason.TooMany, $"$: {count} event values exceed the limit of {limits.MaxValuesPerReading}");
        }

        foreach (var (map, names) in (ReadOnlySpan<(string, IEnumerable<string>)>)[("values", gatewayEvent.Values?.Keys ?? []), ("attributes", gatewayEvent.Attributes?.Keys ?? [])])
        {
            if (names.FirstOrDefault(n => !Identifiers.IsValidValueName(n) || n is "message" or "time") is { } bad)
            {
                return new(RejectionReason.InvalidName, $"$.{map}.{Shorten(bad)}: an event value name must be lower snake case and not reserved");
            }
        }

        foreach (var (name, text) in gatewayEvent.Attributes ?? EmptyAttributes)
        {
            if (text.Length > limits.MaxTextLength)
            {
                return new(RejectionReason.InvalidName, $"$.attributes.{name}: {text.Length} characters exceed {limits.MaxTextLength}");
            }
        }

        return CheckTime("$.ts", gatewayEvent.Ts);
    }

    /// <summary>Whether <paramref name="time"/> (at the JSON path <paramref name="what"/>) is within the time bounds as of now.</summary>
    public Rejection? CheckTime(string what, DateTimeOffset time) =>
        IsInTime(time, Latest()) ? null : TimeRejection(what, time);

    private bool IsInTime(DateTimeOffset time, DateTimeOffset latest) => time >= limits.Earliest && time <= latest;

    private Rejection TimeRejection(string what, DateTimeOffset time)
    {
        if (time < limits.Earliest)
        {
            return new(RejectionReason.TimestampOutOfRange, $"{what} {time:O} is before {limits.Earliest:O}");
        }

        return new(RejectionReason.TimestampOutOfRange, $"{what} {time:O} is more than {limits.MaxFuture} ahead of the server's clock");
    }

    private static Rejection? CheckQuality(int index, string device, ReadingQuality quality, int values, bool saysWhy) => quality switch
    {
        ReadingQuality.Error when values > 0 => new(RejectionReason.InconsistentReading, $"{ReadingPath(index)}: device {device}: an error reading carries no values"),
        ReadingQuality.Error when !saysWhy => new(RejectionReason.InconsistentReading, $"{ReadingPath(index)}.error: device {device}: an error reading must say why"),
        ReadingQuality.Good or ReadingQuality.Stale when values == 0 => new(RejectionReason.InconsistentReading, $"{ReadingPath(index)}.values: device {device}: a {quality.ToString().ToLowerInvariant()} reading needs values"),
        _ => null,
    };

    private static Rejection InvalidDevice(int index, string? device) =>
        new(RejectionReason.InvalidIdentifier, $"{ReadingPath(index)}.device: '{Shorten(device)}' is invalid: {Identifiers.Rule}");

    private static Rejection InvalidCircuit(int index, string device, string circuit) =>
        new(RejectionReason.InvalidIdentifier, $"{ReadingPath(index)}.circuit: device {device}: circuit '{Shorten(circuit)}' is invalid: {Identifiers.Rule}");

    private Rejection ErrorTooLong(int index, string device, int length) =>
        new(RejectionReason.InvalidName, $"{ReadingPath(index)}.error: device {device}: error text of {length} characters exceeds {limits.MaxTextLength}");

    private Rejection TooManyValues(int index, string device, int values) =>
        new(RejectionReason.TooMany, $"{ReadingPath(index)}.values: device {device}: {values} values exceed the limit of {limits.MaxValuesPerReading}");

    private static Rejection InvalidValueName(int index, string device, string name) =>
        new(RejectionReason.InvalidName, $"{ReadingPath(index)}.values: device {device}: value name '{Shorten(name)}' must be lower snake case (a-z, 0-9, _), at most {Identifiers.MaxLength} characters, and not a reserved name");

    private static string ReadingPath(int index) => $"$.readings[{index}]";

    private static bool IsReservedValueName(ReadOnlySpan<byte> name) => name.SequenceEqual("quality"u8) || name.SequenceEqual("error"u8) || name.SequenceEqual("time"u8);

    private static bool IsReservedValueName(string name) => name is "quality" or "error" or "time";

    /// <summary><see cref="Identifiers.IsValid"/> on UTF-8: any byte outside ASCII fails it, so bytes count as characters.</summary>
    private static bool IsIdentifier(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value.Length > Identifiers.MaxLength || !char.IsAsciiLetterOrDigit((char)value[0]))
        {
            return false;
        }

        foreach (var b in value)
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && b is not (byte)'-' and not (byte)'_' and not (byte)'.')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><see cref="Identifiers.IsValidValueName"/> on UTF-8.</summary>
    private static bool IsValueName(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value.Length > Identifiers.MaxLength || !char.IsAsciiLetterLower((char)value[0]))
        {
            return false;
        }

        foreach (var b in value)
        {
            if (!char.IsAsciiLetterLower((char)b) && !char.IsAsciiDigit((char)b) && b != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><see cref="string.IsNullOrWhiteSpace"/> on UTF-8 text; only text with non-ASCII characters is decoded.</summary>
    private static bool IsWhiteSpace(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (b < 0x80 && !char.IsWhiteSpace((char)b))
            {
                return false;
            }
        }

        return Ascii.IsValid(text) || string.IsNullOrWhiteSpace(Text(text));
    }

    // Topic levels are identifiers, so ASCII: equal text is equal bytes.
    private static bool Utf8Equals(ReadOnlySpan<byte> utf8, string identifier) => Ascii.Equals(utf8, identifier);

    private static string Text(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);

    // Hostile identifiers are quoted back shortened, so a dead letter cannot be made huge by its own reason.
    private static string Shorten(string? text) =>
        text is null ? "(null)" : text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
