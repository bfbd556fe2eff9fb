using Microsoft.Extensions.Time.Testing;
using Telemetry.Gateway.Buffering;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Buffering;

/// <summary>A scratch queue folder on the real file system, removed with the test.</summary>
internal sealed class QueueFolder : IDisposable
{
    public const int SmallSegment = 64 * 1024;

    public QueueFolder(int segmentBytes = SmallSegment, long? maxBytes = null, int maxRecordBytes = 32 * 1024)
    {
        Path = RepositoryPaths.NewScratchDirectory("queue");
        Options = new QueueOptions
        {
            Directory = Path,
            SegmentBytes = segmentBytes,
            MaxBytes = maxBytes ?? 64L * segmentBytes,
            MaxRecordBytes = maxRecordBytes,
        };
    }

    public string Path { get; }

    public QueueOptions Options { get; }

    public RecordingLogger Logger { get; } = new();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 22, 19, 0, 0, TimeSpan.Zero));

    public StoreAndForwardQueue Open() => StoreAndForwardQueue.Open(Options, Logger, Clock);

    /// <summary>Segment files, oldest first.</summary>
    public IReadOnlyList<string> Segments => [.. Directory.GetFiles(Path, "*.seg").Order(StringComparer.Ordinal)];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover scratch folder is harmless.
        }
    }

    /// <summary>A payload that names its index, so that order and content can be checked together.</summary>
    public static byte[] Payload(int index, int length = 1000)
    {
        var payload = new byte[length];
        for (var i = 0; i < length; i++)
        {
            payload[i] = (byte)(index * 7 + i);
        }

        BitConverter.TryWriteBytes(payload, index);
        return payload;
    }

    public static int IndexOf(QueuedRecord record) => BitConverter.ToInt32(record.Payload.Span);

    /// <summary>Everything left to hand out.</summary>
    public static List<QueuedRecord> Drain(StoreAndForwardQueue queue)
    {
        var all = new List<QueuedRecord>();
        while (queue.ReadBatch(100) is { Count: > 0 } batch)
        {
            all.AddRange(batch);
        }

        return all;
    }
}
