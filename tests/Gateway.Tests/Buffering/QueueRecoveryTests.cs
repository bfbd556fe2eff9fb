using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Telemetry.Gateway.Buffering;

namespace Telemetry.Gateway.Tests.Buffering;

/// <summary>Damage done to segment files behind the queue's back, as crashes and failing disks do it.</summary>
public sealed class QueueRecoveryTests : IDisposable
{
    private const int PayloadLength = 200;
    private const int RecordSize = 32 + PayloadLength; // header + payload, see RecordFormat

    private readonly QueueFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Torn_last_record_is_cut_off_at_every_length_and_everything_before_it_recovers()
    {
        AppendAndClose(5);
        var segment = _folder.Segments[0];
        var pristine = File.ReadAllBytes(segment);
        var lastRecordStart = 4 * RecordSize;

        for (var cut = lastRecordStart; cut < pristine.Length; cut++)
        {
            foreach (var file in Directory.GetFiles(_folder.Path, "*.seg"))
            {
                File.Delete(file);
            }

            File.WriteAllBytes(segment, pristine[..cut]);
            using var queue = _folder.Open();

            var read = QueueFolder.Drain(queue);
            Assert.Equal([0, 1, 2, 3], read.Select(QueueFolder.IndexOf));
            Assert.Equal(0, queue.Statistics.Corrupt);
            Assert.Equal(lastRecordStart, new FileInfo(segment).Length);
        }
    }

    [Fact]
    public void Queue_goes_on_appending_after_a_torn_tail_and_keeps_ids_unique()
    {
        AppendAndClose(3);
        var segment = _folder.Segments[0];
        File.WriteAllBytes(segment, File.ReadAllBytes(segment)[..(2 * RecordSize + 40)]);

        using (var queue = _folder.Open())
        {
            Assert.Equal(3, queue.Append(QueueFolder.Payload(10, PayloadLength)));
        }

        using var reopened = _folder.Open();
        var read = QueueFolder.Drain(reopened);
        Assert.Equal([0, 1, 10], read.Select(QueueFolder.IndexOf));
        Assert.Equal([1L, 2, 3], read.Select(r => r.Id));
    }

    [Fact]
    public void Zero_filled_tail_from_a_power_cut_is_cut_off_without_counting_corruption()
    {
        AppendAndClose(3);
        var segment = _folder.Segments[0];
        using (var file = new FileStream(segment, FileMode.Append))
        {
            file.Write(new byte[5000]);
        }

        using var queue = _folder.Open();

        Assert.Equal([0, 1, 2], QueueFolder.Drain(queue).Select(QueueFolder.IndexOf));
        Assert.Equal(0, queue.Statistics.Corrupt);
        Assert.Equal(3 * RecordSize, new FileInfo(segment).Length);
    }

    [Theory]
    [InlineData(3)] // magic
    [InlineData(6)] // length
    [InlineData(RecordSize - 1)] // payload
    public void Damaged_last_record_is_counted_as_corrupt_not_taken_for_an_unfinished_write(int offsetInRecord)
    {
        AppendAndClose(5);
        FlipByte(_folder.Segments[0], (4 * RecordSize) + offsetInRecord);

        using var queue = _folder.Open();

        Assert.Equal([0, 1, 2, 3], QueueFolder.Drain(queue).Select(QueueFolder.IndexOf));
        Assert.Equal(1, queue.Statistics.Corrupt);
    }

    [Theory]
    [InlineData(0)] // magic
    [InlineData(5)] // length
    [InlineData(9)] // id
    [InlineData(17)] // enqueue time
    [InlineData(25)] // payload checksum
    [InlineData(30)] // header checksum
    [InlineData(32)] // first payload byte
    [InlineData(RecordSize - 1)] // last payload byte
    public void Corrupt_byte_in_a_middle_record_skips_and_counts_only_that_record(int offsetInRecord)
    {
        AppendAndClose(10);
        FlipByte(_folder.Segments[0], (4 * RecordSize) + offsetInRecord);

        using var queue = _folder.Open();

        Assert.Equal([0, 1, 2, 3, 5, 6, 7, 8, 9], QueueFolder.Drain(queue).Select(QueueFolder.IndexOf));
        Assert.Equal(1, queue.Statistics.Corrupt);
        Assert.Equal(9, queue.Statistics.PendingRecords);
        Assert.Contains(_folder.Logger.At(LogLevel.Error), m => m.Contains("skipped 1 records", StringComparison.Ordinal));
    }

    [Fact]
    public void Corrupt_run_of_records_is_counted_from_the_gap_in_ids()
    {
        AppendAndClose(10);
        var segment = _folder.Segments[0];
        var bytes = File.ReadAllBytes(segment);
        new Random(42).NextBytes(bytes.AsSpan((2 * RecordSize) + 3, (3 * RecordSize) - 10));
        File.WriteAllBytes(segment, bytes);

        using var queue = _folder.Open();

        Assert.Equal([0, 1, 5, 6, 7, 8, 9], QueueFolder.Drain(queue).Select(QueueFolder.IndexOf));
        Assert.Equal(3, queue.Statistics.Corrupt);
    }

    [Theory]
    [InlineData(false)] // the header checksum catches it
    [InlineData(true)] // a forged checksum: the format's length bound and the file size catch it
    public void Corrupt_length_field_does_not_make_recovery_allocate_it(bool forgeChecksum)
    {
        AppendAndClose(10);
        var segment = _folder.Segments[0];
        var bytes = File.ReadAllBytes(segment);
        var header = bytes.AsSpan(4 * RecordSize, 32);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], int.MaxValue - 7);
        if (forgeChecksum)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header[28..], Crc32C.Compute(header[..28]));
        }

        File.WriteAllBytes(segment, bytes);

        var before = GC.GetAllocatedBytesForCurrentThread();
        using var queue = _folder.Open();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < _folder.Options.MaxRecordBytes * 8L, $"recovery allocated {allocated} bytes");
        Assert.Equal([0, 1, 2, 3, 5, 6, 7, 8, 9], QueueFolder.Drain(queue).Select(QueueFolder.IndexOf));
        Assert.Equal(1, queue.Statistics.Corrupt);
    }

    [Fact]
    public void Length_larger_than_the_format_allows_is_corrupt_even_with_a_valid_checksum()
    {
        Span<byte> header = stackalloc byte[RecordFormat.HeaderSize];
        RecordFormat.Write(header, 1, 0, []);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], RecordFormat.MaxPayloadLength + 1);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], Crc32C.Compute(header[..28]));

        Assert.False(RecordFormat.TryReadHeader(header, out _));
    }

    [Fact]
    public void Corrupt_tail_of_an_older_segment_counts_the_records_up_to_the_next_segment()
    {
        using (var queue = _folder.Open())
        {
            for (var i = 0; i < 7; i++)
            {
                queue.Append(QueueFolder.Payload(i, 20_000)); // three to a segment
            }
        }

        var first = _folder.Segments[0];
        var bytes = File.ReadAllBytes(first);
        // Payloads of its second and third records: the segment ends in a corrupt stretch, with no record to resync on.
        bytes[20_032 + 100] ^= 0xFF;
        bytes[(2 * 20_032) + 100] ^= 0xFF;
        File.WriteAllBytes(first, bytes);

        using var reopened = _folder.Open();

        Assert.Equal([0, 3, 4, 5, 6], QueueFolder.Drain(reopened).Select(QueueFolder.IndexOf));
        Assert.Equal(2, reopened.Statistics.Corrupt);
    }

    [Fact]
    public void Record_that_rots_after_opening_is_skipped_and_counted_when_read()
    {
        using var queue = _folder.Open();
        for (var i = 0; i < 3; i++)
        {
            queue.Append(QueueFolder.Payload(i, PayloadLength));
        }

        FlipByte(_folder.Segments[^1], RecordSize + 100);

        Assert.Equal([0, 2], QueueFolder.Drain(queue).Select(QueueFolder.IndexOf));
        Assert.Equal(1, queue.Statistics.Corrupt);
        Assert.Equal(2, queue.Statistics.PendingRecords);
        Assert.Contains(_folder.Logger.At(LogLevel.Error), m => m.Contains("could not be read back", StringComparison.Ordinal));
    }

    [Fact]
    public void Unreadable_acknowledgement_floor_sends_records_again_rather_than_lose_any()
    {
        AppendAcknowledgeFirstAndThirdAndClose(); // journal: floor 2, then acknowledgement 3
        FlipByte(JournalPath, 6);

        using var reopened = _folder.Open();

        Assert.Equal([0, 1, 3], QueueFolder.Drain(reopened).Select(QueueFolder.IndexOf));
        Assert.Contains(_folder.Logger.At(LogLevel.Warning), m => m.Contains("journal partly unreadable", StringComparison.Ordinal));
    }

    [Fact]
    public void Corrupt_acknowledgement_entry_sends_only_its_record_again()
    {
        AppendAcknowledgeFirstAndThirdAndClose();
        FlipByte(JournalPath, 16 + 6);

        using var reopened = _folder.Open();

        Assert.Equal([1, 2, 3], QueueFolder.Drain(reopened).Select(QueueFolder.IndexOf));
    }

    [Fact]
    public void Acknowledgement_cut_short_by_a_crash_is_ignored()
    {
        AppendAcknowledgeFirstAndThirdAndClose();
        using (var journal = new FileStream(JournalPath, FileMode.Append))
        {
            journal.Write([0xA0, 0xD5, 0x6E, 0xAC, 2, 0, 0]);
        }

        using var reopened = _folder.Open();

        Assert.Equal([1, 3], QueueFolder.Drain(reopened).Select(QueueFolder.IndexOf));
        Assert.DoesNotContain(_folder.Logger.At(LogLevel.Warning), m => m.Contains("journal", StringComparison.Ordinal));
    }

    [Fact]
    public void Thousands_of_out_of_order_acknowledgements_survive_reopen_through_journal_compaction()
    {
        using (var queue = _folder.Open())
        {
            queue.AppendMany([.. Enumerable.Range(0, 6000).Select(i => new ReadOnlyMemory<byte>(QueueFolder.Payload(i, 20)))]);
            foreach (var id in Enumerable.Range(2, 5999).Reverse())
            {
                queue.Acknowledge(id); // the floor stays at 1 throughout
            }
        }

        using var reopened = _folder.Open();

        Assert.Equal([1L], QueueFolder.Drain(reopened).Select(r => r.Id));
        Assert.Equal(2, _folder.Segments.Count); // the first, still pending, and the one being written
    }

    [Fact]
    public void Acknowledgement_journal_is_compacted_as_the_floor_advances()
    {
        using var queue = _folder.Open();
        var ids = queue.AppendMany([.. Enumerable.Range(0, 6000).Select(i => new ReadOnlyMemory<byte>(QueueFolder.Payload(i, 20)))]);

        foreach (var id in ids)
        {
            queue.Acknowledge(id);
        }

        Assert.InRange(new FileInfo(JournalPath).Length, 16, 64 * 1024); // 6000 entries would be 96000 bytes
        Assert.Equal(0, queue.Statistics.PendingRecords);
    }

    [Fact]
    public void Foreign_files_in_the_folder_are_left_alone()
    {
        AppendAndClose(2);
        var foreign = Path.Combine(_folder.Path, "notes.seg");
        File.WriteAllText(foreign, "not a segment");

        using var queue = _folder.Open();

        Assert.Equal(2, QueueFolder.Drain(queue).Count);
        Assert.True(File.Exists(foreign));
    }

    private static void FlipByte(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        file.Position = offset;
        var value = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ 0x5A));
    }

    private string JournalPath => Path.Combine(_folder.Path, "acks.journal");

    private void AppendAcknowledgeFirstAndThirdAndClose()
    {
        using var queue = _folder.Open();
        for (var i = 0; i < 4; i++)
        {
            queue.Append(QueueFolder.Payload(i, PayloadLength));
        }

        queue.Acknowledge(1);
        queue.Acknowledge(3);
    }

    private void AppendAndClose(int count)
    {
        using var queue = _folder.Open();
        for (var i = 0; i < count; i++)
        {
            queue.Append(QueueFolder.Payload(i, PayloadLength));
        }
    }
}
