using Telemetry.Contracts;
using Telemetry.InfluxDb.LineProtocol;
using Telemetry.InfluxDb.Writing;

namespace Telemetry.Ingest.Storage;

/// <summary>
/// Lays out gateway states and events as InfluxDB points on the <c>events</c> measurement, tagged by site and
/// gateway, at the time the gateway gives, so that a redelivered one overwrites itself. (Reading batches, the
/// bulk of the stream, are written by <see cref="ReadingBatchEncoder"/>.)
/// </summary>
public sealed class EventPoints
{
    public const string EventsMeasurement = "events";

    // One point object reused for every message: the encoder copies it into the batch.
    private readonly Point _point = new("_");

    /// <summary>A gateway going online or offline, on the events time axis.</summary>
    public void Add(PointBatchBuilder builder, GatewayTopic topic, GatewayState state) =>
        builder.Add(_point.Reset(EventsMeasurement)
            .Tag("site", topic.Site)
            .Tag("gateway", topic.Gateway)
            .Tag("kind", "gateway_state")
            .Field("state", state.State == GatewayStatus.Online ? "online" : "offline")
            .Field("version", state.Version ?? string.Empty)
            .Timestamp(state.Ts));

    /// <summary>A gateway event (test result, command result, device error) with its figures as fields; it must have passed <c>GatewayMessageValidator.CheckEvent</c>.</summary>
    /// <exception cref="ArgumentException">An attribute is null; nothing is added.</exception>
    public void Add(PointBatchBuilder builder, GatewayTopic topic, GatewayEvent gatewayEvent)
    {
        var point = _point.Reset(EventsMeasurement)
            .Tag("site", topic.Site)
            .Tag("gateway", topic.Gateway)
            .Tag("device", gatewayEvent.Device)
            .Tag("kind", gatewayEvent.Kind)
            .Field("message", gatewayEvent.Message ?? string.Empty)
            .Timestamp(gatewayEvent.Ts);
        foreach (var (name, value) in gatewayEvent.Values ?? EmptyValues)
        {
            point.Field(name, ToField(name, value));
        }

        foreach (var (name, value) in gatewayEvent.Attributes ?? EmptyAttributes)
        {
            // A map lets a null through the deserialiser; the validator refuses it, and a point must not be written without it.
            point.Field(name, value ?? throw new ArgumentException($"$.attributes.{name} is null: the event must pass GatewayMessageValidator.CheckEvent first", nameof(gatewayEvent)));
        }

        builder.Add(point);
    }

    private static readonly IReadOnlyDictionary<string, ReadingValue> EmptyValues = new Dictionary<string, ReadingValue>();
    private static readonly IReadOnlyDictionary<string, string> EmptyAttributes = new Dictionary<string, string>();

    // A field keeps one type in InfluxDB, as for readings (see ReadingBatchEncoder).
    private static FieldValue ToField(string name, ReadingValue value) => value.Kind switch
    {
        ReadingValueKind.Boolean => FieldValue.Boolean(value.AsBoolean()),
        ReadingValueKind.Integer when !ValueNames.IsMeasurement(name) => FieldValue.Integer(value.AsInteger()),
        _ => FieldValue.Float(value.AsDouble()),
    };
}
