using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Telemetry.Gateway.Buffering;

/// <summary>
/// The batch <c>seq</c>: increases by one per batch and continues after a restart, a killed process or a power cut,
/// never handing out a value twice.
/// </summary>
/// <remarks>
/// Every value is flushed to disk before <see cref="Next"/> returns it (one small write and one fsync per poll
/// cycle), rather than reserving blocks: a reserved block would show consumers a gap of up to the block size at each
/// restart, which reads as lost data. The file holds two slots in separate 4 KiB blocks and values alternate between
/// them, each with a checksum, so a write torn by a crash spoils only the slot being written and the other still
/// holds the previous value. The only gap is a value persisted just before a crash and never used.
/// </remarks>
public sealed class SequenceCounter : IDisposable
{
    private const int SlotSize = 16;
    private const int SlotStride = 4096;
    private const uint Magic = 0x31514553u; // "SEQ1"

    private readonly SafeFileHandle _file;
    private readonly Lock _gate = new();
    private long _last;

    private SequenceCounter(SafeFileHandle file, long last)
    {
        _file = file;
        _last = last;
    }

    /// <summary>The value most recently handed out (or recovered); 0 before the first batch ever.</summary>
    public long Last
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    /// <summary>Opens or creates the counter file at <paramref name="path"/>.</summary>
    /// <remarks>
    /// If neither slot is readable (a disk fault: a crash spoils at most the slot being written), counting resumes from the current
    /// Unix time in milliseconds: far above any count of poll cycles, so still never a repeat, and the error is logged.
    /// </remarks>
    public static SequenceCounter Open(string path, ILogger logger, TimeProvider clock)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(clock);
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        if (!File.Exists(fullPath))
        {
            // Created whole through a rename, so that an existing file always holds at least one readable slot.
            Span<byte> initial = stackalloc byte[SlotSize];
            EncodeSlot(initial, 0);
            DurableFiles.ReplaceAtomically(fullPath, initial, flushToDisk: true);
        }

        var file = File.OpenHandle(fullPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var last = Math.Max(ReadSlot(file, 0) ?? -1, ReadSlot(file, 1) ?? -1);
        if (last < 0)
        {
            last = clock.GetUtcNow().ToUnixTimeMilliseconds();
            SequenceLog.Unreadable(logger, fullPath, last + 1);
        }

        return new SequenceCounter(file, last);
    }

    /// <summary>The next value, already on disk.</summary>
    public long Next()
    {
        lock (_gate)
        {
            var value = _last + 1;
            Span<byte> slot = stackalloc byte[SlotSize];
            EncodeSlot(slot, value);
            RandomAccess.Write(_file, slot, SlotOffset(value));
            RandomAccess.FlushToDisk(_file);
            _last = value;
            return value;
        }
    }

    public void Dispose() => _file.Dispose();

    private static long SlotOffset(long value) => (value & 1) * SlotStride;

    private static void EncodeSlot(Span<byte> slot, long value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(slot, Magic);
        BinaryPrimitives.WriteInt64LittleEndian(slot[4..], value);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[12..], Crc32C.Compute(slot[..12]));
    }

    private static long? ReadSlot(SafeFileHandle file, int index)
    {
        Span<byte> slot = stackalloc byte[SlotSize];
        if (SegmentScanner.ReadAtMost(file, slot, index * SlotStride) < SlotSize
            || BinaryPrimitives.ReadUInt32LittleEndian(slot) != Magic
            || BinaryPrimitives.ReadUInt32LittleEndian(slot[12..]) != Crc32C.Compute(slot[..12]))
        {
            return null;
        }

        var value = BinaryPrimitives.ReadInt64LittleEndian(slot[4..]);
        return value >= 0 && SlotOffset(value) == index * SlotStride ? value : null;
    }
}

internal static partial class SequenceLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Batch sequence file {Path} is unreadable in both slots; continuing at {Next} so that no value repeats")]
    public static partial void Unreadable(ILogger logger, string path, long next);
}
