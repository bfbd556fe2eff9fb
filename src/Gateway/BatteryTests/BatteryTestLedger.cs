using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Telemetry.Contracts;
using Telemetry.Gateway.Buffering;

namespace Telemetry.Gateway.BatteryTests;

/// <summary>
/// The gateway's record of the emergency tests it saw start and end (by schedule or command) and of postponements,
/// on disk so that a restart neither repeats a test nor forgets one that is due.
/// </summary>
/// <remarks>
/// An append-only file of JSON lines, one per happening (<c>started</c>, <c>finished</c>, <c>postponed</c>), each
/// flushed when written. Opening replays the lines it can read; a line it cannot (torn by a crash, edited by hand)
/// is logged with its number and counted, and the rest still count. The file is then rewritten from what was read,
/// through a rename, when it held a bad line or has grown long.
/// </remarks>
public sealed partial class BatteryTestLedger : IDisposable
{
    private const int CompactAfterLines = 2000;
    private readonly Dictionary<string, UnitTestHistory> _units = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly ILogger _logger;
    private FileStream _file;
    private int _lines;

    private BatteryTestLedger(string path, ILogger logger)
    {
        _path = path;
        _logger = logger;
        _file = null!;
    }

    /// <summary>Lines of the file that could not be read when it was opened.</summary>
    public int CorruptLines { get; private set; }

    /// <summary>Opens (or creates) the ledger at <paramref name="path"/>.</summary>
    public static BatteryTestLedger Open(string path, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(logger);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var ledger = new BatteryTestLedger(path, logger);
        var lines = File.Exists(path) ? File.ReadAllLines(path, Encoding.UTF8) : [];
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            if (ledger.Replay(lines[i]) is { } problem)
            {
                ledger.CorruptLines++;
                LogBadLine(logger, path, i + 1, problem);
            }
        }

        ledger._lines = lines.Length;
        if (ledger.CorruptLines > 0 || lines.Length > CompactAfterLines)
        {
            ledger.Compact();
        }

        ledger._file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        return ledger;
    }

    /// <summary>What is known of <paramref name="unit"/>.</summary>
    public UnitTestHistory For(string unit)
    {
        lock (_gate)
        {
            return _units.GetValueOrDefault(unit, UnitTestHistory.None);
        }
    }

    /// <summary>A test of <paramref name="unit"/> started; its postponement, if any, is over.</summary>
    public void Started(string unit, BatteryTestKind kind, string trigger, DateTimeOffset at) =>
        Append(unit, at, "started", ("test", kind.EventName()), ("trigger", trigger));

    /// <summary>A test of <paramref name="unit"/> ended with <paramref name="outcome"/> (passed, failed, aborted, not_started).</summary>
    public void Finished(string unit, BatteryTestKind kind, string outcome, DateTimeOffset at) =>
        Append(unit, at, "finished", ("test", kind.EventName()), ("outcome", outcome));

    /// <summary>Records that <paramref name="unit"/>'s due test is put off for <paramref name="reason"/>; false when that was already the record.</summary>
    public bool Postponed(string unit, string reason, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (_units.GetValueOrDefault(unit)?.Postponed == reason)
            {
                return false;
            }

            AppendLocked(unit, at, "postponed", [("reason", reason)]);
            return true;
        }
    }

    private void Append(string unit, DateTimeOffset at, string what, params (string Name, string Value)[] fields)
    {
        lock (_gate)
        {
            AppendLocked(unit, at, what, fields);
        }
    }

    private void AppendLocked(string unit, DateTimeOffset at, string what, (string Name, string Value)[] fields)
    {
        _file.Write(Line(unit, at, what, fields));
        _file.Flush(flushToDisk: true);
        _lines++;
        Apply(unit, at, what, fields.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal));
    }

    private static byte[] Line(string unit, DateTimeOffset at, string what, IEnumerable<(string Name, string Value)> fields)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("unit", unit);
            writer.WriteString("at", at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            writer.WriteString("what", what);
            foreach (var (name, value) in fields)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Applies one line of the file; the problem when it cannot be read.</summary>
    private string? Replay(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return "not a JSON object";
            }

            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    fields[property.Name] = property.Value.GetString()!;
                }
            }

            if (!fields.TryGetValue("unit", out var unit) || !Identifiers.IsValid(unit))
            {
                return "no valid 'unit'";
            }

            if (!fields.TryGetValue("at", out var atText) || !DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at))
            {
                return "no 'at' time";
            }

            if (!fields.TryGetValue("what", out var what) || what is not ("started" or "finished" or "postponed"))
            {
                return "'what' is none of started, finished, postponed";
            }

            if (what != "postponed" && (!fields.TryGetValue("test", out var test) || BatteryTestKinds.FromEventName(test) is null))
            {
                return "'test' is none of function, one_hour, duration";
            }

            Apply(unit, at, what, fields);
            return null;
        }
        catch (JsonException ex)
        {
            return $"not JSON ({ex.Message})";
        }
    }

    private void Apply(string unit, DateTimeOffset at, string what, Dictionary<string, string> fields)
    {
        var history = _units.GetValueOrDefault(unit, UnitTestHistory.None);
        var kind = fields.TryGetValue("test", out var test) ? BatteryTestKinds.FromEventName(test) : null;
        var discharge = kind is BatteryTestKind.Duration or BatteryTestKind.OneHour;
        _units[unit] = what switch
        {
            "started" => history with
            {
                LastStarted = at,
                Postponed = null,
                DischargeStarted = discharge ? at : history.DischargeStarted,
            },
            "finished" => Finished(history, kind!.Value, fields.GetValueOrDefault("outcome"), at, discharge),
            _ => history with { Postponed = fields.GetValueOrDefault("reason") },
        };
    }

    private static UnitTestHistory Finished(UnitTestHistory history, BatteryTestKind kind, string? outcome, DateTimeOffset at, bool discharge)
    {
        var ended = discharge && outcome != "not_started" ? history with { DischargeEnded = at } : history;
        if (outcome is not ("passed" or "failed"))
        {
            return ended;
        }

        ended = ended with { LastFailed = outcome == "failed" };
        return kind switch
        {
            BatteryTestKind.Duration => ended with { LastFullDuration = at },
            BatteryTestKind.OneHour => ended with { LastOneHour = at },
            _ => ended with { LastFunction = at },
        };
    }

    // The state as lines that replay to it: the latest end of each kind, then the open start and the postponement.
    private void Compact()
    {
        using var content = new MemoryStream();
        foreach (var (unit, h) in _units.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            var ends = new List<(DateTimeOffset At, BatteryTestKind Kind)>();
            if (h.LastFunction is { } f)
            {
                ends.Add((f, BatteryTestKind.Function));
            }

            if (h.LastOneHour is { } o)
            {
                ends.Add((o, BatteryTestKind.OneHour));
            }

            if (h.LastFullDuration is { } d)
            {
                ends.Add((d, BatteryTestKind.Duration));
            }

            var last = ends.Count == 0 ? default : ends.MaxBy(e => e.At);
            foreach (var (at, kind) in ends.OrderBy(e => e.At))
            {
                var outcome = h.LastFailed && (at, kind) == last ? "failed" : "passed";
                content.Write(Line(unit, at, "finished", [("test", kind.EventName()), ("outcome", outcome)]));
            }

            if (h.DischargeStarted is { } started)
            {
                content.Write(Line(unit, started, "started", [("test", BatteryTestKind.Duration.EventName()), ("trigger", BatteryTestNames.Schedule)]));
                if (h.DischargeEnded is { } ended && ended >= started)
                {
                    content.Write(Line(unit, ended, "finished", [("test", BatteryTestKind.Duration.EventName()), ("outcome", "aborted")]));
                }
            }

            if (h.LastStarted is { } lastStarted && lastStarted != h.DischargeStarted)
            {
                content.Write(Line(unit, lastStarted, "started", [("test", BatteryTestKind.Function.EventName()), ("trigger", BatteryTestNames.Schedule)]));
            }

            if (h.Postponed is { } reason)
            {
                content.Write(Line(unit, h.LastStarted ?? DateTimeOffset.UnixEpoch, "postponed", [("reason", reason)]));
            }
        }

        DurableFiles.ReplaceAtomically(_path, content.ToArray(), flushToDisk: true);
        _lines = _units.Count;
    }

    public void Dispose() => _file?.Dispose();

    [LoggerMessage(Level = LogLevel.Error, Message = "Battery-test ledger {Path} line {Line} is unreadable and skipped: {Problem}")]
    private static partial void LogBadLine(ILogger logger, string path, int line, string problem);
}
