using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace Telemetry.Gateway.Buffering;

/// <summary>
/// A durable FIFO of opaque records in segment files: every reading batch is appended here before it is
/// published, and stays until its PUBACK is acknowledged. An append is flushed to disk before it returns, so it
/// survives a killed process and a power cut; a torn last write is cut off at the next start; corrupt records are
/// skipped and counted, never fatal.
/// </summary>
/// <remarks>
/// <para>
/// One poller appends while one publisher reads, acknowledges and rewinds from other threads. Delivery is
/// at-least-once: every unacknowledged record is handed out again after a restart. Acknowledgements survive a
/// killed process exactly; after a power cut the last few may be lost, and those records are sent again.
/// </para>
/// <para>
/// When the segment files would exceed <see cref="QueueOptions.MaxBytes"/> the oldest segment is dropped,
/// acknowledged or not, counted and logged, so that appending never blocks.
/// </para>
/// <para>
/// Folder contents: segment files <c>{first record id:D20}.seg</c> of records laid out as in
/// <see cref="RecordFormat"/>; <c>acks.journal</c> (see <see cref="AckJournal"/>); <c>queue.lock</c>, held while open.
/// </para>
/// </remarks>
public sealed class StoreAndForwardQueue : IDisposable, IAsyncDisposable
{
    private const string LockFileName = "queue.lock";

    private readonly string _directory;
    private readonly int _segmentBytes;
    private readonly long _maxBytes;
    private readonly int _maxRecordBytes;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly FileStream _directoryLock;

    // _appendGate serialises appenders and covers the file I/O of the active segment, so that a slow fsync does not
    // hold up readers. _gate covers all shared state and the reads. Order: _appendGate before _gate.
    private readonly Lock _appendGate = new();
    private readonly Lock _gate = new();

    private readonly List<Segment> _segments = []; // in id order; the last is _active
    private readonly HashSet<long> _acknowledgedAboveFloor = [];
    private readonly List<RecordEntry> _uncommitted = []; // appender only
    private AckJournal? _journal;
    private Segment _active = null!;
    private TaskCompletionSource<bool> _readable = NewSignal();
    private long _nextId; // appender only: id of the next record written
    private long _committedNextId; // one past the last record readers can see
    private long _cursor; // next id to hand out
    private long _floor; // every id below is acknowledged or gone
    private long _closedBytes; // all segments but the active one
    private long _pendingRecords;
    private long _pendingBytes;
    private long _appended;
    private long _acknowledged;
    private long _dropped;
    private long _corrupt;
    private bool _journalFailing;
    private bool _recovered;
    private bool _disposed;

    private StoreAndForwardQueue(QueueOptions options, string directory, FileStream directoryLock, ILogger logger, TimeProvider clock)
    {
        _directory = directory;
        _segmentBytes = options.SegmentBytes;
        _maxBytes = options.MaxBytes;
        _maxRecordBytes = options.MaxRecordBytes;
        _directoryLock = directoryLock;
        _logger = logger;
        _clock = clock;
    }

    /// <summary>The folder of the segment files.</summary>
    public string Directory => _directory;

    /// <summary>A snapshot of depth and counters for the health document.</summary>
    public QueueStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                var oldest = FindPending(_floor);
                TimeSpan? age = oldest is null
                    ? null
                    : TimeSpan.FromMilliseconds(Math.Max(0, _clock.GetUtcNow().ToUnixTimeMilliseconds() - oldest.EnqueuedAtUnixMs));
                return new QueueStatistics(
                    _pendingRecords,
                    _pendingBytes,
                    _closedBytes + _active.Length,
                    _segments.Count,
                    age,
                    _appended,
                    _acknowledged,
                    _dropped,
                    _corrupt);
            }
        }
    }

    /// <summary>
    /// Opens the queue in <see cref="QueueOptions.Directory"/>, creating it if needed, and recovers what is on disk:
    /// unacknowledged records become pending again in their order, a torn last write is cut off, corrupt records are
    /// skipped and counted. Appends go to a new segment.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid; the message names each bad value.</exception>
    /// <exception cref="IOException">The folder is in use by another queue, or cannot be written.</exception>
    public static StoreAndForwardQueue Open(QueueOptions options, ILogger logger, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(clock);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid store-and-forward queue options: " + string.Join(" ", errors), nameof(options));
        }

        var directory = Path.GetFullPath(options.Directory);
        System.IO.Directory.CreateDirectory(directory);
        var directoryLock = LockDirectory(directory);
        var queue = new StoreAndForwardQueue(options, directory, directoryLock, logger, clock);
        try
        {
            queue.Recover();
            return queue;
        }
        catch
        {
            queue.Dispose();
            throw;
        }
    }

    /// <summary>Appends one record and returns its id once it is on disk (flushed, so it survives even power loss).</summary>
    /// <exception cref="ArgumentException">The payload is larger than <see cref="QueueOptions.MaxRecordBytes"/>.</exception>
    public long Append(ReadOnlySpan<byte> payload)
    {
        CheckPayloadLength(payload.Length, nameof(payload));
        lock (_appendGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                var id = Write(payload);
                FlushAndCommit();
                return id;
            }
            catch
            {
                AbandonUncommitted();
                throw;
            }
        }
    }

    /// <summary>
    /// Appends several records with one flush to disk (one per segment touched) and returns their ids in order.
    /// If it throws, a leading part may already be durable and will be delivered.
    /// </summary>
    public IReadOnlyList<long> AppendMany(IReadOnlyList<ReadOnlyMemory<byte>> payloads)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        foreach (var payload in payloads)
        {
            CheckPayloadLength(payload.Length, nameof(payloads));
        }

        lock (_appendGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                var ids = new long[payloads.Count];
                for (var i = 0; i < ids.Length; i++)
                {
                    ids[i] = Write(payloads[i].Span);
                }

                FlushAndCommit();
                return ids;
            }
            catch
            {
                AbandonUncommitted();
                throw;
            }
        }
    }

    /// <summary>
    /// Hands out up to <paramref name="maxCount"/> pending records that were not handed out since the last
    /// <see cref="Rewind"/>, oldest first. Empty when there are none. A record that no longer passes its checksum
    /// is skipped and counted as corrupt.
    /// </summary>
    public IReadOnlyList<QueuedRecord> ReadBatch(int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var batch = new List<QueuedRecord>(Math.Min(maxCount, 64));
            while (batch.Count < maxCount && FindUnread() is (var segment, var entry))
            {
                _cursor = entry.Id + 1;
                if (TryReadPayload(segment, entry) is { } payload)
                {
                    batch.Add(new QueuedRecord(entry.Id, DateTimeOffset.FromUnixTimeMilliseconds(entry.EnqueuedAtUnixMs), payload));
                }
            }

            CloseHandlesBehindCursor();
            return batch;
        }
    }

    /// <summary>The next record not yet handed out, if any; see <see cref="ReadBatch"/>.</summary>
    public bool TryReadNext([NotNullWhen(true)] out QueuedRecord? record)
    {
        record = ReadBatch(1) is [var single] ? single : null;
        return record is not null;
    }

    /// <summary>
    /// Completes with true as soon as a record is ready to be handed out, with false once the queue is disposed.
    /// </summary>
    public async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        Task<bool> signal;
        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            if (FindUnread() is not null)
            {
                return true;
            }

            signal = _readable.Task;
        }

        return await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Marks a record delivered (its PUBACK arrived); acknowledgements may come in any order. A segment whose
    /// records are all acknowledged is deleted. False when the id is unknown, already acknowledged or dropped.
    /// </summary>
    public bool Acknowledge(long recordId)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var segment = FindSegment(recordId);
            var entry = segment?.Find(recordId);
            if (segment is null || entry is null || entry.IsSettled)
            {
                return false;
            }

            Settle(segment, entry);
            _acknowledged++;
            if (recordId == _floor)
            {
                AdvanceFloor();
            }
            else
            {
                _acknowledgedAboveFloor.Add(recordId);
            }

            JournalAcknowledgement(recordId);
            return true;
        }
    }

    /// <summary>
    /// Forgets what was handed out and not acknowledged, so that <see cref="ReadBatch"/> hands it out again, in
    /// order: call it when the connection drops with publishes in flight.
    /// </summary>
    public void Rewind()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _cursor = _floor;
            SignalReadable();
        }
    }

    public void Dispose()
    {
        lock (_appendGate)
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                if (_recovered)
                {
                    CompactJournal();
                }

                _journal?.Dispose();
                foreach (var segment in _segments)
                {
                    segment.CloseHandle();
                }

                _directoryLock.Dispose();
                _readable.TrySetResult(false);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static TaskCompletionSource<bool> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static FileStream LockDirectory(string directory)
    {
        var path = Path.Combine(directory, LockFileName);
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix; the kernel drops it when the process dies.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"Store-and-forward queue folder {directory} is in use by another queue (lock file {path}).", e);
        }
    }

    private void CheckPayloadLength(int length, string parameterName)
    {
        if (length > _maxRecordBytes)
        {
            throw new ArgumentException(
                $"A queue record holds at most {_maxRecordBytes} bytes ({QueueOptions.SectionName}:MaxRecordBytes); this payload has {length}.",
                parameterName);
        }
    }

    private void Recover()
    {
        _journal = AckJournal.Open(_directory);
        if (_journal.Problem is { } problem)
        {
            QueueLog.AcknowledgementsUnreadable(_logger, problem);
        }

        var journal = _journal.Found;

        var files = new List<(string Path, long FirstId)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(_directory, "*" + Segment.Extension))
        {
            if (Segment.TryParseFileName(Path.GetFileName(path), out var firstId))
            {
                files.Add((path, firstId));
            }
            else
            {
                QueueLog.ForeignFileIgnored(_logger, path);
            }
        }

        files.Sort((a, b) => a.FirstId.CompareTo(b.FirstId));
        _nextId = Math.Max(1, journal?.Floor ?? 1);
        for (var i = 0; i < files.Count; i++)
        {
            var (path, firstId) = files[i];
            var segment = RecoverSegment(path, firstId, i + 1 < files.Count ? files[i + 1].FirstId : null);
            _segments.Add(segment);
            _nextId = Math.Max(_nextId, Math.Max(segment.FirstId, segment.LastId + 1));
            foreach (var entry in segment.Records)
            {
                if (journal?.IsAcknowledged(entry.Id) == true)
                {
                    entry.IsSettled = true;
                }
                else
                {
                    segment.PendingCount++;
                    _pendingRecords++;
                    _pendingBytes += entry.PayloadLength;
                }
            }
        }

        // Appends always go to a fresh segment named after the next id, which also keeps that id across restarts.
        if (_segments is [.., { Records.Count: 0, Length: 0 } last] && last.FirstId == _nextId)
        {
            last.OpenForWriting(File.OpenHandle(last.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read));
            _active = last;
        }
        else
        {
            _active = CreateSegment(_nextId);
            _segments.Add(_active);
        }

        foreach (var settled in _segments.Where(s => s != _active && s.PendingCount == 0).ToList())
        {
            DeleteSegment(settled);
        }

        _closedBytes = _segments.Where(s => s != _active).Sum(s => s.Length);
        _committedNextId = _nextId;
        AdvanceFloor();
        foreach (var segment in _segments)
        {
            // Out-of-order acknowledgements above the floor must go into the next snapshot again.
            _acknowledgedAboveFloor.UnionWith(segment.Records.Where(e => e.IsSettled && e.Id > _floor).Select(e => e.Id));
        }

        _cursor = _floor;
        CompactJournal();
        _recovered = true;
        QueueLog.Opened(_logger, _directory, _pendingRecords, _pendingBytes, _segments.Count, _nextId);
    }

    private Segment RecoverSegment(string path, long firstId, long? nextSegmentFirstId)
    {
        var scan = SegmentScanner.Scan(path, firstId, nextSegmentFirstId);
        var name = Path.GetFileName(path);
        foreach (var region in scan.CorruptRegions)
        {
            _corrupt += region.LostRecords;
            QueueLog.CorruptRegionSkipped(_logger, name, region.Offset, region.Offset + region.Length, region.LostRecords);
        }

        if (nextSegmentFirstId is null && scan.ValidLength < scan.FileLength)
        {
            // Only the last segment was being written; cut its bad tail so that the next start does not report it again.
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            RandomAccess.SetLength(handle, scan.ValidLength);
            RandomAccess.FlushToDisk(handle);
            if (scan.TornTailBytes > 0)
            {
                QueueLog.TornTailTruncated(_logger, name, scan.TornTailBytes, scan.ValidLength);
            }
        }

        return new Segment(path, firstId, scan.ValidLength, scan.Records);
    }

    private Segment CreateSegment(long firstId)
    {
        var path = Path.Combine(_directory, Segment.FileName(firstId));
        var segment = new Segment(path, firstId, 0, []);
        segment.OpenForWriting(File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read));
        DurableFiles.FlushDirectory(_directory);
        return segment;
    }

    /// <summary>Writes one record after the last, unflushed and invisible to readers until <see cref="FlushAndCommit"/>. Appender only.</summary>
    private long Write(ReadOnlySpan<byte> payload)
    {
        var size = RecordFormat.SizeOf(payload.Length);
        if (_active.WriteOffset > 0 && _active.WriteOffset + size > _segmentBytes)
        {
            FlushAndCommit();
            Roll();
        }

        MakeRoom(size);
        var id = _nextId;
        var enqueuedAt = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            RecordFormat.Write(buffer.AsSpan(0, size), id, enqueuedAt, payload);
            RandomAccess.Write(_active.Handle, buffer.AsSpan(0, size), _active.WriteOffset);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _uncommitted.Add(new RecordEntry(id, _active.WriteOffset, payload.Length, enqueuedAt));
        _active.WriteOffset += size;
        _nextId++;
        return id;
    }

    /// <summary>Makes the unflushed records of the active segment durable, then visible to readers. Appender only.</summary>
    private void FlushAndCommit()
    {
        if (_uncommitted.Count == 0)
        {
            return;
        }

        RandomAccess.FlushToDisk(_active.Handle);
        lock (_gate)
        {
            foreach (var entry in _uncommitted)
            {
                _active.Records.Add(entry);
                _active.PendingCount++;
                _pendingRecords++;
                _pendingBytes += entry.PayloadLength;
                _appended++;
            }

            _active.Length = _active.WriteOffset;
            _committedNextId = _nextId;
            SignalReadable();
        }

        _uncommitted.Clear();
    }

    /// <summary>After a failed write or flush: forgets the uncommitted records and cuts the file back to the last committed one.</summary>
    private void AbandonUncommitted()
    {
        _uncommitted.Clear();
        _nextId = _committedNextId;
        _active.WriteOffset = _active.Length;
        try
        {
            RandomAccess.SetLength(_active.Handle, _active.Length);
        }
        catch (IOException)
        {
            // Whatever stays beyond the last committed record fails its checksums at the next start.
        }
    }

    private void Roll()
    {
        var next = CreateSegment(_nextId);
        lock (_gate)
        {
            var previous = _active;
            _segments.Add(next);
            _active = next;
            _closedBytes += previous.Length;
            if (previous.PendingCount == 0)
            {
                DeleteSegment(previous);
            }
            else
            {
                previous.CloseHandle(); // reopened for reading when needed; keeps open files few
            }
        }
    }

    /// <summary>Drops the oldest segments until a record of <paramref name="size"/> bytes fits in the bound. Appender only.</summary>
    private void MakeRoom(int size)
    {
        lock (_gate)
        {
            // Validation keeps MaxBytes at two segments or more, so the active segment itself is never dropped.
            while (_closedBytes + _active.WriteOffset + size > _maxBytes && _segments.Count > 1)
            {
                var oldest = _segments[0];
                var dropped = 0L;
                var oldestEnqueuedAt = long.MaxValue;
                foreach (var entry in oldest.Records.Where(e => !e.IsSettled))
                {
                    dropped++;
                    oldestEnqueuedAt = Math.Min(oldestEnqueuedAt, entry.EnqueuedAtUnixMs);
                    Settle(oldest, entry);
                }

                _dropped += dropped;
                _cursor = Math.Max(_cursor, oldest.LastId + 1);
                DeleteSegment(oldest);
                AdvanceFloor();
                if (dropped > 0)
                {
                    QueueLog.OldestSegmentDropped(_logger, _maxBytes, dropped, DateTimeOffset.FromUnixTimeMilliseconds(oldestEnqueuedAt), oldest.Name, _dropped);
                }
            }
        }
    }

    /// <summary>The record leaves the pending set (acknowledged, dropped or unreadable); its segment goes once it has none left.</summary>
    private void Settle(Segment segment, RecordEntry entry)
    {
        entry.IsSettled = true;
        segment.PendingCount--;
        _pendingRecords--;
        _pendingBytes -= entry.PayloadLength;
        if (segment.PendingCount == 0 && segment != _active)
        {
            DeleteSegment(segment);
        }
    }

    private void DeleteSegment(Segment segment)
    {
        if (!_segments.Remove(segment))
        {
            return;
        }

        _closedBytes -= segment.Length;
        segment.CloseHandle();
        try
        {
            File.Delete(segment.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            QueueLog.SegmentDeleteFailed(_logger, segment.Name, e);
        }
    }

    /// <summary>Moves the floor to the oldest pending record and forgets the out-of-order acknowledgements below it.</summary>
    private void AdvanceFloor()
    {
        _floor = _committedNextId;
        foreach (var segment in _segments)
        {
            if (segment.PendingCount == 0)
            {
                continue;
            }

            var index = segment.FirstPendingIndexHint;
            while (segment.Records[index].IsSettled)
            {
                index++;
            }

            segment.FirstPendingIndexHint = index;
            _floor = segment.Records[index].Id;
            break;
        }

        _acknowledgedAboveFloor.RemoveWhere(id => id < _floor);
    }

    private void JournalAcknowledgement(long recordId) => UpdateJournal(journal =>
    {
        journal.Append(recordId);
        if (journal.ShouldCompact)
        {
            journal.Compact(_floor, _acknowledgedAboveFloor);
        }
    });

    private void CompactJournal() => UpdateJournal(journal => journal.Compact(_floor, _acknowledgedAboveFloor));

    private void UpdateJournal(Action<AckJournal> update)
    {
        try
        {
            update(_journal!);
            _journalFailing = false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not fatal: the acknowledgements stay in memory; only a restart before the next good write re-sends them.
            if (!_journalFailing)
            {
                QueueLog.JournalWriteFailed(_logger, e);
            }

            _journalFailing = true;
        }
    }

    private void SignalReadable()
    {
        if (FindUnread() is not null)
        {
            var signal = _readable;
            _readable = NewSignal();
            signal.TrySetResult(true);
        }
    }

    /// <summary>The segment whose id range holds <paramref name="id"/>, if any.</summary>
    private Segment? FindSegment(long id)
    {
        int low = 0, high = _segments.Count - 1;
        Segment? found = null;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            if (_segments[middle].FirstId <= id)
            {
                found = _segments[middle];
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }

    private RecordEntry? FindPending(long id) => FindSegment(id)?.Find(id) is { IsSettled: false } entry ? entry : null;

    /// <summary>The first pending record at or after the cursor.</summary>
    private (Segment Segment, RecordEntry Entry)? FindUnread()
    {
        if (_cursor >= _committedNextId)
        {
            return null;
        }

        var start = FindSegment(_cursor);
        var index = start is null ? 0 : _segments.IndexOf(start);
        for (; index < _segments.Count; index++)
        {
            var segment = _segments[index];
            if (segment.PendingCount == 0)
            {
                continue;
            }

            for (var i = segment.IndexOfFirstAtOrAfter(_cursor); i < segment.Records.Count; i++)
            {
                if (!segment.Records[i].IsSettled)
                {
                    return (segment, segment.Records[i]);
                }
            }
        }

        return null;
    }

    private ReadOnlyMemory<byte>? TryReadPayload(Segment segment, RecordEntry entry)
    {
        var record = new byte[RecordFormat.SizeOf(entry.PayloadLength)];
        string? problem = null;
        try
        {
            if (SegmentScanner.ReadAtMost(segment.Handle, record, entry.Offset) < record.Length)
            {
                problem = "file shorter than indexed";
            }
            else if (!RecordFormat.TryReadHeader(record, out var header) || header.Id != entry.Id || !header.Matches(record.AsSpan(RecordFormat.HeaderSize)))
            {
                problem = "checksum mismatch";
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = e.Message;
        }

        if (problem is null)
        {
            return record.AsMemory(RecordFormat.HeaderSize);
        }

        _corrupt++;
        QueueLog.RecordUnreadable(_logger, entry.Id, segment.Name, problem);
        Settle(segment, entry);
        if (entry.Id == _floor)
        {
            AdvanceFloor();
        }
        else
        {
            _acknowledgedAboveFloor.Add(entry.Id);
        }

        return null;
    }

    private void CloseHandlesBehindCursor()
    {
        foreach (var segment in _segments)
        {
            if (segment == _active || segment.LastId >= _cursor)
            {
                break;
            }

            segment.CloseHandle();
        }
    }
}
