using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Telemetry.Ingest.Validation;
using Telemetry.Mqtt;

namespace Telemetry.Ingest.DeadLetters;

/// <summary>The <c>DeadLetters</c> section.</summary>
public sealed class DeadLetterSettings
{
    /// <summary>The rolling file of dead letters (JSON lines); empty for none.</summary>
    public string File { get; set; } = "deadletters/ingest-.jsonl";

    public long FileSizeLimitBytes { get; set; } = 16 * 1024 * 1024;

    public int RetainedFiles { get; set; } = 20;

    /// <summary>Where dead letters are published, under the MQTT root: <c>{root}/deadletter/ingest</c>.</summary>
    public string TopicSuffix { get; set; } = "deadletter/ingest";

    /// <summary>How much of the refused payload a dead letter quotes.</summary>
    public int MaxQuotedBytes { get; set; } = 16 * 1024;
}

/// <summary>
/// Where refused messages go, with their reasons: a rolling file that an operator can read and replay, and an
/// MQTT topic that tools can watch. A message is acknowledged only after its dead letter is written.
/// </summary>
public sealed partial class DeadLetterSink : IAsyncDisposable
{
    private readonly IMqttClient _mqtt;
    private readonly DeadLetterSettings _settings;
    private readonly string _topic;
    private readonly TimeProvider _clock;
    private readonly ILogger<DeadLetterSink> _logger;
    private readonly Logger? _file;

    public DeadLetterSink(IMqttClient mqtt, DeadLetterSettings settings, string root, TimeProvider clock, ILogger<DeadLetterSink> logger)
    {
        _mqtt = mqtt;
        _settings = settings;
        _topic = $"{root}/{settings.TopicSuffix}";
        _clock = clock;
        _logger = logger;
        if (!string.IsNullOrWhiteSpace(settings.File))
        {
            _file = new LoggerConfiguration()
                .WriteTo.File(
                    Path.GetFullPath(settings.File, AppContext.BaseDirectory),
                    outputTemplate: "{Json:l}{NewLine}",
                    rollingInterval: RollingInterval.Day,
                    rollOnFileSizeLimit: true,
                    fileSizeLimitBytes: settings.FileSizeLimitBytes,
                    retainedFileCountLimit: settings.RetainedFiles,
                    flushToDiskInterval: null)
                .CreateLogger();
        }
    }

    public async Task WriteAsync(string topic, ReadOnlyMemory<byte> payload, IReadOnlyList<Rejection> rejections, CancellationToken cancellationToken)
    {
        var letter = Render(topic, payload, rejections);
        _file?.Information("{Json}", Encoding.UTF8.GetString(letter));
        foreach (var rejection in rejections)
        {
            LogDeadLetter(_logger, topic, rejection.Reason, rejection.Detail);
        }

        var result = await _mqtt.PublishAsync(
            new MqttApplicationMessage
            {
                Topic = _topic,
                Payload = letter,
                QualityOfService = MqttQualityOfService.AtLeastOnce,
                ContentType = "application/json",
            },
            cancellationToken);
        if (!result.IsSuccess)
        {
            LogPublishRefused(_logger, _topic, result.ReasonCode.ToString());
        }
    }

    private byte[] Render(string topic, ReadOnlyMemory<byte> payload, IReadOnlyList<Rejection> rejections)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("received", _clock.GetUtcNow());
            writer.WriteString("topic", topic);
            writer.WriteStartArray("rejections");
            foreach (var rejection in rejections)
            {
                writer.WriteStartObject();
                writer.WriteString("reason", ReasonName(rejection.Reason));
                writer.WriteString("detail", rejection.Detail);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteNumber("payload_bytes", payload.Length);
            var quoted = payload.Span[..Math.Min(payload.Length, _settings.MaxQuotedBytes)];
            if (payload.Length <= _settings.MaxQuotedBytes && System.Text.Unicode.Utf8.IsValid(quoted))
            {
                writer.WriteString("payload", quoted);
            }
            else
            {
                writer.WriteBase64String("payload_base64", quoted);
                writer.WriteBoolean("payload_truncated", payload.Length > quoted.Length);
            }

            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>The reason as written in dead letters and health counters: <c>timestamp_out_of_range</c>.</summary>
    public static string ReasonName(RejectionReason reason) => JsonNamingPolicy.SnakeCaseLower.ConvertName(reason.ToString());

    public ValueTask DisposeAsync()
    {
        _file?.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead letter from {Topic}: {Reason} {Detail}")]
    private static partial void LogDeadLetter(Microsoft.Extensions.Logging.ILogger logger, string topic, RejectionReason reason, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "The broker refused the dead letter on {Topic}: {ReasonCode}")]
    private static partial void LogPublishRefused(Microsoft.Extensions.Logging.ILogger logger, string topic, string reasonCode);
}
