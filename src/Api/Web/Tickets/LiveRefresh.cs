namespace Telemetry.Api.Web.Tickets;

/// <summary>
/// Reads a page's view again after live changes, at most once per <c>interval</c>: changes that come while a read runs
/// or during the pause after it are taken together by one more read, so a burst of changes costs a few renders, not one each.
/// </summary>
public sealed class LiveRefresh(Func<Task> refresh, TimeSpan interval) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private bool _running;
    private bool _pending;

    /// <summary>Asks for a read; returns at once.</summary>
    public void Request()
    {
        lock (_gate)
        {
            _pending = true;
            if (_running || _stop.IsCancellationRequested)
            {
                return;
            }

            _running = true;
        }

        _ = Task.Run(RunAsync);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stop.Cancel();
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            lock (_gate)
            {
                if (!_pending || _stop.IsCancellationRequested)
                {
                    _running = false;
                    return;
                }

                _pending = false;
            }

            try
            {
                try
                {
                    await refresh();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A failed read (the page gone, the store busy) leaves the view as it was; the next change reads again.
                }

                await Task.Delay(interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                lock (_gate)
                {
                    _running = false;
                }

                return;
            }
        }
    }
}
