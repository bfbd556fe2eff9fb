using Telemetry.Contracts;
using Telemetry.InfluxDb.LineProtocol;
using Telemetry.InfluxDb.Writing;

namespace Telemetry.Ingest.Storage;

/// <summary>
/// Lays out reading batches as InfluxDB points per the contracts: measurement = family; tags site, gateway,
/// device (and circuit); fields = values; timestamp = the reading's time in ms, so a redelivered reading
/// overwrites itself.
/// </summary>
public sealed class ReadingPoints
{
    public const string BatchesMeasurement = "batches";
    public const string EventsMeasurement = "events";

    // One point object reused for every reading: the encoder copies it into the batch.
    private readonly Point _point = new("_");

    /// <summary>Adds one reading of a batch; false when it has nothing to store.</summary>
    /// <exception cref="InfluxValueException">The reading cannot be written (nothing of it was added).</exception>
    public bool AddReading(PointBatchBuilder builder, ReadingBatch batch, Reading reading)
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

        foreach (var (name, value) in reading.Values ?? EmptyValues)
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

    /// <summary>One point recording the batch itself (seq, readings stored), so that gaps in seq can be seen.</summary>
    public void AddBatch(PointBatchBuilder builder, ReadingBatch batch, int readingsStored) =>
        builder.Add(_point.Reset(BatchesMeasurement)
            .Tag("site", batch.Site)
            .Tag("gateway", batch.Gateway)
            .Field("seq", batch.Seq)
            .Field("readings", (long)readingsStored)
            .Timestamp(batch.Sent));

    /// <summary>A gateway going online or offline, on the events time axis.</summary>
    public void Add(PointBatchBuilder builder, GatewayTopic topic, GatewayState state) =>
        builder.Add(_point.Reset(EventsMeasurement)
            .Tag("site", topic.Site)
            .Tag("gateway", topic.Gateway)
            .Tag("kind", "gateway_state")
            .Field("state", state.State == GatewayStatus.Online ? "online" : "offline")
            .Field("version", state.Version ?? string.Empty)
            .Timestamp(state.Ts));

    /// <summary>A gateway event (test result, command result, device error) with its figures as fields.</summary>
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
            point.Field(name, value);
        }

        builder.Add(point);
    }

    private static readonly IReadOnlyDictionary<string, ReadingValue> EmptyValues = new Dictionary<string, ReadingValue>();
    private static readonly IReadOnlyDictionary<string, string> EmptyAttributes = new Dictionary<string, string>();

    // A field keeps one type in InfluxDB: a count written with a fraction stays a float (and is refused if the
    // field is an integer), but a measurement (a name with a unit) written without one (230) is still a float.
    private static FieldValue ToField(string name, ReadingValue value) => value.Kind switch
    {
        ReadingValueKind.Boolean => FieldValue.Boolean(value.AsBoolean()),
        ReadingValueKind.Integer when !ValueNames.IsMeasurement(name) => FieldValue.Integer(value.AsInteger()),
        _ => FieldValue.Float(value.AsDouble()),
    };
}
