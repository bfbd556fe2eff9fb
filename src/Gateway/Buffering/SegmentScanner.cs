using Microsoft.Win32.SafeHandles;

namespace Telemetry.Gateway.Buffering;

/// <summary>
/// A stretch of a segment that failed its checksums and was skipped; <c>LostRecords</c> is the gap in ids around
/// it (at least one).
/// </summary>
internal readonly record struct CorruptRegion(long Offset, long Length, long LostRecords);

/// <summary>
/// What recovery found in one segment file. <c>ValidLength</c> is the end of the last valid record; in the last
/// segment, bytes beyond it are cut off. <c>TornTailBytes</c> counts those of an unfinished last write, which was
/// never reported durable, so nothing is lost.
/// </summary>
internal sealed record SegmentScan(List<RecordEntry> Records, long ValidLength, long FileLength, List<CorruptRegion> CorruptRegions, long TornTailBytes);

/// <summary>
/// Reads a segment record by record, checking every header and payload checksum. After a bad record it
/// resynchronises on the next magic marker that starts a fully valid record. Memory stays bounded: a length
/// is trusted only after its header checksum passed, only up to <see cref="RecordFormat.MaxPayloadLength"/>,
/// and only if the file actually holds that many bytes.
/// </summary>
internal static class SegmentScanner
{
    private const int SearchChunkBytes = 64 * 1024;

    private enum Outcome
    {
        Valid,

        /// <summary>The file ends before the record does: a write that never finished.</summary>
        Incomplete,

        /// <summary>Bad magic, header checksum, length or id.</summary>
        BadHeader,

        /// <summary>A sound, complete header whose payload fails its checksum.</summary>
        BadPayload,
    }

    /// <summary>Scans one segment; <paramref name="nextSegmentFirstId"/> bounds its ids and is null for the last segment.</summary>
    public static SegmentScan Scan(string path, long firstId, long? nextSegmentFirstId)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var fileLength = RandomAccess.GetLength(handle);
        var ids = new IdRange(firstId, nextSegmentFirstId ?? long.MaxValue);
        var records = new List<RecordEntry>();
        var regions = new List<CorruptRegion>();
        var buffer = new byte[RecordFormat.HeaderSize + 4096];
        long offset = 0;
        var lastId = firstId - 1;
        var tailOutcome = Outcome.Valid;
        while (offset < fileLength)
        {
            var outcome = TryRead(handle, offset, fileLength, ids.After(lastId), ref buffer, out var entry);
            if (outcome == Outcome.Valid)
            {
                records.Add(entry!);
                lastId = entry!.Id;
                offset += RecordFormat.SizeOf(entry.PayloadLength);
                continue;
            }

            var next = FindNextValid(handle, offset + 1, fileLength, ids.After(lastId), ref buffer);
            if (next is null)
            {
                tailOutcome = outcome;
                break;
            }

            regions.Add(new CorruptRegion(offset, next.Offset - offset, Math.Max(1, next.Id - lastId - 1)));
            offset = next.Offset;
        }

        long tornTail = 0;
        if (offset < fileLength)
        {
            // Only the last segment is written to. A write cut short by a killed process leaves a record that runs
            // past the end of the file; one cut by a power failure can also leave zeros. Anything else there was
            // written whole and damaged later, and may have been reported durable: count it.
            var isLast = nextSegmentFirstId is null;
            if (isLast && (tailOutcome == Outcome.Incomplete || IsAllZero(handle, offset, fileLength)))
            {
                tornTail = fileLength - offset;
            }
            else
            {
                var lost = isLast ? 1 : Math.Max(1, nextSegmentFirstId!.Value - lastId - 1);
                regions.Add(new CorruptRegion(offset, fileLength - offset, lost));
            }
        }

        return new SegmentScan(records, offset, fileLength, regions, tornTail);
    }

    private static bool IsAllZero(SafeFileHandle handle, long from, long fileLength)
    {
        var chunk = new byte[SearchChunkBytes];
        for (var position = from; position < fileLength;)
        {
            var read = ReadAtMost(handle, chunk, position);
            if (read == 0)
            {
                break;
            }

            if (chunk.AsSpan(0, read).ContainsAnyExcept((byte)0))
            {
                return false;
            }

            position += read;
        }

        return true;
    }

    private static RecordEntry? FindNextValid(SafeFileHandle handle, long from, long fileLength, IdRange ids, ref byte[] buffer)
    {
        var chunk = new byte[SearchChunkBytes];
        var magic = RecordFormat.MagicBytes;
        var chunkStart = from;
        while (chunkStart + magic.Length <= fileLength)
        {
            var read = ReadAtMost(handle, chunk, chunkStart);
            var window = chunk.AsSpan(0, read);
            var searched = 0;
            while (true)
            {
                var hit = window[searched..].IndexOf(magic);
                if (hit < 0)
                {
                    break;
                }

                var candidate = chunkStart + searched + hit;
                if (TryRead(handle, candidate, fileLength, ids, ref buffer, out var entry) == Outcome.Valid)
                {
                    return entry;
                }

                searched += hit + 1;
            }

            if (chunkStart + read >= fileLength)
            {
                break;
            }

            // Step back so that a marker split across two chunks is still seen.
            chunkStart += read - (magic.Length - 1);
        }

        return null;
    }

    private static Outcome TryRead(SafeFileHandle handle, long offset, long fileLength, IdRange ids, ref byte[] buffer, out RecordEntry? entry)
    {
        entry = null;
        Span<byte> headerBytes = stackalloc byte[RecordFormat.HeaderSize];
        if (fileLength - offset < RecordFormat.HeaderSize)
        {
            return Outcome.Incomplete;
        }

        if (ReadAtMost(handle, headerBytes, offset) < RecordFormat.HeaderSize)
        {
            return Outcome.Incomplete;
        }

        if (!RecordFormat.TryReadHeader(headerBytes, out var header) || !ids.Contains(header.Id))
        {
            return Outcome.BadHeader;
        }

        if (fileLength - offset < header.RecordSize)
        {
            return Outcome.Incomplete;
        }

        if (buffer.Length < header.PayloadLength)
        {
            buffer = new byte[header.PayloadLength];
        }

        var payload = buffer.AsSpan(0, header.PayloadLength);
        if (ReadAtMost(handle, payload, offset + RecordFormat.HeaderSize) < header.PayloadLength)
        {
            return Outcome.Incomplete;
        }

        if (!header.Matches(payload))
        {
            return Outcome.BadPayload;
        }

        entry = new RecordEntry(header.Id, offset, header.PayloadLength, header.EnqueuedAtUnixMs);
        return Outcome.Valid;
    }

    public static int ReadAtMost(SafeFileHandle handle, Span<byte> destination, long offset)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var read = RandomAccess.Read(handle, destination[total..], offset + total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    /// <summary>Ids a record may carry at some point of a segment: above the last valid one, below the next segment's first.</summary>
    private readonly record struct IdRange(long Minimum, long EndExclusive)
    {
        public IdRange After(long lastId) => this with { Minimum = Math.Max(Minimum, lastId + 1) };

        public bool Contains(long id) => id >= Minimum && id < EndExclusive;
    }
}
