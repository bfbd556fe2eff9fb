using System.Text;
using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.InfluxDb.LineProtocol;
using Telemetry.InfluxDb.Writing;
using Telemetry.Contracts.Validation;

namespace Telemetry.Ingest.Storage;

/// <summary>What became of one message: how many points it added, what of it was refused, and which gateway batch it was.</summary>
public readonly record struct EncodedMessage(int Points, int Readings, DateTimeOffset? OldestReading, IReadOnlyList<Rejection> Rejections, BatchNumber? Batch = null);

/// <summary>A reading batch's place in its gateway's stream: handled once stored, or once refused for good.</summary>
public sealed record BatchNumber(GatewayTopic Topic, long Seq, DateTimeOffset Sent);

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
            return Refused(RejectionReason.UnknownTopic, $"'{Shorten(topicName)}' is not a gateway state, telemetry, event or replayed topic under '{topics.Root}'");
        }

        if (payload.Length > limits.MaxPayloadBytes)
        {
            return Refused(RejectionReason.TooLarge, $"{payload.Length} bytes exceed the limit of {limits.MaxPayloadBytes}");
        }

        var topic = known.Topic;
        if (topic.Kind is GatewayTopicKind.Telemetry or GatewayTopicKind.Replayed)
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

        // A batch sent again for a replay comes on the group's replayed topic, as it was first sent.
        known = topics.Parse(topicName) is { Kind: GatewayTopicKind.State or GatewayTopicKind.Telemetry or GatewayTopicKind.Event or GatewayTopicKind.Replayed } topic
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
