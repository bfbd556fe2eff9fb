using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Contracts.Validation;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Evaluation;
using Telemetry.Rules.Health;

namespace Telemetry.Rules.Consuming;

/// <summary>
/// One message from the broker through the shared contract validator and into the rule engine. What breaks the
/// contract as a whole is refused with its reason; a batch that is sound as a whole has its bad readings refused one
/// by one and the rest judged, as Ingest stores them. Throws only for the unexpected, which the consumer sets aside.
/// </summary>
public sealed class MessageJudge(RuleEngine engine, GatewayMessageValidator validator, Topics topics, int maxPayloadBytes, RulesStatistics statistics, TimeProvider clock)
{
    /// <summary>Whether a gateway's batch was judged already (the consumer group's batch numbers); null when nobody keeps them.</summary>
    public Func<GatewayTopic, long, DateTimeOffset, bool>? AlreadyJudged { get; set; }

    /// <summary>
    /// Judges the message; its conclusions are added to <paramref name="output"/>, and a gateway event that was judged to
    /// <paramref name="events"/>; returns what was refused (nothing when all of it was judged).
    /// </summary>
    public IReadOnlyList<Rejection> Judge(string topicName, ReadOnlySpan<byte> payload, ICollection<FaultTransition> output, ICollection<JudgedEvent>? events = null) =>
        Judge(topicName, payload, output, events, out _);

    /// <summary>
    /// The same; <paramref name="batch"/> is the reading batch's place in its gateway's stream, whether it was judged now or
    /// skipped as judged before (null for anything else, and for a batch refused whole).
    /// </summary>
    public IReadOnlyList<Rejection> Judge(string topicName, ReadOnlySpan<byte> payload, ICollection<FaultTransition> output, ICollection<JudgedEvent>? events, out JudgedBatch? batch)
    {
        batch = null;

        // A batch sent again for a replay comes on the group's replayed topic, as it was first sent.
        if (topics.Parse(topicName) is not { Kind: GatewayTopicKind.State or GatewayTopicKind.Telemetry or GatewayTopicKind.Event or GatewayTopicKind.Replayed } topic)
        {
            return Refuse(RejectionReason.UnknownTopic, $"'{Shorten(topicName)}' is not a gateway state, telemetry, event or replayed topic under '{topics.Root}'");
        }

        if (payload.Length > maxPayloadBytes)
        {
            return Refuse(RejectionReason.TooLarge, $"{payload.Length} bytes exceed the limit of {maxPayloadBytes}");
        }

        try
        {
            if (topic.Kind is GatewayTopicKind.Telemetry or GatewayTopicKind.Replayed)
            {
                // A batch refused whole is no batch of the gateway's stream: its seq is neither trusted nor counted.
                var readings = Parse(payload, ContractsJson.Default.ReadingBatch);
                var latest = validator.Latest();
                if (validator.CheckBatch(topic, readings, latest) is { } refused)
                {
                    return Refuse(refused);
                }

                var judged = AlreadyJudged?.Invoke(topic, readings.Seq, readings.Sent) ?? false;
                batch = new JudgedBatch(topic, readings.Seq, readings.Sent, judged);
                return judged ? [] : JudgeTelemetry(topic, readings, output, latest);
            }

            return topic.Kind switch
            {
                GatewayTopicKind.State => JudgeState(topic, Parse(payload, ContractsJson.Default.GatewayState), output),
                _ => JudgeEvent(topic, Parse(payload, ContractsJson.Default.GatewayEvent), output, events),
            };
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or FormatException or OverflowException)
        {
            var path = ex is JsonException { Path: { Length: > 0 } p } ? $" (at {p})" : "";
            return Refuse(RejectionReason.MalformedJson, $"{ex.Message}{path}");
        }
    }

    private IReadOnlyList<Rejection> JudgeTelemetry(GatewayTopic topic, ReadingBatch batch, ICollection<FaultTransition> output, DateTimeOffset latest)
    {
        List<Rejection>? rejections = null;
        List<Reading>? judged = null;
        for (var i = 0; i < batch.Readings.Count; i++)
        {
            if (validator.CheckReading(batch.Readings[i], i, latest) is { } rejection)
            {
                statistics.Rejected(rejection.Reason);
                (rejections ??= []).Add(rejection);
                judged ??= [.. batch.Readings.Take(i)];
            }
            else
            {
                judged?.Add(batch.Readings[i]);
            }
        }

        var (skipped, tooOld, future, unknown) = (engine.SkippedReadings, engine.TooOldReadings, engine.FutureReadings, engine.RefusedUnknownSources);
        engine.OnReadings(topic.Site, topic.Gateway, judged is null ? batch : batch with { Readings = judged }, output);
        statistics.Rejected(RejectionReason.TooOld, engine.TooOldReadings - tooOld);
        statistics.Rejected(RejectionReason.TimestampOutOfRange, engine.FutureReadings - future);
        statistics.Rejected(RejectionReason.UnknownSourceLimit, engine.RefusedUnknownSources - unknown);
        var readings = judged ?? batch.Readings;
        var newest = readings.Count > 0 ? readings.Max(r => r.Ts) : batch.Sent;
        statistics.Batch(readings.Count, (int)(engine.SkippedReadings - skipped), clock.GetUtcNow() - newest);
        return rejections ?? (IReadOnlyList<Rejection>)[];
    }

    private IReadOnlyList<Rejection> JudgeState(GatewayTopic topic, GatewayState state, ICollection<FaultTransition> output)
    {
        if (validator.CheckState(state) is { } refused)
        {
            return Refuse(refused);
        }

        statistics.State();
        engine.OnGatewayState(topic.Site, topic.Gateway, state, output);
        return [];
    }

    private IReadOnlyList<Rejection> JudgeEvent(GatewayTopic topic, GatewayEvent gatewayEvent, ICollection<FaultTransition> output, ICollection<JudgedEvent>? events)
    {
        if (validator.CheckEvent(gatewayEvent) is { } refused)
        {
            return Refuse(refused);
        }

        statistics.Event();
        engine.OnGatewayEvent(topic.Site, topic.Gateway, gatewayEvent, output);
        events?.Add(new JudgedEvent(topic.Site, topic.Gateway, gatewayEvent));
        return [];
    }

    private IReadOnlyList<Rejection> Refuse(RejectionReason reason, string detail) => Refuse(new Rejection(reason, detail));

    private IReadOnlyList<Rejection> Refuse(Rejection rejection)
    {
        statistics.Rejected(rejection.Reason);
        return [rejection];
    }

    private static T Parse<T>(ReadOnlySpan<byte> payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(payload, type) ?? throw new JsonException("the payload is JSON null", "$", null, null);

    private static string Shorten(string text) => text.Length <= 128 ? text : string.Concat(text.AsSpan(0, 128), "…");
}

/// <summary>A reading batch's place in its gateway's stream; <see cref="Skipped"/> when it had been judged before and was not judged again.</summary>
public sealed record JudgedBatch(GatewayTopic Topic, long Seq, DateTimeOffset Sent, bool Skipped);

/// <summary>A gateway event that met the contract and was judged, with the site and gateway of its topic.</summary>
public sealed record JudgedEvent(string Site, string Gateway, GatewayEvent Event);
