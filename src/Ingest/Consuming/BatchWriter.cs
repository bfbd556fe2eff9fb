using System.Text.Json;
using Microsoft.Extensions.Logging;
using Telemetry.Contracts.Validation;
using Telemetry.Hosting;
using Telemetry.InfluxDb;
using Telemetry.Ingest.Storage;

namespace Telemetry.Ingest.Consuming;

/// <summary>
/// Stores the points of a write in InfluxDB, whatever it takes, and tells health how it goes. Failures that are not
/// the data's fault are retried with back-off until they pass, however long: InfluxDB down or failing (degraded,
/// unhealthy once it lasts), or refusing for a reason only an operator can fix, a database missing or credentials
/// refused (unhealthy at once). Only what InfluxDB refuses for the points themselves is set aside: a write it finds
/// too large is split in two along message boundaries until the parts pass, and a write it refuses (400) is sent
/// again message by message, so that only the guilty messages are dead-lettered.
/// </summary>
public sealed partial class BatchWriter(
    InfluxClient influx,
    InfluxSettings settings,
    DeadLetterWriter deadLetters,
    IngestStatistics statistics,
    ConsumerProgress progress,
    TimeProvider clock,
    ILogger<BatchWriter> logger)
{
    private const string Writing = "write to InfluxDB";
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly Func<Exception, bool> _isRetried = ex => WriteFailure.Of(ex, settings.Database).IsRetried;

    /// <summary>Makes the database (<see cref="InfluxSettings.CreateDatabase"/>), retrying until InfluxDB takes it.</summary>
    public async Task CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        await Persistently.UntilDoneAsync(
            async ct =>
            {
                await influx.CreateDatabaseAsync(settings.Database, ct);
                return true;
            },
            $"create the database '{settings.Database}'",
            logger,
            clock,
            cancellationToken,
            MaxRetryDelay,
            onFailure: BlockWhenOperatorNeeded,
            progress: progress);
        progress.Blocked(null);
    }

    /// <summary>Stores the points of <paramref name="pending"/>, dead-lettering the messages InfluxDB will not take; returns once that is done.</summary>
    public async Task StoreAsync(PendingWrite pending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        if (pending.Batch is not { } batch)
        {
            return;
        }

        var started = clock.GetTimestamp();
        await StoreAsync(batch.Body, pending.Messages, 0, pending.Messages.Length, cancellationToken);
        statistics.Written(batch.PointCount, pending.Readings, clock.GetElapsedTime(started), clock.GetUtcNow() - pending.OldestReading);
    }

    /// <summary>Stores the points of messages [from, to), which lie one after the other in <paramref name="body"/>.</summary>
    private async Task StoreAsync(ReadOnlyMemory<byte> body, HeldMessage[] messages, int from, int to, CancellationToken cancellationToken)
    {
        var points = body[messages[from].Points.Start..messages[to - 1].Points.End];
        if (await WriteAsync(points, cancellationToken) is not { } failure)
        {
            return;
        }

        var part = messages[from..to];
        var holding = part.Count(static m => !m.Points.IsEmpty);
        if (holding > 1 && failure.Kind == WriteFailureKind.TooLarge)
        {
            var middle = from + PointRange.Halve([.. part.Select(static m => m.Points)]);
            LogSplitting(logger, points.Length, to - from, failure.Reason);
            await StoreAsync(body, messages, from, middle, cancellationToken);
            await StoreAsync(body, messages, middle, to, cancellationToken);
            return;
        }

        if (holding > 1)
        {
            // Find the messages InfluxDB cannot take by writing each on its own: the good ones are stored (again,
            // harmlessly: a point written twice is one point), the bad ones go to dead letters rather than round forever.
            LogIsolating(logger, points.Length, to - from, failure.Reason);
            for (var i = from; i < to; i++)
            {
                if (!messages[i].Points.IsEmpty)
                {
                    await StoreAsync(body, messages, i, i + 1, cancellationToken);
                }
            }

            return;
        }

        var guilty = part.First(static m => !m.Points.IsEmpty);
        var rejection = failure.Kind == WriteFailureKind.TooLarge
            ? new Rejection(RejectionReason.TooLarge, $"{failure.Reason}: its {points.Length} bytes of points are more than InfluxDB takes in one write")
            : new Rejection(RejectionReason.RejectedByDatabase, failure.Reason);
        await deadLetters.WriteAsync(guilty.Message, [rejection], cancellationToken);
    }

    /// <summary>Writes until InfluxDB answers about the points: null when it stored them, the refusal when it will not.</summary>
    private async Task<WriteFailure?> WriteAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        try
        {
            await Persistently.UntilDoneAsync(
                async ct =>
                {
                    await influx.WriteAsync(body, ct);
                    return true;
                },
                Writing,
                logger,
                clock,
                cancellationToken,
                MaxRetryDelay,
                onFailure: WriteFailed,
                isTransient: _isRetried,
                progress: progress);
            progress.Blocked(null);
            return null;
        }
        catch (InfluxWriteException ex) when (WriteFailure.Of(ex, settings.Database) is { IsRetried: false } failure)
        {
            // InfluxDB answered about the points, so it is there and takes Ingest's writes (the retry helper has ended
            // the run of retries).
            progress.Blocked(null);
            return failure;
        }
    }

    private void WriteFailed(Exception exception)
    {
        statistics.WriteFailed();
        BlockWhenOperatorNeeded(exception);
    }

    private void BlockWhenOperatorNeeded(Exception exception)
    {
        if (WriteFailure.Of(exception, settings.Database) is { Kind: WriteFailureKind.NeedsOperator } failure)
        {
            progress.Blocked(failure.Reason);
        }
    }

    /// <summary>
    /// Looks for the database the operator makes (no <see cref="InfluxSettings.CreateDatabase"/>) until it exists;
    /// while it does not, Ingest is unhealthy and says why. Returns on shutdown too.
    /// </summary>
    public async Task FindDatabaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Persistently.UntilDoneAsync(
                async ct =>
                {
                    var answer = await influx.QueryAsync("SHOW DATABASES", string.Empty, ct);
                    var names = answer.Series.SelectMany(s => s.Values).Where(row => row.Count > 0 && row[0].ValueKind == JsonValueKind.String).Select(row => row[0].GetString());
                    return names.Contains(settings.Database, StringComparer.Ordinal) ? true : throw new DatabaseMissingException(settings.Database);
                },
                $"find the database '{settings.Database}'",
                logger,
                clock,
                cancellationToken,
                MaxRetryDelay,
                onFailure: ex =>
                {
                    if (ex is DatabaseMissingException)
                    {
                        progress.Blocked($"InfluxDB: database '{settings.Database}' not found");
                    }
                    else
                    {
                        BlockWhenOperatorNeeded(ex);
                    }
                },
                progress: progress);
            progress.Blocked(null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private sealed class DatabaseMissingException(string database)
        : Exception($"InfluxDB has no database '{database}', and Influx:CreateDatabase is false: create it");

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB refused a write of {Bytes} bytes from {Messages} messages ({Reason}); writing them one message at a time")]
    private static partial void LogIsolating(ILogger logger, int bytes, int messages, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB refused a write of {Bytes} bytes from {Messages} messages as too large ({Reason}); writing it in two parts")]
    private static partial void LogSplitting(ILogger logger, int bytes, int messages, string reason);
}
