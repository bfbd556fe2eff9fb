using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Telemetry.Contracts;
using Telemetry.Gateway.Buffering;
using Telemetry.Gateway.Replay;

namespace Telemetry.Gateway.Publishing;

/// <summary>What a queued record is published as: the first byte of the record, the JSON after it.</summary>
public enum OutboundKind : byte
{
    Telemetry = (byte)'T',
    Event = (byte)'E',
}

/// <summary>
/// The one writer of the store-and-forward queue: reading batches (numbered from the persistent seq counter) and
/// events are appended here, durable before the call returns, and published from there. Each batch is also kept in the
/// <see cref="BatchArchive"/>, when there is one, for consumer groups that ask for it again.
/// </summary>
public sealed class OutboundQueue(StoreAndForwardQueue queue, SequenceCounter sequence, BatchArchive? archive = null)
{
    private readonly Lock _appendGate = new();

    // Reused for every batch: a cycle's batch of a large plant is well over the large object heap threshold,
    // and a fresh array each second would keep the heap growing between gen 2 collections.
    private readonly ArrayBufferWriter<byte> _record = new(64 * 1024);
    private long _lastSentUnixMs;

    public StoreAndForwardQueue Queue => queue;

    public long LastSeq => sequence.Last;

    /// <summary>
    /// Numbers the batch and appends it, unless its JSON would be larger than <paramref name="maxBytes"/> and it
    /// holds more than one reading: then nothing is appended, no seq is used, and the caller splits it.
    /// </summary>
    /// <returns>The batch's seq, or null when it is too large.</returns>
    public long? TryAppendBatch(string site, string gateway, IReadOnlyList<Reading> readings, DateTimeOffset sent, int maxBytes)
    {
        lock (_appendGate)
        {
            // Consumers key a batch by its sent time (InfluxDB's batches measurement), so two batches never share a millisecond.
            var sentMs = Math.Max(sent.ToUnixTimeMilliseconds(), _lastSentUnixMs + 1);
            var batch = new ReadingBatch
            {
                Gateway = gateway,
                Site = site,
                Seq = sequence.Last + 1,
                Sent = DateTimeOffset.FromUnixTimeMilliseconds(sentMs),
                Readings = readings,
            };
            _record.ResetWrittenCount();
            _record.Write([(byte)OutboundKind.Telemetry]);
            using (var writer = new Utf8JsonWriter(_record))
            {
                JsonSerializer.Serialize(writer, batch, ContractsJson.Default.ReadingBatch);
            }

            if (_record.WrittenCount - 1 > maxBytes && readings.Count > 1)
            {
                return null;
            }

            // Persisted before the batch is appended: a crash in between leaves an unused seq, never a repeated one. Archived
            // before it is queued: whatever a consumer can have received, the gateway can send again, and the newest seq it
            // holds is never behind one it sent.
            var seq = sequence.Next();
            Debug.Assert(seq == batch.Seq, "the seq counter has one writer");
            archive?.Append(seq, _record.WrittenSpan);
            queue.Append(_record.WrittenSpan);
            _lastSentUnixMs = sentMs;
            return seq;
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
