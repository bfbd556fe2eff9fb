using Microsoft.Extensions.Logging;
using Telemetry.Contracts.Validation;
using Telemetry.Hosting;
using Telemetry.Hosting.DeadLetters;
using Telemetry.Mqtt;

namespace Telemetry.Ingest.Consuming;

/// <summary>
/// Sets a refused message aside: counts its reasons and writes its dead letter, whole, retrying while the file
/// cannot be written (a full disk, a directory gone), because its message may be acknowledged only once the letter
/// is on disk. While it retries, health says so.
/// </summary>
public sealed class DeadLetterWriter(DeadLetterSink sink, IngestStatistics statistics, ConsumerProgress progress, TimeProvider clock, ILogger<DeadLetterWriter> logger)
{
    private const string Writing = "write a dead letter";

    /// <summary>A task that completes once the dead letter is written; it fails only when the letter can never be written, or on shutdown.</summary>
    public Task WriteAsync(MqttReceivedMessage message, IReadOnlyList<Rejection> rejections, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(rejections);
        foreach (var rejection in rejections)
        {
            statistics.Rejected(rejection.Reason);
        }

        return Persistently.UntilDoneAsync(
            ct => sink.WriteAsync(message.Message.Topic, message.Message.Payload, rejections, ct),
            Writing,
            logger,
            clock,
            cancellationToken,
            isTransient: IsTransient,
            progress: progress);
    }

    /// <summary>Failures of the file that go away when the disk or the directory is fixed; anything else would fail again.</summary>
    public static bool IsTransient(Exception exception) => exception is IOException or UnauthorizedAccessException;
}
