using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Telemetry.Contracts;
using Telemetry.Gateway.Buffering;

namespace Telemetry.Gateway.Commands;

/// <summary>What remembering a command's id found.</summary>
public enum RememberResult
{
    /// <summary>A new id, now on disk: the command may be carried out.</summary>
    Remembered,

    /// <summary>The id was taken before and has not expired: the command is a replay.</summary>
    Replayed,

    /// <summary>As many unexpired ids are held as the gateway keeps: the command cannot be told from a replay later.</summary>
    Full,
}

/// <summary>
/// The ids of the commands the gateway took, each kept until its command expires, so that a command replayed (by a
/// requester, by the broker redelivering, or by anyone on the command topic) is refused, after a restart too. An id
/// is on disk before its command is carried out. A command cannot live longer than the gateway's maximum lifetime,
/// which bounds how long an id is kept; the count is capped as well.
/// </summary>
/// <remarks>
/// An append-only file of records <c>[id length u8][id ASCII][expires Unix ms s64][CRC-32C u32]</c>, each flushed to
/// disk when written. Opening reads records up to the first unreadable one (a write torn by a crash: its command was
/// never carried out) and rewrites the file with the unexpired ones through a rename; it is rewritten the same way
/// when expired records outnumber the live ones.
/// </remarks>
public sealed partial class SeenCommandIds : IDisposable
{
    private const int MaxRecordBytes = 1 + Identifiers.MaxLength + 8 + 4;
    private readonly Dictionary<string, DateTimeOffset> _ids = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly int _capacity;
    private SafeFileHandle _file;
    private long _length;
    private int _records;

    private SeenCommandIds(string path, int capacity)
    {
        _path = path;
        _capacity = capacity;
        _file = null!;
    }

    /// <summary>Ids held now, expired ones not yet pruned included.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _ids.Count;
            }
        }
    }

    /// <summary>Opens (or creates) the file at <paramref name="path"/>, keeping the ids that have not expired at <paramref name="now"/>.</summary>
    public static SeenCommandIds Open(string path, int capacity, DateTimeOffset now, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentNullException.ThrowIfNull(logger);
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var seen = new SeenCommandIds(fullPath, capacity);
        var (read, torn) = File.Exists(fullPath) ? Read(File.ReadAllBytes(fullPath)) : ([], false);
        if (torn)
        {
            LogTornTail(logger, fullPath, read.Count);
        }

        foreach (var (id, expires) in read)
        {
            if (expires > now)
            {
                seen._ids[id] = expires;
            }
        }

        seen.Rewrite();
        return seen;
    }

    /// <summary>Remembers <paramref name="id"/> until <paramref name="expires"/>, on disk before it returns, unless it was seen or the memory is full.</summary>
    public RememberResult Remember(string id, DateTimeOffset expires, DateTimeOffset now)
    {
        if (!Identifiers.IsValid(id))
        {
            throw new ArgumentException($"command id '{id}' is not {CommandEnvelope.IdRule}", nameof(id));
        }

        lock (_gate)
        {
            if (_ids.TryGetValue(id, out var until) && until > now)
            {
                return RememberResult.Replayed;
            }

            if (_ids.Count >= _capacity)
            {
                Prune(now);
                if (_ids.Count >= _capacity)
                {
                    return RememberResult.Full;
                }
            }

            Span<byte> record = stackalloc byte[MaxRecordBytes];
            var length = Encode(record, id, expires);
            RandomAccess.Write(_file, record[..length], _length);
            RandomAccess.FlushToDisk(_file);
            _length += length;
            _records++;
            _ids[id] = expires;
            if (_records > 1024 && _records > 2 * _ids.Count)
            {
                Prune(now);
            }

            return RememberResult.Remembered;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file.Dispose();
        }
    }

    // Expired ids leave memory; the file is rewritten without them once they are most of it.
    private void Prune(DateTimeOffset now)
    {
        foreach (var (id, expires) in _ids)
        {
            if (expires <= now)
            {
                _ids.Remove(id);
            }
        }

        if (_records > 2 * _ids.Count)
        {
            Rewrite();
        }
    }

    private void Rewrite()
    {
        var content = new byte[_ids.Count * MaxRecordBytes];
        var length = 0;
        foreach (var (id, expires) in _ids)
        {
            length += Encode(content.AsSpan(length), id, expires);
        }

        _file?.Dispose();
        DurableFiles.ReplaceAtomically(_path, content.AsSpan(0, length), flushToDisk: true);
        _file = File.OpenHandle(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        _length = length;
        _records = _ids.Count;
    }

    private static int Encode(Span<byte> record, string id, DateTimeOffset expires)
    {
        record[0] = (byte)id.Length;
        var idBytes = Encoding.ASCII.GetBytes(id, record[1..]);
        var end = 1 + idBytes;
        BinaryPrimitives.WriteInt64LittleEndian(record[end..], expires.ToUnixTimeMilliseconds());
        end += 8;
        BinaryPrimitives.WriteUInt32LittleEndian(record[end..], Crc32C.Compute(record[..end]));
        return end + 4;
    }

    /// <summary>The records of a file, up to the first unreadable one; <c>Torn</c> when one was found.</summary>
    internal static (List<(string Id, DateTimeOffset Expires)> Records, bool Torn) Read(ReadOnlySpan<byte> content)
    {
        var records = new List<(string, DateTimeOffset)>();
        var offset = 0;
        while (offset < content.Length)
        {
            var rest = content[offset..];
            var idLength = rest[0];
            var length = 1 + idLength + 8 + 4;
            if (idLength is 0 or > Identifiers.MaxLength || rest.Length < length
                || BinaryPrimitives.ReadUInt32LittleEndian(rest[(length - 4)..]) != Crc32C.Compute(rest[..(length - 4)]))
            {
                return (records, true);
            }

            var id = Encoding.ASCII.GetString(rest.Slice(1, idLength));
            var expiresMs = BinaryPrimitives.ReadInt64LittleEndian(rest[(1 + idLength)..]);
            if (!Identifiers.IsValid(id) || expiresMs < 0 || expiresMs > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            {
                return (records, true);
            }

            records.Add((id, DateTimeOffset.FromUnixTimeMilliseconds(expiresMs)));
            offset += length;
        }

        return (records, false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command id file {Path} ends in an unreadable record (a write cut short); {Records} records before it kept")]
    private static partial void LogTornTail(ILogger logger, string path, int records);
}
