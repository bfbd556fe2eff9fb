using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Telemetry.Gateway.Buffering;

/// <summary>
/// Which records are acknowledged, kept as a journal: a snapshot (the floor, below which everything is acknowledged,
/// then the out-of-order acknowledgements above it) followed by one entry per acknowledgement since.
/// </summary>
/// <remarks>
/// An acknowledgement is one 16-byte write at the end of the file, into the page cache: microseconds, and it survives
/// a killed process. (A checkpoint rewritten through a temporary file and a rename costs milliseconds per PUBACK on
/// this kind of disk.) Entries are not flushed to disk one by one, so a power cut may lose the latest: those records
/// are sent again, never lost. Once the journal has grown to twice its last snapshot it is compacted: a new snapshot
/// is written to a temporary file, flushed and renamed over it, so a crash leaves one whole journal or the other.
/// Entry layout, little-endian: u32 kind (floor or acknowledgement), i64 id, u32 CRC-32C of the first 12 bytes. Each
/// entry has its own checksum, so a corrupt one costs only its own acknowledgement.
/// </remarks>
internal sealed class AckJournal : IDisposable
{
    public const string FileName = "acks.journal";

    private const int EntrySize = 16;
    private const uint FloorKind = 0xF1005A0Cu;
    private const uint AcknowledgedKind = 0xAC6ED5A0u;
    private const long MinimumCompactionBytes = 64 * 1024;

    private readonly string _path;
    private SafeFileHandle _file;
    private long _length;
    private long _compactAt;

    private AckJournal(string path, SafeFileHandle file, long length)
    {
        _path = path;
        _file = file;
        _length = length;
        _compactAt = MinimumCompactionBytes;
    }

    /// <summary>What the journal held when opened; null when there was none.</summary>
    public Recovered? Found { get; private set; }

    /// <summary>Why part of the journal could not be used, if it could not; those acknowledgements are lost, their records sent again.</summary>
    public string? Problem { get; private set; }

    public bool ShouldCompact => _length >= _compactAt;

    public static AckJournal Open(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var existed = File.Exists(path);
        var file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var journal = new AckJournal(path, file, RandomAccess.GetLength(file));
        if (existed)
        {
            journal.Read();
        }

        return journal;
    }

    public void Append(long acknowledgedId)
    {
        Span<byte> entry = stackalloc byte[EntrySize];
        Encode(entry, AcknowledgedKind, acknowledgedId);
        RandomAccess.Write(_file, entry, _length);
        _length += EntrySize;
    }

    /// <summary>Replaces the journal by a snapshot of the current state, flushed to disk.</summary>
    public void Compact(long floor, IReadOnlyCollection<long> acknowledgedAboveFloor)
    {
        var snapshot = new byte[EntrySize * (1 + acknowledgedAboveFloor.Count)];
        Encode(snapshot, FloorKind, floor);
        var position = EntrySize;
        foreach (var id in acknowledgedAboveFloor)
        {
            Encode(snapshot.AsSpan(position), AcknowledgedKind, id);
            position += EntrySize;
        }

        // The old journal stays open and usable until the new one is in place.
        DurableFiles.ReplaceAtomically(_path, snapshot, flushToDisk: true);
        var replaced = _file;
        _file = File.OpenHandle(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        replaced.Dispose();
        _length = snapshot.Length;
        _compactAt = Math.Max(MinimumCompactionBytes, 2 * _length);
    }

    public void Dispose() => _file.Dispose();

    private static void Encode(Span<byte> entry, uint kind, long value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(entry, kind);
        BinaryPrimitives.WriteInt64LittleEndian(entry[4..], value);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[12..], Crc32C.Compute(entry[..12]));
    }

    private void Read()
    {
        // Streamed in chunks: the journal can hold many entries, and nothing in it may make us allocate its size.
        var chunk = new byte[EntrySize * 4096];
        long floor = 0;
        var floorFound = false;
        var acknowledged = new HashSet<long>();
        var corrupt = 0L;
        long offset = 0;
        while (offset + EntrySize <= _length)
        {
            var read = SegmentScanner.ReadAtMost(_file, chunk, offset);
            var whole = read - (read % EntrySize);
            if (whole == 0)
            {
                break;
            }

            for (var i = 0; i < whole; i += EntrySize)
            {
                var entry = chunk.AsSpan(i, EntrySize);
                var kind = BinaryPrimitives.ReadUInt32LittleEndian(entry);
                var value = BinaryPrimitives.ReadInt64LittleEndian(entry[4..]);
                if (BinaryPrimitives.ReadUInt32LittleEndian(entry[12..]) != Crc32C.Compute(entry[..12]))
                {
                    corrupt++;
                }
                else if (kind == FloorKind && offset + i == 0)
                {
                    floor = value;
                    floorFound = true;
                }
                else if (kind == AcknowledgedKind)
                {
                    acknowledged.Add(value);
                }
                else
                {
                    corrupt++;
                }
            }

            offset += whole;
        }

        // A partial entry at the end is an append cut short by a crash: it never returned, so nothing is missing.
        Found = new Recovered(floor, acknowledged);
        if (!floorFound || corrupt > 0)
        {
            Problem = $"{_path}: {(floorFound ? "" : "no readable floor entry, ")}{corrupt} corrupt entries";
        }
    }

    /// <summary>What a journal says: every id below <c>Floor</c> is acknowledged, and so are <c>AcknowledgedAboveFloor</c>.</summary>
    public sealed record Recovered(long Floor, IReadOnlySet<long> AcknowledgedAboveFloor)
    {
        public bool IsAcknowledged(long id) => id < Floor || AcknowledgedAboveFloor.Contains(id);
    }
}
