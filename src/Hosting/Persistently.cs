using Microsoft.Extensions.Logging;

namespace Telemetry.Hosting;

/// <summary>
/// Retries an operation on a peer that may be down (a broker, a database) with doubling delays, logging each
/// failure, until it succeeds or the service stops. For the start of a service, where giving up helps nobody.
/// </summary>
public static partial class Persistently
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);

    public static async Task<T> UntilDoneAsync<T>(
        Func<CancellationToken, Task<T>> operation,
        string what,
        ILogger logger,
        TimeProvider clock,
        CancellationToken cancellationToken,
        TimeSpan? maxDelay = null,
        Action<Exception>? onFailure = null)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var ceiling = maxDelay ?? TimeSpan.FromSeconds(10);
        var delay = FirstDelay;
        while (true)
        {
            try
            {
                return await operation(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                onFailure?.Invoke(ex);
                LogRetrying(logger, what, delay, ex.Message);
                await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, ceiling.Ticks));
            }
        }
    }

    public static Task UntilDoneAsync(
        Func<CancellationToken, Task> operation,
        string what,
        ILogger logger,
        TimeProvider clock,
        CancellationToken cancellationToken) =>
        UntilDoneAsync(
            async ct =>
            {
                await operation(ct).ConfigureAwait(false);
                return true;
            },
            what,
            logger,
            clock,
            cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not {Operation}, retrying in {Delay}: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string operation, TimeSpan delay, string reason);
}
