using System.Buffers.Binary;
using System.Text.Json;
using Telemetry.Contracts;

namespace Telemetry.Bench.Chaos;

/// <summary>A reading as stored: its measurement (the family), device, circuit and time, which InfluxDB keys a point by.</summary>
internal readonly record struct ReadingKey(string Measurement, string Device, string? Circuit, long TimeMs)
{
    public override string ToString() => $"{Measurement} {Device}{(Circuit is null ? "" : "/" + Circuit)} @{DateTimeOffset.FromUnixTimeMilliseconds(TimeMs):HH:mm:ss.fff}";
}

/// <summary>One batch the gateway produced: its seq and the readings of it that Ingest stores.</summary>
internal sealed record JournalBatch(long Seq, IReadOnlyList<ReadingKey> Readings);

/// <summary>
/// What the gateway produced, from its archive of sent batches (<c>{StateDirectory}/archive/*.arc</c>): each record is the
/// queue's layout, a 32-byte header (magic FA 51 E7 0D, payload length at byte 4, the seq at byte 8) then the payload as
/// queued, a kind byte (<c>T</c> for a reading batch) and the batch's JSON. The archive is written as each batch is queued,
/// before it is sent, so it holds every batch the gateway numbered, sent or not.
/// </summary>
internal static class GatewayJournal
{
    private const int HeaderSize = 32;
    private const uint Magic = 0x0DE751FAu;

    public static IReadOnlyList<JournalBatch> Read(string archive)
    {
        var batches = new SortedDictionary<long, JournalBatch>();
        foreach (var path in Directory.GetFiles(archive, "*.arc").Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(path);
            var position = 0;

            // A record still being written at the end of a file is left for the next look.
            while (position + HeaderSize <= bytes.Length && BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position)) == Magic)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(position + 4));
                if (length < 1 || position + HeaderSize + length > bytes.Length)
                {
                    break;
                }

                var seq = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(position + 8));
                var payload = bytes.AsSpan(position + HeaderSize, length);
                if (payload[0] == (byte)'T')
                {
                    var batch = JsonSerializer.Deserialize(payload[1..], ContractsJson.Default.ReadingBatch)
                        ?? throw new InvalidDataException($"{path}: batch {seq} is null");
                    batches[seq] = new JournalBatch(seq, [.. batch.Readings.Where(Stored).Select(Key)]);
                }

                position += HeaderSize + length;
            }
        }

        return [.. batches.Values];
    }

    /// <summary>Ingest writes a point for a reading with values, or with a quality other than good to say why it has none.</summary>
    private static bool Stored(Reading reading) => reading.Quality != ReadingQuality.Good || reading.Values is { Count: > 0 };

    private static ReadingKey Key(Reading reading) =>
        new(reading.Family.ToContractName(), reading.Device, reading.Circuit, reading.Ts.ToUnixTimeMilliseconds());
}
