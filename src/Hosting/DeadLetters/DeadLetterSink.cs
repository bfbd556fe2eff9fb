using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Telemetry.Contracts.Validation;
using Telemetry.Mqtt;

namespace Telemetry.Hosting.DeadLetters;

/// <summary>The <c>DeadLetters</c> section of a consumer.</summary>
public sealed class DeadLetterSettings
{
    /// <summary>The dead-letter files (JSON lines), the date put before the extension: <c>deadletters/ingest-.jsonl</c>; empty for none.</summary>
    public string File { get; set; } = "deadletters/consumer-.jsonl";

    public long FileSizeLimitBytes { get; set; } = 16 * 1024 * 1024;

    public int RetainedFiles { get; set; } = 20;

    /// <summary>Where dead letters are published, under the MQTT root: <c>deadletter/ingest</c> gives <c>{root}/deadletter/ingest</c>.</summary>
    public string TopicSuffix { get; set; } = "deadletter/consumer";

    public IEnumerable<string> Validate()
    {
        if (FileSizeLimitBytes < 64 * 1024)
        {
            yield return $"DeadLetters:FileSizeLimitBytes {FileSizeLimitBytes} must be at least 64 KiB";
        }

        if (RetainedFiles is < 1 or > 10_000)
        {
            yield return $"DeadLetters:RetainedFiles {RetainedFiles} must be 1-10000";
        }

        if (string.IsNullOrWhiteSpace(TopicSuffix) || TopicSuffix.Contains('+', StringComparison.Ordinal) || TopicSuffix.Contains('#', StringComparison.Ordinal)
            || TopicSuffix.StartsWith('/') || TopicSuffix.EndsWith('/'))
        {
            yield return $"DeadLetters:TopicSuffix '{TopicSuffix}' must be topic levels without wildcards";
        }
    }
}

/// <summary>
/// Where refused messages go, whole, with their reasons: a file of JSON lines, one file a day and a new one at the
/// size limit, that an operator can read and replay, and an MQTT topic that tools can watch. The file is written
/// and flushed to disk before <see cref="WriteAsync"/> returns; a message must be acknowledged only after that, so
/// a dead letter that could not be written throws and leaves its message with the broker. The topic is a courtesy:
/// a publish that fails is logged, not retried.
/// </summary>
public sealed partial class DeadLetterSink : IAsyncDisposable
{
    private readonly IMqttClient _mqtt;
    private readonly DeadLetterSettings _settings;
    private readonly string _topic;
    private readonly TimeProvider _clock;
    private readonly ILogger<DeadLetterSink> _logger;
    private readonly SemaphoreSlim _fileGate = new(1, 1);
    private readonly string? _directory;
    private readonly string _prefix = "";
    private readonly string _extension = "";
    private FileStream? _file;
    private string? _filePath;
    private string? _fileDate;
    private int _fileIndex;

    public DeadLetterSink(IMqttClient mqtt, DeadLetterSettings settings, string root, TimeProvider clock, ILogger<DeadLetterSink> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _mqtt = mqtt;
        _settings = settings;
        _topic = $"{root}/{settings.TopicSuffix}";
        _clock = clock;
        _logger = logger;
        if (!string.IsNullOrWhiteSpace(settings.File))
        {
            var path = Path.GetFullPath(settings.File, AppContext.BaseDirectory);
            _directory = Path.GetDirectoryName(path)!;
            _prefix = Path.GetFileNameWithoutExtension(path);
            _extension = Path.GetExtension(path);
        }
    }

    /// <summary>Writes the dead letter to its file (flushed to disk) and publishes it; throws when the file could not be written.</summary>
    public async Task WriteAsync(string topic, ReadOnlyMemory<byte> payload, IReadOnlyList<Rejection> rejections, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejections);
        var letter = Render(topic, payload, rejections);
        if (_directory is not null)
        {
            await AppendAsync(letter, cancellationToken).ConfigureAwait(false);
        }

        foreach (var rejection in rejections)
        {
            LogDeadLetter(_logger, topic, rejection.ReasonName, rejection.Detail);
        }

        try
        {
            var result = await _mqtt.PublishAsync(
                new MqttApplicationMessage
                {
                    Topic = _topic,
                    Payload = letter,
                    QualityOfService = MqttQualityOfService.AtLeastOnce,
                    ContentType = "application/json",
                },
                cancellationToken).ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                LogPublishRefused(_logger, _topic, result.ReasonCode.ToString());
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            LogPublishRefused(_logger, _topic, ex.Message);
        }
    }

    private async Task AppendAsync(byte[] letter, CancellationToken cancellationToken)
    {
        await _fileGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var file = OpenFile(letter.Length + 1);
            try
            {
                await file.WriteAsync(letter, cancellationToken).ConfigureAwait(false);
                file.WriteByte((byte)'\n');
                file.Flush(flushToDisk: true);
            }
            catch
            {
                // A half-written line must not join the next letter: the next write starts a fresh file.
                await CloseFileAsync().ConfigureAwait(false);
                _fileIndex++;
                throw;
            }
        }
        finally
        {
            _fileGate.Release();
        }
    }

    private FileStream OpenFile(int bytes)
    {
        var date = _clock.GetUtcNow().ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        // A file removed or moved away under us (an operator cleaning up) would swallow letters without an error.
        if (_file is not null && !File.Exists(_filePath))
        {
            _file.Dispose();
            _file = null;
        }

        if (_file is not null && (_fileDate != date || _file.Length + bytes > _settings.FileSizeLimitBytes))
        {
            _file.Dispose();
            _file = null;
            _fileIndex = _fileDate == date ? _fileIndex + 1 : 0;
        }

        if (_file is null)
        {
            Directory.CreateDirectory(_directory!);
            _fileDate = date;
            while (true)
            {
                var name = Path.Combine(_directory!, $"{_prefix}{date}{(_fileIndex == 0 ? "" : $"_{_fileIndex:000}")}{_extension}");
                var file = new FileStream(name, FileMode.Append, FileAccess.Write, FileShare.Read);
                if (file.Length + bytes <= _settings.FileSizeLimitBytes || file.Length == 0)
                {
                    _file = file;
                    _filePath = name;
                    break;
                }

                file.Dispose();
                _fileIndex++;
            }

            DeleteOldFiles();
        }

        return _file;
    }

    private void DeleteOldFiles()
    {
        var files = new DirectoryInfo(_directory!).GetFiles($"{_prefix}*{_extension}")
            .OrderByDescending(f => f.Name, StringComparer.Ordinal)
            .Skip(_settings.RetainedFiles);
        foreach (var old in files)
        {
            try
            {
                old.Delete();
            }
            catch (IOException ex)
            {
                LogDeleteFailed(_logger, old.FullName, ex.Message);
            }
        }
    }

    private async ValueTask CloseFileAsync()
    {
        if (_file is { } file)
        {
            _file = null;
            await file.DisposeAsync().ConfigureAwait(false);
        }
    }

    private byte[] Render(string topic, ReadOnlyMemory<byte> payload, IReadOnlyList<Rejection> rejections)
    {
        using var stream = new MemoryStream(payload.Length + 512);
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("received", _clock.GetUtcNow());
            writer.WriteString("topic", topic);
            writer.WriteStartArray("rejections");
            foreach (var rejection in rejections)
            {
                writer.WriteStartObject();
                writer.WriteString("reason", rejection.ReasonName);
                writer.WriteString("detail", rejection.Detail);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteNumber("payload_bytes", payload.Length);

            // The whole payload, so that it can be replayed once its cause is fixed: as text when it is UTF-8.
            if (System.Text.Unicode.Utf8.IsValid(payload.Span))
            {
                writer.WriteString("payload", payload.Span);
            }
            else
            {
                writer.WriteBase64String("payload_base64", payload.Span);
            }

            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _fileGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await CloseFileAsync().ConfigureAwait(false);
        }
        finally
        {
            _fileGate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead letter from {Topic}: {Reason} {Detail}")]
    private static partial void LogDeadLetter(ILogger logger, string topic, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "The dead letter was not published on {Topic}: {Reason}")]
    private static partial void LogPublishRefused(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the old dead-letter file {File}: {Reason}")]
    private static partial void LogDeleteFailed(ILogger logger, string file, string reason);
}
