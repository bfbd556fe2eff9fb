using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.InfluxDb.LineProtocol;
using Telemetry.InfluxDb.Writing;
using Telemetry.Ingest.Validation;

namespace Telemetry.Ingest.Storage;

/// <summary>What became of one message: how many points it added and what of it was refused.</summary>
public readonly record struct EncodedMessage(int Points, int Readings, DateTimeOffset? OldestReading, IReadOnlyList<Rejection> Rejections);

/// <summary>
/// Turns one gateway message into points in a batch: parse, check against the contracts, lay out per the
/// storage contract. Whatever fails is returned as rejections; the rest is stored.
/// </summary>
public sealed class GatewayMessageEncoder(Topics topics, GatewayMessageValidator validator, ValidationLimits limits)
{
    private readonly ReadingPoints _points = new();

    public EncodedMessage Encode(string topicName, ReadOnlySpan<byte> payload, PointBatchBuilder batch)
    {
        if (topics.Parse(topicName) is not { } topic || topic.Kind == GatewayTopicKind.Command)
        {
            return Refused(RejectionReason.UnknownTopic, $"'{Shorten(topicName)}' is not a gateway state, telemetry or event topic under '{topics.Root}'");
        }

        if (payload.Length > limits.MaxPayloadBytes)
        {
            return Refused(RejectionReason.TooLarge, $"{payload.Length} bytes exceed the limit of {limits.MaxPayloadBytes}");
        }

        try
        {
            return topic.Kind switch
            {
                GatewayTopicKind.Telemetry => EncodeBatch(topic, Parse(payload, ContractsJson.Default.ReadingBatch), batch),
                GatewayTopicKind.State => EncodeState(topic, Parse(payload, ContractsJson.Default.GatewayState), batch),
                _ => EncodeEvent(topic, Parse(payload, ContractsJson.Default.GatewayEvent), batch),
            };
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
        if (validator.CheckBatch(topic, readings) is { } refused)
        {
            return new(0, 0, null, [refused]);
        }

        List<Rejection>? rejections = null;
        var stored = 0;
        DateTimeOffset? oldest = null;
        foreach (var reading in readings.Readings)
        {
            var rejection = validator.CheckReading(reading);
            try
            {
                if (rejection is null && _points.AddReading(batch, readings, reading))
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

        _points.AddBatch(batch, readings, stored);
        return new(stored + 1, stored, oldest, rejections ?? (IReadOnlyList<Rejection>)[]);
    }

    private EncodedMessage EncodeState(GatewayTopic topic, GatewayState state, PointBatchBuilder batch)
    {
        if (validator.CheckTime("state ts", state.Ts) is { } refused)
        {
            return new(0, 0, null, [refused]);
        }

        if (state.Version is { Length: > 64 })
        {
            return Refused(RejectionReason.InvalidName, "a version longer than 64 characters");
        }

        _points.Add(batch, topic, state);
        return new(1, 0, null, []);
    }

    private EncodedMessage EncodeEvent(GatewayTopic topic, GatewayEvent gatewayEvent, PointBatchBuilder batch)
    {
        if (validator.CheckEvent(gatewayEvent) is { } refused)
        {
            return new(0, 0, null, [refused]);
        }

        _points.Add(batch, topic, gatewayEvent);
        return new(1, 0, null, []);
    }

    private static T Parse<T>(ReadOnlySpan<byte> payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(payload, type) ?? throw new JsonException("the payload is JSON null");

    private static EncodedMessage Refused(RejectionReason reason, string detail) => new(0, 0, null, [new Rejection(reason, detail)]);

    private static string Shorten(string text) => text.Length <= 128 ? text : string.Concat(text.AsSpan(0, 128), "…");
}
