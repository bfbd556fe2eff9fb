namespace Telemetry.Gateway.Buffering;

/// <summary>Where and how large the store-and-forward queue is; bound from configuration section <see cref="SectionName"/>.</summary>
public sealed class QueueOptions
{
    public const string SectionName = "Gateway:Buffering";

    public const int DefaultSegmentBytes = 4 * 1024 * 1024;

    /// <summary>Folder of the segment files; created if missing. Must not be shared with another queue.</summary>
    public string Directory { get; set; } = "";

    /// <summary>A segment file is closed and a new one started once the next record would not fit.</summary>
    public int SegmentBytes { get; set; } = DefaultSegmentBytes;

    /// <summary>Bound of all segment files together; beyond it the oldest segment is dropped, even if unacknowledged.</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Largest payload <see cref="StoreAndForwardQueue.Append"/> accepts.</summary>
    public int MaxRecordBytes { get; set; } = 1024 * 1024;

    /// <summary>One message per invalid value, naming the setting and the rule; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Directory))
        {
            errors.Add($"{SectionName}:Directory is required: the folder where unsent reading batches are kept.");
        }

        const int minSegment = 64 * 1024;
        const int maxSegment = 1024 * 1024 * 1024;
        if (SegmentBytes is < minSegment or > maxSegment)
        {
            errors.Add($"{SectionName}:SegmentBytes ({SegmentBytes}) must be between {minSegment} and {maxSegment}.");
        }

        var largestPayload = Math.Min(RecordFormat.MaxPayloadLength, SegmentBytes - RecordFormat.HeaderSize);
        if (MaxRecordBytes < 1 || MaxRecordBytes > largestPayload)
        {
            errors.Add($"{SectionName}:MaxRecordBytes ({MaxRecordBytes}) must be between 1 and {largestPayload} (a record must fit in one segment, and the format allows at most {RecordFormat.MaxPayloadLength}).");
        }

        if (MaxBytes < 2L * SegmentBytes)
        {
            errors.Add($"{SectionName}:MaxBytes ({MaxBytes}) must be at least twice SegmentBytes ({SegmentBytes}), so that the oldest segment can be dropped while the newest is written.");
        }

        return errors;
    }
}
