using System.Text;
using Telemetry.Contracts;

namespace Telemetry.Ingest.Validation;

/// <summary>
/// Checks gateway payloads against the contracts beyond what JSON parsing already enforces. A batch that is
/// sound as a whole keeps its good readings; the bad ones are refused one by one, each with its reason.
/// </summary>
public sealed class GatewayMessageValidator(ValidationLimits limits, TimeProvider clock)
{
    /// <summary>The latest time a reading may carry, as of now: taken once per message.</summary>
    public DateTimeOffset Latest() => clock.GetUtcNow() + limits.MaxFuture;

    /// <summary>Rules the whole batch must pass, on the batch as read from its payload; null when it does.</summary>
    public Rejection? CheckBatch(
        GatewayTopic topic, int version, ReadOnlySpan<byte> site, ReadOnlySpan<byte> gateway, int readings, DateTimeOffset sent, DateTimeOffset latest)
    {
        if (version != ReadingBatch.CurrentVersion)
        {
            return new(RejectionReason.UnknownVersion, $"version {version} is not {ReadingBatch.CurrentVersion}");
        }

        if (!Utf8Equals(site, topic.Site) || !Utf8Equals(gateway, topic.Gateway))
        {
            return new(RejectionReason.TopicMismatch, $"payload names site '{Shorten(Text(site))}' gateway '{Shorten(Text(gateway))}' but the topic is {topic.Site}/{topic.Gateway}");
        }

        if (readings > limits.MaxReadingsPerBatch)
        {
            return new(RejectionReason.TooMany, $"{readings} readings exceed the limit of {limits.MaxReadingsPerBatch}");
        }

        return IsInTime(sent, latest) ? null : TimeRejection("sent", sent);
    }

    /// <summary>Rules each reading must pass, on the reading as read from its payload; null when it does.</summary>
    public Rejection? CheckReading(in ParsedReading reading, DateTimeOffset latest)
    {
        if (!IsIdentifier(reading.Device))
        {
            return new(RejectionReason.InvalidIdentifier, $"device '{Shorten(Text(reading.Device))}' is invalid: {Identifiers.Rule}");
        }

        if (reading.HasCircuit && !IsIdentifier(reading.Circuit))
        {
            return new(RejectionReason.InvalidIdentifier, $"device {reading.DeviceText}: circuit '{Shorten(Text(reading.Circuit))}' is invalid: {Identifiers.Rule}");
        }

        if (!IsInTime(reading.Ts, latest))
        {
            return TimeRejection($"device {reading.DeviceText} ts", reading.Ts);
        }

        // Limits count UTF-16 characters, as they did when readings were strings; only long texts need counting.
        if (reading.HasError && reading.Error.Length > limits.MaxTextLength && Encoding.UTF8.GetCharCount(reading.Error) is var length && length > limits.MaxTextLength)
        {
            return new(RejectionReason.InvalidName, $"device {reading.DeviceText}: error text of {length} characters exceeds {limits.MaxTextLength}");
        }

        var values = reading.HasValues ? reading.Values.Length : 0;
        switch (reading.Quality)
        {
            case ReadingQuality.Error when values > 0:
                return new(RejectionReason.InconsistentReading, $"device {reading.DeviceText}: an error reading carries no values");
            case ReadingQuality.Error when !reading.HasError || IsWhiteSpace(reading.Error):
                return new(RejectionReason.InconsistentReading, $"device {reading.DeviceText}: an error reading must say why");
            case ReadingQuality.Good or ReadingQuality.Stale when values == 0:
                return new(RejectionReason.InconsistentReading, $"device {reading.DeviceText}: a {reading.Quality.ToString().ToLowerInvariant()} reading needs values");
        }

        if (!reading.HasValues)
        {
            return null;
        }

        if (values > limits.MaxValuesPerReading)
        {
            return new(RejectionReason.TooMany, $"device {reading.DeviceText}: {values} values exceed the limit of {limits.MaxValuesPerReading}");
        }

        foreach (ref readonly var value in reading.Values)
        {
            var name = reading.Name(value);
            if (!IsValueName(name) || name.SequenceEqual("quality"u8) || name.SequenceEqual("error"u8) || name.SequenceEqual("time"u8))
            {
                return new(RejectionReason.InvalidName, $"device {reading.DeviceText}: value name '{Shorten(Text(name))}' must be lower snake case (a-z, 0-9, _), at most {Identifiers.MaxLength} characters, and not a reserved name");
            }
        }

        return null;
    }

    public Rejection? CheckEvent(GatewayEvent gatewayEvent)
    {
        if (gatewayEvent.Device is { } device && !Identifiers.IsValid(device))
        {
            return new(RejectionReason.InvalidIdentifier, $"device '{Shorten(device)}' is invalid: {Identifiers.Rule}");
        }

        if (!Identifiers.IsValidValueName(gatewayEvent.Kind))
        {
            return new(RejectionReason.InvalidName, $"event kind '{Shorten(gatewayEvent.Kind)}' must be lower snake case");
        }

        if (gatewayEvent.Message is { Length: var length } && length > limits.MaxTextLength)
        {
            return new(RejectionReason.InvalidName, $"event message of {length} characters exceeds {limits.MaxTextLength}");
        }

        var names = (gatewayEvent.Values?.Keys ?? []).Concat(gatewayEvent.Attributes?.Keys ?? []).ToList();
        if (names.Count > limits.MaxValuesPerReading)
        {
            return new(RejectionReason.TooMany, $"{names.Count} event values exceed the limit of {limits.MaxValuesPerReading}");
        }

        if (names.FirstOrDefault(n => !Identifiers.IsValidValueName(n) || n is "message" or "time") is { } bad)
        {
            return new(RejectionReason.InvalidName, $"event value name '{Shorten(bad)}' must be lower snake case and not reserved");
        }

        if (gatewayEvent.Attributes?.Values.FirstOrDefault(v => v.Length > limits.MaxTextLength) is { } longText)
        {
            return new(RejectionReason.InvalidName, $"an event attribute of {longText.Length} characters exceeds {limits.MaxTextLength}");
        }

        return CheckTime("event ts", gatewayEvent.Ts);
    }

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
