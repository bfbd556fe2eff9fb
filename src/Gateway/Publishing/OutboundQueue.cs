using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Gateway.Buffering;

namespace Telemetry.Gateway.Publishing;

/// <summary>What a queued record is published as: the first byte of the record, the JSON after it.</summary>
public enum OutboundKind : byte
{
    Telemetry = (byte)'T',
    Event = (byte)'E',
}

/// <summary>
/// The one writer of the store-and-forward queue: reading batches (numbered from the persistent seq counter) and
/// events are appended here, durable before the call returns, and published from there.
/// </summary>
public sealed class OutboundQueue(StoreAndForwardQueue queue, SequenceCounter sequence)
{
    private readonly Lock _appendGate = new();

    public StoreAndForwardQueue Queue => queue;

    public long LastSeq => sequence.Last;

    /// <summary>Numbers the batch, appends it and returns its seq.</summary>
    public long AppendBatch(string site, string gateway, IReadOnlyList<Reading> readings, DateTimeOffset sent)
    {
        lock (_appendGate)
        {
            var batch = new ReadingBatch { Gateway = gateway, Site = site, Seq = sequence.Next(), Sent = sent, Readings = readings };
            queue.Append(Envelope(OutboundKind.Telemetry, JsonSerializer.SerializeToUtf8Bytes(batch, ContractsJson.Default.ReadingBatch)));
            return batch.Seq;
        }
    }

    public void AppendEvent(GatewayEvent gatewayEvent)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(gatewayEvent, ContractsJson.Default.GatewayEvent);
        lock (_appendGate)
        {
            queue.Append(Envelope(OutboundKind.Event, json));
        }
    }

    /// <summary>Splits a record into its kind and JSON; null when the first byte is no known kind.</summary>
    public static (OutboundKind Kind, ReadOnlyMemory<byte> Json)? Open(ReadOnlyMemory<byte> record) =>
        record.Length > 1 && record.Span[0] is (byte)OutboundKind.Telemetry or (byte)OutboundKind.Event
            ? ((OutboundKind)record.Span[0], record[1..])
            : null;

    private static byte[] Envelope(OutboundKind kind, byte[] json)
    {
        var record = new byte[json.Length + 1];
        record[0] = (byte)kind;
        json.CopyTo(record, 1);
        return record;
    }
}
