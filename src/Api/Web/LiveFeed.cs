using Telemetry.Api.Live;

namespace Telemetry.Api.Web;

/// <summary>
/// The live plant and ticket changes for one page connection: the same <see cref="LiveEvents"/> the event stream
/// fans out, read on this connection and handed to the pages that listen. A connection that falls behind is let go by
/// <see cref="LiveEvents"/>; it subscribes again and tells its pages to read everything anew (<see cref="Reset"/>).
/// </summary>
public sealed class LiveFeed : IAsyncDisposable
{
    private readonly LiveEvents _events;
    private readonly ILogger<LiveFeed> _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _reading;

    public LiveFeed(LiveEvents events, ILogger<LiveFeed> logger)
    {
        _events = events;
        _logger = logger;
    }

    /// <summary>A ticket or status change. Raised on the feed's own task: a page hands it to its renderer with <c>InvokeAsync</c>.</summary>
    public event Func<LiveEvent, Task>? Changed;

    /// <summary>Changes were missed: read the whole view again.</summary>
    public event Func<Task>? Reset;

    /// <summary>Starts reading on the first page that listens.</summary>
    public void Start()
    {
        _reading ??= Task.Run(() => ReadAsync(_stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_reading is not null)
        {
            await _reading.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        var first = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            var reader = _events.Subscribe(out _);
            try
            {
                if (!first)
                {
                    await RaiseAsync(Reset, h => h());
                }

                first = false;
                await foreach (var change in reader.ReadAllAsync(cancellationToken))
                {
                    await RaiseAsync(Changed, h => h(change));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                _events.Unsubscribe(reader);
            }
        }
    }

    private async Task RaiseAsync<THandler>(THandler? handlers, Func<THandler, Task> call)
        where THandler : Delegate
    {
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<THandler>())
        {
            try
            {
                await call(handler);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One page's failure does not stop the others' updates.
                _logger.LogWarning(e, "A page failed to take a live change");
            }
        }
    }
}
