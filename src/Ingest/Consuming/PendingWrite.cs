using Telemetry.Ingest.Storage;
using Telemetry.InfluxDb.Writing;
using Telemetry.Mqtt;

namespace Telemetry.Ingest.Consuming;

/// <summary>
/// A message waiting for its points (<see cref="Points"/> of the write body) to be stored and its dead letter, if any, to be
/// written; <see cref="Batch"/> is its place in its gateway's stream when it is a reading batch.
/// </summary>
public sealed record HeldMessage(MqttReceivedMessage Message, PointRange Points, Task DeadLetter, BatchNumber? Batch = null);

/// <summary>
/// The messages of one write, in the order received, with the body of their points; <see cref="Hold"/> is their
/// place in <see cref="Telemetry.Hosting.ConsumerProgress"/>, from the first message taken until the last is acknowledged.
/// </summary>
public sealed class PendingWrite(LineProtocolBatch? batch, HeldMessage[] messages, int readings, DateTimeOffset? oldestReading, long hold) : IDisposable
{
    /// <summary>The points of the messages; null when none of them added any.</summary>
    public LineProtocolBatch? Batch { get; } = batch;

    public HeldMessage[] Messages { get; } = messages;

    public int Readings { get; } = readings;

    public DateTimeOffset? OldestReading { get; } = oldestReading;

    public long Hold { get; } = hold;

    public void Dispose() => Batch?.Dispose();
}
