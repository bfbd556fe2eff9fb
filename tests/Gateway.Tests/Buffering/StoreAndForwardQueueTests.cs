using Microsoft.Extensions.Logging;
using Telemetry.Gateway.Buffering;

namespace Telemetry.Gateway.Tests.Buffering;

public sealed class StoreAndForwardQueueTests : IDisposable
{
    private readonly QueueFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Records_come_out_in_append_order_across_segment_rolls()
    {
        using var queue = _folder.Open();
        var ids = Enumerable.Range(0, 60).Select(i => queue.Append(QueueFolder.Payload(i, 5000))).ToList();

        var read = QueueFolder.Drain(queue);

        Assert.True(_folder.Segments.Count >= 4, $"expected several segments, found {_folder.Segments.Count}");
        Assert.Equal(ids, read.Select(r => r.Id));
        Assert.Equal(Enumerable.Range(0, 60), read.Select(QueueFolder.IndexOf));
        Assert.All(read, r => Assert.Equal(QueueFolder.Payload(QueueFolder.IndexOf(r), 5000), r.Payload.ToArray()));
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), ids);
    }

    [Fact]
    public void Segment_is_deleted_only_once_all_its_records_are_acknowledged_in_any_order()
    {
        using var queue = _folder.Open();
        // 20 KB records: three to a 64 KiB segment.
        var ids = Enumerable.Range(0, 7).Select(i => queue.Append(QueueFolder.Payload(i, 20_000))).ToList();
        var first = _folder.Segments[0];
        Assert.Equal(3, _folder.Segments.Count);

        Assert.True(queue.Acknowledge(ids[2]));
        Assert.True(queue.Acknowledge(ids[0]));
        Assert.True(File.Exists(first));
        Assert.True(queue.Acknowledge(ids[1]));
        Assert.False(File.Exists(first));

        // A later segment goes first when it is complete before an older one.
        Assert.True(queue.Acknowledge(ids[5]));
        Assert.True(queue.Acknowledge(ids[3]));
        Assert.True(queue.Acknowledge(ids[4]));
        Assert.Single(_folder.Segments); // only the one being written
        Assert.Equal(1, queue.Statistics.PendingRecords);
    }

    [Fact]
    public void Reopened_queue_hands_out_unacknowledged_records_and_not_acknowledged_ones()
    {
        List<long> ids;
        using (var queue = _folder.Open())
        {
            ids = Enumerable.Range(0, 12).Select(i => queue.Append(QueueFolder.Payload(i, 20_000))).ToList();
            queue.ReadBatch(8);
            foreach (var index in new[] { 6, 0, 1, 3, 2, 10 })
            {
                queue.Acknowledge(ids[index]);
            }
        }

        using var reopened = _folder.Open();
        var read = QueueFolder.Drain(reopened);

        Assert.Equal(new[] { 4, 5, 7, 8, 9, 11 }, read.Select(QueueFolder.IndexOf));
        Assert.Equal(new[] { 4, 5, 7, 8, 9, 11 }.Select(i => ids[i]), read.Select(r => r.Id));
        Assert.Equal(6, reopened.Statistics.PendingRecords);
    }

    [Fact]
    public void Rewind_hands_out_unacknowledged_records_again_in_order()
    {
        using var queue = _folder.Open();
        var ids = Enumerable.Range(0, 6).Select(i => queue.Append(QueueFolder.Payload(i))).ToList();
        Assert.Equal(ids[..4], queue.ReadBatch(4).Select(r => r.Id));
        queue.Acknowledge(ids[1]);
        queue.Acknowledge(ids[3]);

        queue.Rewind();

        Assert.Equal(new[] { ids[0], ids[2], ids[4], ids[5] }, QueueFolder.Drain(queue).Select(r => r.Id));
    }

    [Fact]
    public void Nothing_is_handed_out_twice_without_a_rewind()
    {
        using var queue = _folder.Open();
        queue.Append(QueueFolder.Payload(1));
        queue.Append(QueueFolder.Payload(2));

        Assert.Equal(2, queue.ReadBatch(10).Count);
        Assert.Empty(queue.ReadBatch(10));
        Assert.False(queue.TryReadNext(out _));

        var id = queue.Append(QueueFolder.Payload(3));
        Assert.True(queue.TryReadNext(out var next));
        Assert.Equal(id, next.Id);
    }

    [Fact]
    public void Full_queue_drops_the_oldest_segment_and_counts_and_logs_the_dropped_records()
    {
        using var folder = new QueueFolder(maxBytes: 2 * QueueFolder.SmallSegment);
        using var queue = folder.Open();
        var ids = Enumerable.Range(0, 20).Select(i => queue.Append(QueueFolder.Payload(i, 20_000))).ToList();

        var stats = queue.Statistics;
        var remaining = QueueFolder.Drain(queue).Select(r => r.Id).ToList();

        Assert.True(stats.Dropped > 0);
        Assert.Equal(20, stats.Dropped + stats.PendingRecords);
        Assert.Equal(ids[^remaining.Count..], remaining); // the newest survive, in order
        Assert.True(stats.DiskBytes <= folder.Options.MaxBytes, $"{stats.DiskBytes} bytes on disk");
        Assert.True(folder.Segments.Sum(s => new FileInfo(s).Length) <= folder.Options.MaxBytes);
        var warnings = folder.Logger.At(LogLevel.Warning).Where(m => m.Contains("dropped", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(warnings);
        Assert.Contains(warnings, w => w.Contains("dropped 3 unacknowledged records", StringComparison.Ordinal));
    }

    [Fact]
    public void Dropped_records_stay_dropped_after_reopen_and_late_acknowledgements_are_ignored()
    {
        using var folder = new QueueFolder(maxBytes: 2 * QueueFolder.SmallSegment);
        long firstId;
        List<long> survivors;
        using (var queue = folder.Open())
        {
            firstId = queue.Append(QueueFolder.Payload(0, 20_000));
            Assert.Equal(firstId, queue.ReadBatch(1)[0].Id); // in flight when it is dropped
            for (var i = 1; i < 12; i++)
            {
                queue.Append(QueueFolder.Payload(i, 20_000));
            }

            Assert.False(queue.Acknowledge(firstId));
            survivors = QueueFolder.Drain(queue).Select(r => r.Id).ToList();
        }

        using var reopened = folder.Open();
        Assert.Equal(survivors, QueueFolder.Drain(reopened).Select(r => r.Id));
    }

    [Fact]
    public void Statistics_report_depth_oldest_age_and_counters()
    {
        using var queue = _folder.Open();
        Assert.Null(queue.Statistics.OldestPendingAge);
        var first = queue.Append(QueueFolder.Payload(0, 100));
        _folder.Clock.Advance(TimeSpan.FromMinutes(5));
        queue.Append(QueueFolder.Payload(1, 200));
        _folder.Clock.Advance(TimeSpan.FromMinutes(1));

        var before = queue.Statistics;
        queue.Acknowledge(first);
        var after = queue.Statistics;

        Assert.Equal(2, before.PendingRecords);
        Assert.Equal(300, before.PendingBytes);
        Assert.Equal(TimeSpan.FromMinutes(6), before.OldestPendingAge);
        Assert.Equal(2, before.Appended);
        Assert.Equal(1, after.PendingRecords);
        Assert.Equal(200, after.PendingBytes);
        Assert.Equal(TimeSpan.FromMinutes(1), after.OldestPendingAge);
        Assert.Equal(1, after.Acknowledged);
        Assert.Equal(0, after.Dropped);
        Assert.Equal(0, after.Corrupt);
        Assert.Equal(2 * 32 + 300, after.DiskBytes);
    }

    [Fact]
    public void Enqueue_time_survives_reopen()
    {
        using (var queue = _folder.Open())
        {
            queue.Append(QueueFolder.Payload(0));
        }

        _folder.Clock.Advance(TimeSpan.FromHours(2));
        using var reopened = _folder.Open();

        Assert.Equal(TimeSpan.FromHours(2), reopened.Statistics.OldestPendingAge);
        Assert.Equal(_folder.Clock.GetUtcNow() - TimeSpan.FromHours(2), reopened.ReadBatch(1)[0].EnqueuedAt);
    }

    [Fact]
    public void Record_ids_keep_increasing_after_everything_was_acknowledged_and_reopened()
    {
        long last;
        using (var queue = _folder.Open())
        {
            for (var i = 0; i < 5; i++)
            {
                last = queue.Append(QueueFolder.Payload(i, 20_000));
                queue.Acknowledge(last);
            }
        }

        for (var round = 0; round < 3; round++)
        {
            using var queue = _folder.Open();
            var next = queue.Append(QueueFolder.Payload(round));
            Assert.Equal(6 + round, next);
            Assert.True(queue.Acknowledge(next));
        }

        Assert.Single(_folder.Segments);
    }

    [Fact]
    public void AppendMany_returns_consecutive_ids_that_survive_reopen()
    {
        IReadOnlyList<long> ids;
        using (var queue = _folder.Open())
        {
            ids = queue.AppendMany([.. Enumerable.Range(0, 30).Select(i => new ReadOnlyMemory<byte>(QueueFolder.Payload(i, 9000)))]);
        }

        using var reopened = _folder.Open();
        var read = QueueFolder.Drain(reopened);

        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), ids);
        Assert.Equal(ids, read.Select(r => r.Id));
        Assert.Equal(Enumerable.Range(0, 30), read.Select(QueueFolder.IndexOf));
    }

    [Fact]
    public void Acknowledging_an_unknown_or_repeated_id_changes_nothing()
    {
        using var queue = _folder.Open();
        var id = queue.Append(QueueFolder.Payload(0));

        Assert.False(queue.Acknowledge(id + 1));
        Assert.False(queue.Acknowledge(-5));
        Assert.True(queue.Acknowledge(id));
        Assert.False(queue.Acknowledge(id));
        Assert.Equal(1, queue.Statistics.Acknowledged);
    }

    [Fact]
    public async Task Waiting_reader_wakes_on_append_and_rewind_and_stops_on_dispose()
    {
        var queue = _folder.Open();
        var waiting = queue.WaitToReadAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        queue.Append(QueueFolder.Payload(0));
        Assert.True(await waiting);

        queue.ReadBatch(10);
        waiting = queue.WaitToReadAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        queue.Rewind();
        Assert.True(await waiting);

        queue.ReadBatch(10);
        waiting = queue.WaitToReadAsync(CancellationToken.None).AsTask();
        await queue.DisposeAsync();
        Assert.False(await waiting);
    }

    [Fact]
    public async Task Waiting_reader_can_be_cancelled()
    {
        using var queue = _folder.Open();
        using var cancellation = new CancellationTokenSource();
        var waiting = queue.WaitToReadAsync(cancellation.Token).AsTask();

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public async Task Poller_and_publisher_on_separate_threads_lose_and_reorder_nothing()
    {
        const int count = 400;
        using var queue = _folder.Open();
        var received = new List<int>();
        var publisher = Task.Run(async () =>
        {
            var random = new Random(7);
            while (received.Count < count && await queue.WaitToReadAsync(CancellationToken.None))
            {
                var batch = queue.ReadBatch(random.Next(1, 8));
                received.AddRange(batch.Select(QueueFolder.IndexOf));
                foreach (var record in batch.OrderBy(_ => random.Next()))
                {
                    Assert.True(queue.Acknowledge(record.Id));
                }
            }
        });

        await Task.Run(() =>
        {
            for (var i = 0; i < count; i++)
            {
                queue.Append(QueueFolder.Payload(i, 3000));
            }
        });
        await publisher.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Enumerable.Range(0, count), received);
        Assert.Equal(0, queue.Statistics.PendingRecords);
        Assert.Single(_folder.Segments);
    }

    [Fact]
    public void Second_queue_on_the_same_folder_is_refused()
    {
        using var queue = _folder.Open();

        var error = Assert.Throws<IOException>(() => _folder.Open());

        Assert.Contains("in use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Payload_larger_than_the_maximum_is_rejected_naming_the_setting()
    {
        using var queue = _folder.Open();

        var error = Assert.Throws<ArgumentException>(() => queue.Append(new byte[_folder.Options.MaxRecordBytes + 1]));

        Assert.Contains("MaxRecordBytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, queue.Statistics.Appended);
        queue.Append(new byte[_folder.Options.MaxRecordBytes]);
    }

    [Fact]
    public void Invalid_options_are_rejected_naming_each_setting()
    {
        var options = new QueueOptions { Directory = " ", SegmentBytes = 1000, MaxBytes = 10, MaxRecordBytes = 0 };

        var error = Assert.Throws<ArgumentException>(() => StoreAndForwardQueue.Open(options, _folder.Logger, _folder.Clock));

        Assert.Equal(4, options.Validate().Count);
        foreach (var setting in new[] { "Directory", "SegmentBytes", "MaxBytes", "MaxRecordBytes" })
        {
            Assert.Contains($"Gateway:Buffering:{setting} ", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Operations_after_dispose_throw()
    {
        var queue = _folder.Open();
        queue.Dispose();

        Assert.Throws<ObjectDisposedException>(() => queue.Append(QueueFolder.Payload(0)));
        Assert.Throws<ObjectDisposedException>(() => queue.ReadBatch(1));
        Assert.Throws<ObjectDisposedException>(() => queue.Acknowledge(1));
        queue.Dispose();
    }
}
