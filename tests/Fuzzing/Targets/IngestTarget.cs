using System.Text;
using FsCheck;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Contracts;
using Telemetry.Contracts.Validation;
using Telemetry.Fuzzing.Inputs;
using Telemetry.Ingest.Storage;
using Telemetry.InfluxDb.Writing;

namespace Telemetry.Fuzzing.Targets;

/// <summary>
/// Ingest's handling of one gateway message: <see cref="GatewayMessageEncoder.Encode"/> on the message's topic,
/// into the batch being built. A refused message adds no point and says why; a batch refused in part keeps
/// its good readings; the next valid message adds its points, whatever came before.
/// </summary>
public sealed class IngestTarget : IFuzzTarget, IDisposable
{
    private readonly GatewayMessageEncoder _encoder;
    private readonly PointBatchBuilder _batch = new();
    private readonly string _topic;
    private readonly byte[] _valid;
    private readonly int _validPoints;

    private IngestTarget(string name, string topic, IReadOnlyList<JsonTemplate> templates)
    {
        Name = name;
        _topic = topic;
        _valid = templates[0].Utf8;
        Inputs = HostileJson.From([.. templates]);
        var limits = new ValidationLimits();

        // The service's encoder and validator, on a fixed clock rather than the system's: the documents' times stay
        // within the contracts' bounds, and a failing input fails again on any day.
        _encoder = new GatewayMessageEncoder(new Topics(), new GatewayMessageValidator(limits, new FakeTimeProvider(ValidDocuments.Now)), limits);

        // What the valid message makes on a fresh encoder is what it must make after any input.
        var fresh = _encoder.Encode(_topic, _valid, _batch);
        _validPoints = fresh.Rejections.Count == 0 && fresh.Points > 0
            ? fresh.Points
            : throw new InvalidOperationException($"the valid message of {name} is refused: {string.Join("; ", fresh.Rejections)}");
    }

    public string Name { get; }

    public Gen<byte[]> Inputs { get; }

    /// <summary>Reading batches on the telemetry topic.</summary>
    public static IngestTarget Telemetry() =>
        new("ingest-telemetry", new Topics().Telemetry(ValidDocuments.Site, ValidDocuments.Gateway), [ValidDocuments.ReadingBatchTemplate()]);

    /// <summary>Gateway events (a test result, a command result) on the event topic.</summary>
    public static IngestTarget Events() =>
        new("ingest-event", new Topics().Event(ValidDocuments.Site, ValidDocuments.Gateway), ValidDocuments.GatewayEventTemplates());

    /// <summary>Gateway states on the state topic.</summary>
    public static IngestTarget States() =>
        new("ingest-state", new Topics().State(ValidDocuments.Site, ValidDocuments.Gateway), [ValidDocuments.GatewayStateTemplate()]);

    public FuzzOutcome Feed(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _batch.Clear();
        EncodedMessage encoded;
        try
        {
            encoded = _encoder.Encode(_topic, input, _batch);
        }
        catch (Exception ex)
        {
            return FuzzOutcome.Threw(ex);
        }

        if (_batch.PointCount != encoded.Points)
        {
            return FuzzOutcome.Failed($"the encoder says {encoded.Points} points but the batch holds {_batch.PointCount}");
        }

        if (encoded.Rejections.Count == 0)
        {
            return FuzzOutcome.Accepted;
        }

        if (encoded.Rejections.FirstOrDefault(r => string.IsNullOrWhiteSpace(r.Detail)) is { } mute)
        {
            return FuzzOutcome.Failed($"a rejection ({mute.ReasonName}) without a detail");
        }

        var first = encoded.Rejections[0];
        if (encoded.Points > 0)
        {
            return FuzzOutcome.AcceptedInPart(first.ReasonName, first.Detail);
        }

        return FuzzOutcome.Refused(first.ReasonName, first.Detail);
    }

    public bool FeedValid()
    {
        _batch.Clear();
        var encoded = _encoder.Encode(_topic, _valid, _batch);
        return encoded.Rejections.Count == 0 && encoded.Points == _validPoints && _batch.PointCount == _validPoints && IsLineProtocol(_batch);
    }

    public void Dispose() => _batch.Dispose();

    /// <summary>The batch's body is one line of UTF-8 text per point (the valid message's values hold no line feeds).</summary>
    private static bool IsLineProtocol(PointBatchBuilder batch)
    {
        var points = batch.PointCount;
        using var taken = batch.TakeBatch();
        var text = Encoding.UTF8.GetString(taken.Body.Span);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == points;
    }
}
