using Microsoft.Extensions.Logging;

namespace Telemetry.Gateway.Buffering;

internal static partial class QueueLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Store-and-forward queue {Directory} opened: {PendingRecords} records pending ({PendingBytes} bytes) in {Segments} segments, next record {NextId}")]
    public static partial void Opened(ILogger logger, string directory, long pendingRecords, long pendingBytes, int segments, long nextId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue segment {Segment} is corrupt at bytes {Offset}..{End}: skipped {LostRecords} records that failed their checksums")]
    public static partial void CorruptRegionSkipped(ILogger logger, string segment, long offset, long end, long lostRecords);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue segment {Segment} ended in an unfinished write: cut {Bytes} bytes off at {Offset} (no appended record is lost)")]
    public static partial void TornTailTruncated(ILogger logger, string segment, long bytes, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue acknowledgement journal partly unreadable ({Problem}): the records concerned will be sent again")]
    public static partial void AcknowledgementsUnreadable(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue acknowledgement journal could not be written: records acknowledged since may be sent again after a restart")]
    public static partial void JournalWriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File {File} in the queue folder is not a segment and is left alone")]
    public static partial void ForeignFileIgnored(ILogger logger, string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Store-and-forward queue reached its bound of {MaxBytes} bytes: dropped {DroppedRecords} unacknowledged records (oldest enqueued {OldestEnqueuedAt:o}) with segment {Segment}; {TotalDropped} dropped since start")]
    public static partial void OldestSegmentDropped(ILogger logger, long maxBytes, long droppedRecords, DateTimeOffset oldestEnqueuedAt, string segment, long totalDropped);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue record {RecordId} in segment {Segment} could not be read back ({Problem}): skipped")]
    public static partial void RecordUnreadable(ILogger logger, long recordId, string segment, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue segment {Segment} could not be deleted; the next start deletes it or sends its records again")]
    public static partial void SegmentDeleteFailed(ILogger logger, string segment, Exception exception);
}
