using System.Globalization;
using Microsoft.Extensions.Logging;
using Telemetry.Gateway.Buffering;

namespace Telemetry.Gateway.Replay;

/// <summary>How long and how much of its sent reading batches a gateway keeps for replay; section <c>Gateway:Replay</c>.</summary>
public sealed class ReplaySettings
{
    public const string SectionName = "Gateway:Replay";

    /// <summary>Folder of the archive files; empty for <c>{StateDirectory}/archive</c>.</summary>
    public string? Directory { get; set; }

    /// <summary>Batches older than this are dropped (default 7 days).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Bound of the archive files together (default 256 MiB); beyond it the oldest file is dropped.</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>An archive file is closed and a new one begun at this size.</summary>
    public int FileBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>The most batches one replay request may ask for.</summary>
    public int MaxBatchesPerRequest { get; set; } = 5000;

    /// <summary>The most replay requests waiting; more are refused as busy.</summary>
    public int MaxQueuedRequests { get; set; } = 16;

    public IEnumerable<string> Validate()
    {
        if (Retention < TimeSpan.FromSeconds(1) || Retention > TimeSpan.FromDays(366))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{SectionName}:Retention ({Retention}) must be from 1 second to 366 days.");
        }

        if (FileBytes is < 64 * 1024 or > 1024 * 1024 * 1024)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{SectionName}:FileBytes ({FileBytes}) must be from 65536 to 1073741824.");
        }

        if (MaxBytes < 2L * FileBytes)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{SectionName}:MaxBytes ({MaxBytes}) must be at least twice FileBytes ({FileBytes}).");
        }

        if (MaxBatchesPerRequest is < 1 or > 1_000_000)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{SectionName}:MaxBatchesPerRequest ({MaxBatchesPerRequest}) must be from 1 to 1000000.");
        }

        if (MaxQueuedRequests is < 1 or > 10_000)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{SectionName}:MaxQueuedRequests ({MaxQueuedRequests}) must be from 1 to 10000.");
        }
    }
}

/// <summary>One archived batch: its seq, when it was queued, and the record as queued (kind byte, then JSON).</summary>
public sealed record ArchivedBatch(long Seq, DateTimeOffset QueuedAt, ReadOnlyMemory<byte> Record);

/// <summary>
/// The gateway's reading batches kept after they were sent, by seq, so that a consumer group that missed some can ask for
/// them again. Each batch is appended as it is queued, in seq order, to files <c>{first seq:D20}.arc</c> in the queue's
/// record layout (the seq as record id), a new file at least every quarter of the retention time; the oldest file goes
/// once its newest batch is older than the retention time or the files exceed their byte bound, and the batches in it
/// are counted as dropped. Appends are written to the operating
/// system at once and not forced to disk: a killed process loses none, a power cut may lose the last few, and a torn or
/// corrupt tail is cut off at the next start. One writer (the outbound queue's append), any number of readers.
/// </summary>
public sealed partial class BatchArchive : IDisposable
{
    private const string Extension = ".arc";
    private readonly Lock _gate = new();
    private readonly List<ArchiveFile> _files = [];
    private readonly string _directory;
    private readonly ReplaySettings _settings;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private FileStream? _writer;
    private byte[] _buffer = new byte[64 * 1024];

    private BatchArchive(string directory, ReplaySettings settings, TimeProvider clock, ILogger logger)
    {
        _directory = directory;
        _settings = settings;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>How long a file takes batches: a quarter of the retention time, at most an hour, so that age drops a little at a time.</summary>
    private TimeSpan FileAge => TimeSpan.FromTicks(Math.Min(TimeSpan.FromHours(1).Ticks, _settings.Retention.Ticks / 4));

    /// <summary>Batches dropped for age or size since start.</summary>
    public long Dropped { get; private set; }

    /// <summary>Appends that failed (the batch is still sent; it cannot be replayed).</summary>
    public long Failed { get; private set; }

    /// <summary>The first and last seq held, or null when empty.</summary>
    public (long First, long Last)? Held
    {
        get
        {
            lock (_gate)
            {
                var files = _files.Where(f => f.Count > 0).ToList();
                return files.Count == 0 ? null : (files[0].FirstSeq, files[^1].LastSeq);
            }
        }
    }

    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _files.Sum(f => f.Bytes);
            }
        }
    }

    /// <summary>Opens the archive in <paramref name="directory"/>, reading what is there and cutting a torn tail off.</summary>
    public static BatchArchive Open(string directory, ReplaySettings settings, TimeProvider clock, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        System.IO.Directory.CreateDirectory(directory);
        var archive = new BatchArchive(directory, settings, clock, logger);
        foreach (var path in System.IO.Directory.GetFiles(directory, "*" + Extension).Order(StringComparer.Ordinal))
        {
            archive._files.Add(ArchiveFile.Scan(path, logger));
        }

        archive.Prune();
        return archive;
    }

    /// <summary>Keeps <paramref name="record"/> (kind byte and JSON, as queued) under <paramref name="seq"/>; never throws for a disk problem.</summary>
    public void Append(long seq, ReadOnlySpan<byte> record)
    {
        var now = _clock.GetUtcNow();
        var size = RecordFormat.SizeOf(record.Length);
        lock (_gate)
        {
            try
            {
                if (_files.Count > 0 && _files[^1].Count > 0 && seq <= _files[^1].LastSeq)
                {
                    // Seq is strictly increasing; a lower one means the counter was reset: start a new file so the order holds per file.
                    CloseWriter();
                }

                if (_writer is null || _files[^1].Bytes + size > _settings.FileBytes || (_files[^1].Count > 0 && now - _files[^1].OldestAt >= FileAge))
                {
                    CloseWriter();
                    var path = Path.Combine(_directory, seq.ToString("D20", CultureInfo.InvariantCulture) + Extension);
                    _writer = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
                    _files.Add(new ArchiveFile(path) { Bytes = _writer.Length });
                }

                if (_buffer.Length < size)
                {
                    _buffer = new byte[Math.Max(size, _buffer.Length * 2)];
                }

                RecordFormat.Write(_buffer.AsSpan(0, size), seq, now.ToUnixTimeMilliseconds(), record);
                _writer.Write(_buffer, 0, size);
                _writer.Flush(flushToDisk: false);
                _files[^1].Added(seq, size, now);
            }
            catch (IOException ex)
            {
                Failed++;
                LogAppendFailed(_logger, seq, ex.Message);
                CloseWriter();
            }

            Prune();
        }
    }

    /// <summary>The batches held in <paramref name="first"/> to <paramref name="last"/>, in seq order; corrupt ones are skipped.</summary>
    public IReadOnlyList<ArchivedBatch> Read(long first, long last)
    {
        List<ArchiveFile> files;
        lock (_gate)
        {
            files = [.. _files.Where(f => f.Count > 0 && f.FirstSeq <= last && f.LastSeq >= first)];
            _writer?.Flush(flushToDisk: false);
        }

        var found = new SortedDictionary<long, ArchivedBatch>();
        foreach (var file in files)
        {
            try
            {
                foreach (var batch in ArchiveFile.ReadRecords(file.Path, file.ValidLength))
                {
                    if (batch.Seq >= first && batch.Seq <= last)
                    {
                        found[batch.Seq] = batch;
                    }
                }
            }
            catch (IOException ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                // Dropped meanwhile: its batches are missing from the answer.
            }
        }

        return [.. found.Values];
    }

    /// <summary>Drops the oldest files past the retention time or the byte bound (never the one being written).</summary>
    private void Prune()
    {
        var now = _clock.GetUtcNow();
        while (_files.Count > 1 && (_files[0].NewestAt < now - _settings.Retention || _files.Sum(f => f.Bytes) > _settings.MaxBytes))
        {
            var oldest = _files[0];
            _files.RemoveAt(0);
            Dropped += oldest.Count;
            try
            {
                File.Delete(oldest.Path);
            }
            catch (IOException ex)
            {
                LogDeleteFailed(_logger, oldest.Path, ex.Message);
            }

            LogDropped(_logger, oldest.Count, oldest.FirstSeq, oldest.LastSeq);
        }

        if (_files.Count == 1 && _files[0].Count > 0 && _files[0].NewestAt < now - _settings.Retention && _writer is null)
        {
            var only = _files[0];
            _files.Clear();
            Dropped += only.Count;
            File.Delete(only.Path);
            LogDropped(_logger, only.Count, only.FirstSeq, only.LastSeq);
        }
    }

    private void CloseWriter()
    {
        _writer?.Dispose();
        _writer = null;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            CloseWriter();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not archive batch {Seq} for replay: {Reason}")]
    private static partial void LogAppendFailed(ILogger logger, long seq, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped {Count} archived batches {First} to {Last} (older than the retention time, or over the size bound)")]
    private static partial void LogDropped(ILogger logger, int count, long first, long last);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete archive file {Path}: {Reason}")]
    private static partial void LogDeleteFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Archive file {Path}: cut at byte {Offset} of {Length}, after its last whole batch")]
    private static partial void LogCut(ILogger logger, string path, long offset, long length);

    /// <summary>One archive file: its seq range, size and newest batch time.</summary>
    private sealed class ArchiveFile(string path)
    {
        public string Path { get; } = path;

        public long FirstSeq { get; private set; }

        public long LastSeq { get; private set; }

        public int Count { get; private set; }

        public long Bytes { get; set; }

        /// <summary>Bytes holding whole, valid batches (what readers read).</summary>
        public long ValidLength => Bytes;

        public DateTimeOffset NewestAt { get; private set; }

        public DateTimeOffset OldestAt { get; private set; }

        public void Added(long seq, int size, DateTimeOffset at)
        {
            if (Count == 0)
            {
                FirstSeq = seq;
                OldestAt = at;
            }

            LastSeq = seq;
            Count++;
            Bytes += size;
            NewestAt = at;
        }

        /// <summary>Reads a file back; whatever follows the last whole, valid batch is cut off.</summary>
        public static ArchiveFile Scan(string path, ILogger logger)
        {
            var file = new ArchiveFile(path);
            long valid = 0;
            foreach (var batch in ReadRecords(path, long.MaxValue))
            {
                file.Added(batch.Seq, RecordFormat.SizeOf(batch.Record.Length), batch.QueuedAt);
                valid += RecordFormat.SizeOf(batch.Record.Length);
            }

            var length = new FileInfo(path).Length;
            if (valid < length)
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
                stream.SetLength(valid);
                LogCut(logger, path, valid, length);
            }

            file.Bytes = valid;
            return file;
        }

        /// <summary>The whole, valid batches of a file up to <paramref name="limit"/> bytes, stopping at the first that is not.</summary>
        public static IEnumerable<ArchivedBatch> ReadRecords(string path, long limit)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var header = new byte[RecordFormat.HeaderSize];
            long position = 0;
            while (position + RecordFormat.HeaderSize <= Math.Min(limit, stream.Length))
            {
                stream.Position = position;
                stream.ReadExactly(header);
                if (!RecordFormat.TryReadHeader(header, out var parsed) || position + parsed.RecordSize > Math.Min(limit, stream.Length))
                {
                    yield break;
                }

                var payload = new byte[parsed.PayloadLength];
                stream.ReadExactly(payload);
                if (!parsed.Matches(payload))
                {
                    yield break;
                }

                yield return new ArchivedBatch(parsed.Id, DateTimeOffset.FromUnixTimeMilliseconds(parsed.EnqueuedAtUnixMs), payload);
                position += parsed.RecordSize;
            }
        }
    }
}
