namespace Telemetry.Rules.Alerts;

/// <summary>
/// Wakes the alert dispatcher as soon as a ticket change has stored notifications, so that a crew hears of a
/// fault within the second rather than at the next poll.
/// </summary>
public sealed class AlertSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers every change since.
        }
    }

    /// <summary>Returns when notified or when <paramref name="timeout"/> has passed.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signalled = _signal.WaitAsync(either.Token);
        var elapsed = Task.Delay(timeout, clock, either.Token);
        await Task.WhenAny(signalled, elapsed).ConfigureAwait(false);
        await either.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(signalled, elapsed).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
