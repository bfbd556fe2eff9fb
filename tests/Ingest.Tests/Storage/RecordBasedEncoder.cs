using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.InfluxDb.LineProtocol;
using Telemetry.InfluxDb.Writing;
using Telemetry.Ingest.Storage;
using Telemetry.Contracts.Validation;

namespace Telemetry.Ingest.Tests.Storage;

/// <summary>
/// How Ingest encoded reading batches before <see cref="ReadingBatchEncoder"/>: deserialise into the contract's
/// records, check them (with the validator's checks of records), build a <see cref="Point"/> per reading. Kept as the
/// reference the one-pass encoder must agree with, on the points it writes and on the reasons it refuses.
/// </summary>
internal sealed class RecordBasedEncoder(ValidationLimits limits, TimeProvider clock)
{
    private readonly Point _point = new("_");
    private readonly GatewayMessageValidator _validator = new(limits, clock);

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
        var latest = _validator.Latest();
        if (_validator.CheckBatch(topic, readings, latest) is { } refused)
        {
            return new(0, 0, null, [refused]);
        }

        List<Rejection>? rejections = null;
        var stored = 0;
        DateTimeOffset? oldest = null;
        for (var index = 0; index < readings.Readings.Count; index++)
        {
            var reading = readings.Readings[index];
            var rejection = _validator.CheckReading(reading, index, latest);
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
}
