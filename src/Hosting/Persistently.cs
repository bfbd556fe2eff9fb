using System.Net.Http;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Telemetry.Hosting;

/// <summary>
/// The one retry helper of the services. It retries an operation on a peer that may be down (a broker, a database)
/// with doubling delays until it succeeds or the service stops, and only while the failure is transient: a failure
/// that would happen again the same way (a refused message, a broken rule) is thrown to the caller at once, never
/// retried. The first failure of a run is a warning, the retries after it are debug, and the recovery is noted, so
/// a database down for an hour writes three lines, not a thousand. It holds no lock: callers must not hold one
/// that others need while it waits.
/// </summary>
public static partial class Persistently
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Failures of the network and of timeouts: a peer unreachable, a connection reset, an answer that did not come.
    /// Stores add their own (a database locked or unavailable) through the <c>isTransient</c> argument.
    /// </summary>
    public static bool IsNetworkFailure(Exception exception) => exception switch
    {
        HttpRequestException or SocketException or TimeoutException or IOException => true,
        TaskCanceledException or OperationCanceledException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsNetworkFailure),
        _ => exception.InnerException is { } inner && IsNetworkFailure(inner),
    };

    /// <param name="operation">What to do.</param>
    /// <param name="what">Its name for the log: "write to InfluxDB".</param>
    /// <param name="logger">Where failures are told.</param>
    /// <param name="clock">The clock the delays run on.</param>
    /// <param name="cancellationToken">Stops the retries.</param>
    /// <param name="maxDelay">The longest delay between tries (10 s unless told).</param>
    /// <param name="onFailure">Called on every transient failure, before the delay.</param>
    /// <param name="isTransient">Which failures are worth a retry; null for all of them (the start of a service, where giving up helps nobody).</param>
    /// <param name="progress">Told while retrying and when done, for health.</param>
    public static async Task<T> UntilDoneAsync<T>(
        Func<CancellationToken, Task<T>> operation,
        string what,
        ILogger logger,
        TimeProvider clock,
        CancellationToken cancellationToken,
        TimeSpan? maxDelay = null,
        Action<Exception>? onFailure = null,
        Func<Exception, bool>? isTransient = null,
        ConsumerProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(clock);
        var ceiling = maxDelay ?? TimeSpan.FromSeconds(10);
        var delay = FirstDelay;
        var failures = 0;
        var firstFailure = 0L;
        while (true)
        {
            try
            {
                var result = await operation(cancellationToken).ConfigureAwait(false);
                if (failures > 0)
                {
                    progress?.Recovered(what);
                    LogRecovered(logger, what, failures, clock.GetElapsedTime(firstFailure));
                }

                return result;
            }
            catch (Exception ex) when ((ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested) && (isTransient?.Invoke(ex) ?? true))
            {
                onFailure?.Invoke(ex);
                progress?.Retrying(what, ex.Message, firstOfRun: failures == 0);
                if (failures++ == 0)
                {
                    firstFailure = clock.GetTimestamp();
                    LogRetrying(logger, what, delay, ex.Message);
                }
                else
                {
                    LogRetryingAgain(logger, what, failures, delay, ex.Message);
                }

                await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, ceiling.Ticks));
            }
            catch when (failures > 0)
            {
                // Retried, then failed for good (or stopped): the run of retries is over either way.
                progress?.Recovered(what);
                throw;
            }
        }
    }

    public static Task UntilDoneAsync(
        Func<CancellationToken, Task> operation,
        string what,
        ILogger logger,
        TimeProvider clock,
        CancellationToken cancellationToken,
        Func<Exception, bool>? isTransient = null,
        ConsumerProgress? progress = null) =>
        UntilDoneAsync(
            async ct =>
            {
                await operation(ct).ConfigureAwait(false);
                return true;
            },
            what,
            logger,
            clock,
            cancellationToken,
            isTransient: isTransient,
            progress: progress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not {Operation}, retrying in {Delay} until it works: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string operation, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not {Operation} ({Failures} failures), retrying in {Delay}: {Reason}")]
    private static partial void LogRetryingAgain(ILogger logger, string operation, int failures, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could {Operation} again after {Failures} failures over {Elapsed}")]
    private static partial void LogRecovered(ILogger logger, string operation, int failures, TimeSpan elapsed);
}
