using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.InfluxDb.LineProtocol;
using Telemetry.InfluxDb.Writing;
using Telemetry.Ingest.Storage;
using Telemetry.Contracts.Validation;

namespace Telemetry.Ingest.Tests.Storage;

/// <summary>
/// How Ingest encoded reading batches before <see cref="ReadingBatchEncoder"/>: deserialise into the contract's
/// records, check them, build a <see cref="Point"/> per reading. Kept as the reference the one-pass encoder must
/// agree with, on the points it writes and on the reasons it refuses.
/// </summary>
internal sealed class RecordBasedEncoder(ValidationLimits limits, TimeProvider clock)
{
    private readonly Point _point = new("_");

    public EncodedMessage Encode(GatewayTopic topic, ReadOnlySpan<byte> payload, PointBatchBuilder batch)
    {
        try
        {
            var readings = JsonSerializer.Deserialize(payload, ContractsJson.Default.ReadingBatch) ?? throw new JsonException("the payload is JSON null");
            return EncodeBatch(topic, readings, batch);
        }
        catch (JsonException ex)
        {
            return Refused(RejectionReason.MalformedJson, ex.Path is { Length: > 0 } path ? $"{ex.Message} (at {path})" : ex.Message);
        }
        catch (InfluxValueException ex)
        {
            return Refused(RejectionReason.InvalidName, ex.Message);
        }
    }

    private EncodedMessage EncodeBatch(GatewayTopic topic, ReadingBatch readings, PointBatchBuilder batch)
    {
        if (CheckBatch(topic, readings) is { } refused)
        {
            return new(0, 0, null, [refused]);
        }

        List<Rejection>? rejections = null;
        var stored = 0;
        DateTimeOffset? oldest = null;
        foreach (var reading in readings.Readings)
        {
            var rejection = CheckReading(reading);
            try
            {
                if (rejection is null && AddReading(batch, readings, reading))
                {
                    stored++;
                    oldest = oldest is { } o && o <= reading.Ts ? o : reading.Ts;
                }
            }
            catch (InfluxValueException ex)
            {
                rejection = new(RejectionReason.InvalidName, $"device {reading.Device}: {ex.Message}");
            }

            if (rejection is not null)
            {
                (rejections ??= []).Add(rejection);
            }
        }

        AddBatch(batch, readings, stored);
        return new(stored + 1, stored, oldest, rejections ?? (IReadOnlyList<Rejection>)[]);
    }

    private Rejection? CheckBatch(GatewayTopic topic, ReadingBatch batch)
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

    private Rejection? CheckReading(Reading reading)
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

    private Rejection? CheckTime(string what, DateTimeOffset time)
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

    private bool AddReading(PointBatchBuilder builder, ReadingBatch batch, Reading reading)
    {
        var point = _point.Reset(reading.Family.ToContractName())
            .Tag("site", batch.Site)
            .Tag("gateway", batch.Gateway)
            .Tag("device", reading.Device)
            .Tag("circuit", reading.Circuit)
            .Timestamp(reading.Ts);
        switch (reading.Quality)
        {
            case ReadingQuality.Error:
                point.Field("quality", "error").Field("error", reading.Error ?? "unknown error");
                break;
            case ReadingQuality.Stale:
                point.Field("quality", "stale");
                break;
        }

        foreach (var (name, value) in reading.Values ?? new Dictionary<string, ReadingValue>())
        {
            point.Field(name, ToField(name, value));
        }

        if (point.FieldCount == 0)
        {
            return false;
        }

        builder.Add(point);
        return true;
    }

    private void AddBatch(PointBatchBuilder builder, ReadingBatch batch, int readingsStored) =>
        builder.Add(_point.Reset("batches")
            .Tag("site", batch.Site)
            .Tag("gateway", batch.Gateway)
            .Field("seq", batch.Seq)
            .Field("readings", (long)readingsStored)
            .Timestamp(batch.Sent));

    private static FieldValue ToField(string name, ReadingValue value) => value.Kind switch
    {
        ReadingValueKind.Boolean => FieldValue.Boolean(value.AsBoolean()),
        ReadingValueKind.Integer when !ValueNames.IsMeasurement(name) => FieldValue.Integer(value.AsInteger()),
        _ => FieldValue.Float(value.AsDouble()),
    };

    private static EncodedMessage Refused(RejectionReason reason, string detail) => new(0, 0, null, [new Rejection(reason, detail)]);

    private static string Shorten(string? text) =>
        text is null ? "(null)" : text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
