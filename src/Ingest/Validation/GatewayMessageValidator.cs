using Telemetry.Contracts;

namespace Telemetry.Ingest.Validation;

/// <summary>
/// Checks gateway payloads against the contracts beyond what JSON parsing already enforces. A batch that is
/// sound as a whole keeps its good readings; the bad ones are refused one by one, each with its reason.
/// </summary>
public sealed class GatewayMessageValidator(ValidationLimits limits, TimeProvider clock)
{
    /// <summary>Rules the whole batch must pass; null when it does.</summary>
    public Rejection? CheckBatch(GatewayTopic topic, ReadingBatch batch)
    {
        if (batch.V != ReadingBatch.CurrentVersion)
        {
            return new(RejectionReason.UnknownVersion, $"version {batch.V} is not {ReadingBatch.CurrentVersion}");
        }

        if (batch.Site != topic.Site || batch.Gateway != topic.Gateway)
        {
            return new(RejectionReason.TopicMismatch, $"payload names site '{Shorten(batch.Site)}' gateway '{Shorten(batch.Gateway)}' but the topic is {topic.Site}/{topic.Gateway}");
        }

        if (batch.Readings.Count > limits.MaxReadingsPerBatch)
        {
            return new(RejectionReason.TooMany, $"{batch.Readings.Count} readings exceed the limit of {limits.MaxReadingsPerBatch}");
        }

        return CheckTime("sent", batch.Sent);
    }

    /// <summary>Rules each reading must pass; null when it does.</summary>
    public Rejection? CheckReading(Reading reading)
    {
        if (!Identifiers.IsValid(reading.Device))
        {
            return new(RejectionReason.InvalidIdentifier, $"device '{Shorten(reading.Device)}' is invalid: {Identifiers.Rule}");
        }

        if (reading.Circuit is { } circuit && !Identifiers.IsValid(circuit))
        {
            return new(RejectionReason.InvalidIdentifier, $"device {reading.Device}: circuit '{Shorten(circuit)}' is invalid: {Identifiers.Rule}");
        }

        if (CheckTime($"device {reading.Device} ts", reading.Ts) is { } time)
        {
            return time;
        }

        if (reading.Error is { Length: var length } && length > limits.MaxTextLength)
        {
            return new(RejectionReason.InvalidName, $"device {reading.Device}: error text of {length} characters exceeds {limits.MaxTextLength}");
        }

        var values = reading.Values;
        switch (reading.Quality)
        {
            case ReadingQuality.Error when values is { Count: > 0 }:
                return new(RejectionReason.InconsistentReading, $"device {reading.Device}: an error reading carries no values");
            case ReadingQuality.Error when string.IsNullOrWhiteSpace(reading.Error):
                return new(RejectionReason.InconsistentReading, $"device {reading.Device}: an error reading must say why");
            case ReadingQuality.Good or ReadingQuality.Stale when values is null or { Count: 0 }:
                return new(RejectionReason.InconsistentReading, $"device {reading.Device}: a {reading.Quality.ToString().ToLowerInvariant()} reading needs values");
        }

        if (values is null)
        {
            return null;
        }

        if (values.Count > limits.MaxValuesPerReading)
        {
            return new(RejectionReason.TooMany, $"device {reading.Device}: {values.Count} values exceed the limit of {limits.MaxValuesPerReading}");
        }

        foreach (var name in values.Keys)
        {
            if (!Identifiers.IsValidValueName(name) || name is "quality" or "error" or "time")
            {
                return new(RejectionReason.InvalidName, $"device {reading.Device}: value name '{Shorten(name)}' must be lower snake case (a-z, 0-9, _), at most {Identifiers.MaxLength} characters, and not a reserved name");
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

    public Rejection? CheckTime(string what, DateTimeOffset time)
    {
        if (time < limits.Earliest)
        {
            return new(RejectionReason.TimestampOutOfRange, $"{what} {time:O} is before {limits.Earliest:O}");
        }

        var latest = clock.GetUtcNow() + limits.MaxFuture;
        return time > latest
            ? new(RejectionReason.TimestampOutOfRange, $"{what} {time:O} is more than {limits.MaxFuture} ahead of the server's clock")
            : null;
    }

    // Hostile identifiers are quoted back shortened, so a dead letter cannot be made huge by its own reason.
    private static string Shorten(string? text) =>
        text is null ? "(null)" : text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
