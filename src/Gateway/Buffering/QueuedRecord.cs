namespace Telemetry.Gateway.Buffering;

/// <summary>A record handed out by <see cref="StoreAndForwardQueue.ReadBatch"/>; acknowledge it by <see cref="Id"/> once delivered.</summary>
/// <param name="Id">Increases by one per append; never reused by the same queue directory.</param>
/// <param name="EnqueuedAt">When it was appended, by the queue's clock.</param>
/// <param name="Payload">The appended bytes, owned by the caller.</param>
public sealed record QueuedRecord(long Id, DateTimeOffset EnqueuedAt, ReadOnlyMemory<byte> Payload);

/// <summary>A snapshot of the queue for the health document. Counters run since the queue was opened.</summary>
/// <param name="PendingRecords">Appended and not yet acknowledged (whether handed out or not).</param>
/// <param name="PendingBytes">Payload bytes of the pending records.</param>
/// <param name="DiskBytes">Size of all segment files, acknowledged records included until their segment is deleted.</param>
/// <param name="Segments">Segment files, the one being written included.</param>
/// <param name="OldestPendingAge">Age of the oldest pending record; null when nothing is pending.</param>
/// <param name="Appended">Records appended.</param>
/// <param name="Acknowledged">Records acknowledged.</param>
/// <param name="Dropped">Unacknowledged records dropped because the queue reached its size bound.</param>
/// <param name="Corrupt">Records lost to checksum failures, found when opening or when reading.</param>
public sealed record QueueStatistics(
    long PendingRecords,
    long PendingBytes,
    long DiskBytes,
    int Segments,
    TimeSpan? OldestPendingAge,
    long Appended,
    long Acknowledged,
    long Dropped,
    long Corrupt);
