using System.Threading.Channels;
using Telemetry.Api.Live;

namespace Telemetry.Api.Web.Operator;

/// <summary>
/// Keeps a view fresh: reads it again when the live feed tells of a change it cares for, when the feed was reset, and
/// every <c>period</c> besides (readings are not events, and a deadline passes without any). Changes that come in a
/// burst are read once: at most one read per gap (<see cref="MinGap"/> unless the view asks for a longer one).
/// </summary>
public sealed class LiveRefresh : IAsyncDisposable
{
    public static readonly TimeSpan MinGap = TimeSpan.FromMilliseconds(250);

    private readonly LiveFeed _feed;
    private readonly Func<LiveEvent, bool> _wants;
    private readonly Func<Task> _refresh;
    private readonly TimeSpan _period;
    private readonly TimeSpan _gap;
    private readonly ILogger _logger;
    private readonly Channel<bool> _kicks = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <param name="feed">The connection's live feed.</param>
    /// <param name="wants">Which changes make the view read again.</param>
    /// <param name="refresh">Reads the view again and renders it (through the component's <c>InvokeAsync</c>).</param>
    /// <param name="period">How often the view is read without a change.</param>
    /// <param name="logger">Where a failed read is told.</param>
    /// <param name="gap">The least time between two reads; <see cref="MinGap"/> when not given.</param>
    public LiveRefresh(LiveFeed feed, Func<LiveEvent, bool> wants, Func<Task> refresh, TimeSpan period, ILogger logger, TimeSpan? gap = null)
    {
        ArgumentNullException.ThrowIfNull(feed);
        _feed = feed;
        _wants = wants;
        _refresh = refresh;
        _period = period;
        _logger = logger;
        _gap = gap is { } g && g > MinGap ? g : MinGap;
    }

    public void Start()
    {
        if (_loop is not null)
        {
            return;
        }

        _feed.Changed += OnChangedAsync;
        _feed.Reset += OnResetAsync;
        _feed.Start();
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        _feed.Changed -= OnChangedAsync;
        _feed.Reset -= OnResetAsync;
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private Task OnChangedAsync(LiveEvent change)
    {
        if (_wants(change))
        {
            _kicks.Writer.TryWrite(true);
        }

        return Task.CompletedTask;
    }

    private Task OnResetAsync()
    {
        _kicks.Writer.TryWrite(true);
        return Task.CompletedTask;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(_period);
            var tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
            var kick = _kicks.Reader.WaitToReadAsync(cancellationToken).AsTask();
            while (true)
            {
                var woke = await Task.WhenAny(tick, kick);
                await woke;
                if (woke == tick)
                {
                    tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
                }
                else
                {
                    _kicks.Reader.TryRead(out _);
                    kick = _kicks.Reader.WaitToReadAsync(cancellationToken).AsTask();
                }

                try
                {
                    await _refresh();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The next change or tick reads again; the page keeps what it last showed.
                    _logger.LogWarning(e, "A live view failed to read again");
                }

                await Task.Delay(_gap, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
