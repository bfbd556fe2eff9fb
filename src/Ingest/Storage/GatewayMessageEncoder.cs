using System.Text;
using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.InfluxDb.LineProtocol;
using Telemetry.InfluxDb.Writing;
using Telemetry.Contracts.Validation;

namespace Telemetry.Ingest.Storage;

/// <summary>What became of one message: how many points it added and what of it was refused.</summary>
public readonly record struct EncodedMessage(int Points, int Readings, DateTimeOffset? OldestReading, IReadOnlyList<Rejection> Rejections);

/// <summary>
/// Turns one gateway message into points in a batch: parse, check against the contracts, lay out per the
/// storage contract. Whatever fails is returned as rejections; the rest is stored. Reading batches, nearly the
/// whole stream, go through <see cref="ReadingBatchEncoder"/> in one pass; the rare states and events are read
/// into records first. For one consumer: not thread-safe.
/// </summary>
public sealed class GatewayMessageEncoder(Topics topics, GatewayMessageValidator validator, ValidationLimits limits)
{
    // Gateways are few and publish often: their topics are parsed once, not split again for every message.
    private const int MaxKnownTopics = 16_384;

    private readonly Dictionary<string, KnownTopic?> _topics = new(StringComparer.Ordinal);
    private readonly ReadingBatchEncoder _readings = new(validator);
    private readonly EventPoints _events = new();

    /// <summary>Telemetry messages read along the general path, not in the form gateways write (see <see cref="ReadingBatchEncoder"/>).</summary>
    public long GeneralPathMessages => _readings.GeneralPathMessages;

    public EncodedMessage Encode(string topicName, ReadOnlySpan<byte> payload, PointBatchBuilder batch)
    {
        if (Known(topicName) is not { } known)
        {
            return Refused(RejectionReason.UnknownTopic, $"'{Shorten(topicName)}' is not a gateway state, telemetry or event topic under '{topics.Root}'");
        }

        if (payload.Length > limits.MaxPayloadBytes)
        {
            return Refused(RejectionReason.TooLarge, $"{payload.Length} bytes exceed the limit of {limits.MaxPayloadBytes}");
        }

        var topic = known.Topic;
        if (topic.Kind == GatewayTopicKind.Telemetry)
        {
            return _readings.Encode(topic, known.Site, known.Gateway, payload, batch);
        }

        try
        {
            return topic.Kind == GatewayTopicKind.State
                ? EncodeState(topic, Parse(payload, ContractsJson.Default.GatewayState), batch)
                : EncodeEvent(topic, Parse(payload, ContractsJson.Default.GatewayEvent), batch);
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

    private KnownTopic? Known(string topicName)
    {
        if (_topics.TryGetValue(topicName, out var known))
        {
            return known;
        }

        if (_topics.Count >= MaxKnownTopics)
        {
            _topics.Clear();
        }

        known = topics.Parse(topicName) is { Kind: not GatewayTopicKind.Command } topic
            ? new KnownTopic(topic, Encoding.UTF8.GetBytes(topic.Site), Encoding.UTF8.GetBytes(topic.Gateway))
            : null;
        _topics[topicName] = known;
        return known;
    }

    private EncodedMessage EncodeState(GatewayTopic topic, GatewayState state, PointBatchBuilder batch)
    {
        if (validator.CheckState(state) is { } refused)
        {
            return new(0, 0, null, [refused]);
        }

        _events.Add(batch, topic, state);
        return new(1, 0, null, []);
    }

    private EncodedMessage EncodeEvent(GatewayTopic topic, GatewayEvent gatewayEvent, PointBatchBuilder batch)
    {
        if (validator.CheckEvent(gatewayEvent) is { } refused)
        {
            return new(0, 0, null, [refused]);
        }

        _events.Add(batch, topic, gatewayEvent);
        return new(1, 0, null, []);
    }

    private static T Parse<T>(ReadOnlySpan<byte> payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(payload, type) ?? throw new JsonException("the payload is JSON null");

    private static EncodedMessage Refused(RejectionReason reason, string detail) => new(0, 0, null, [new Rejection(reason, detail)]);

    private static string Shorten(string text) => text.Length <= 128 ? text : string.Concat(text.AsSpan(0, 128), "…");

    /// <summary>A gateway topic with its site and gateway in UTF-8, as they are tagged.</summary>
    private sealed record KnownTopic(GatewayTopic Topic, byte[] Site, byte[] Gateway);
}
