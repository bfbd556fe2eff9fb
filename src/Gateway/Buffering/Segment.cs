using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Telemetry.Gateway.Buffering;

/// <summary>
/// One segment file and the index of its committed records. Only <see cref="StoreAndForwardQueue"/> touches it:
/// the appender owns <see cref="WriteOffset"/>; everything else changes under the queue's lock.
/// </summary>
internal sealed class Segment
{
    public const string Extension = ".seg";

    private SafeFileHandle? _handle;

    public Segment(string path, long firstId, long length, List<RecordEntry> records)
    {
        Path = path;
        FirstId = firstId;
        Length = length;
        WriteOffset = length;
        Records = records;
    }

    public string Path { get; }

    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>Id of its first record, also its file name: the file of the active segment keeps the next id across restarts.</summary>
    public long FirstId { get; }

    /// <summary>End of the last committed record.</summary>
    public long Length { get; set; }

    /// <summary>Where the appender writes next; beyond <see cref="Length"/> while an append is not yet flushed and committed.</summary>
    public long WriteOffset { get; set; }

    /// <summary>Committed records in id order.</summary>
    public List<RecordEntry> Records { get; }

    /// <summary>Records neither acknowledged nor found unreadable.</summary>
    public int PendingCount { get; set; }

    /// <summary>No record before this index is pending; only moves forward, because nothing becomes pending again.</summary>
    public int FirstPendingIndexHint { get; set; }

    public long LastId => Records.Count > 0 ? Records[^1].Id : FirstId - 1;

    /// <summary>The file, opened for reading on first use unless it is the active segment, opened for writing.</summary>
    public SafeFileHandle Handle => _handle ??= File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);

    public static string FileName(long firstId) => firstId.ToString("D20", CultureInfo.InvariantCulture) + Extension;

    public static bool TryParseFileName(string fileName, out long firstId)
    {
        firstId = 0;
        return fileName.Length == 20 + Extension.Length
            && fileName.EndsWith(Extension, StringComparison.Ordinal)
            && long.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out firstId);
    }

    public void OpenForWriting(SafeFileHandle handle) => _handle = handle;

    public void CloseHandle()
    {
        _handle?.Dispose();
        _handle = null;
    }

    /// <summary>Index of the first record whose id is at least <paramref name="id"/>; <see cref="List{T}.Count"/> if none.</summary>
    public int IndexOfFirstAtOrAfter(long id)
    {
        int low = 0, high = Records.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (Records[middle].Id < id)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    public RecordEntry? Find(long id)
    {
        var index = IndexOfFirstAtOrAfter(id);
        return index < Records.Count && Records[index].Id == id ? Records[index] : null;
    }
}

/// <summary>Where one committed record lies, and whether it still waits for its acknowledgement.</summary>
internal sealed class RecordEntry(long id, long offset, int payloadLength, long enqueuedAtUnixMs)
{
    public long Id { get; } = id;

    public long Offset { get; } = offset;

    public int PayloadLength { get; } = payloadLength;

    public long EnqueuedAtUnixMs { get; } = enqueuedAtUnixMs;

    /// <summary>Acknowledged, or found unreadable: either way it will not be handed out again.</summary>
    public bool IsSettled { get; set; }
}
