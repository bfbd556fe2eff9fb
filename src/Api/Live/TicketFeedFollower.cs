using System.Text.Json;
using Telemetry.Hosting;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Api.Live;

/// <summary>
/// The one reader of the ticket change feed in the Api: it loads the tickets not closed once, then follows the feed
/// (changes by Rules and by the Api alike) into <see cref="LivePlant"/> and <see cref="LiveEvents"/>, so that any number
/// of stream clients cost one query a poll. It also prunes the feed of changes older than a week.
/// </summary>
public sealed partial class TicketFeedFollower(
    ITicketChangeFeed feed,
    ITicketRepository tickets,
    LivePlant plant,
    LiveEvents events,
    TimeProvider clock,
    ILogger<TicketFeedFollower> logger) : BackgroundService, IHealthSource
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan KeepChanges = TimeSpan.FromDays(7);
    public const int KeepAtMost = 100_000;
    private const int ReadLimit = 500;
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);
    private readonly ConsumerProgress _progress = new(clock, TimeSpan.FromSeconds(30));
    private int _started;

    public string Name => "ticket_feed";

    public HealthVerdict Verdict => HealthVerdict.Healthy
        .When(Volatile.Read(ref _started) == 0, HealthStatus.Degraded, "ticket feed: not read yet")
        .And(_progress.Verdict);

    public void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumber("seq", events.Cursor.Ticket);
        writer.WriteNumber("stream_clients", events.Clients);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var cursor = await Persistently.UntilDoneAsync(LoadOpenAsync, "load the open tickets", logger, clock, stoppingToken, progress: _progress);
            Volatile.Write(ref _started, 1);
            var pruned = clock.GetTimestamp() - (long)(PruneInterval.TotalSeconds * clock.TimestampFrequency);
            using var timer = new PeriodicTimer(PollInterval, clock);
            do
            {
                try
                {
                    cursor = await Persistently.UntilDoneAsync(ct => FollowAsync(cursor, ct), "read the ticket change feed", logger, clock, stoppingToken, isTransient: SqliteDatabase.IsTransient, progress: _progress);
                    if (clock.GetElapsedTime(pruned) >= PruneInterval)
                    {
                        pruned = clock.GetTimestamp();
                        await Persistently.UntilDoneAsync(ct => feed.PruneAsync(clock.GetUtcNow() - KeepChanges, KeepAtMost, ct), "prune the ticket change feed", logger, clock, stoppingToken, isTransient: SqliteDatabase.IsTransient, progress: _progress);
                    }

                    _progress.Blocked(null);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // A change this release cannot read: the rest of the Api goes on serving; health names it until it reads again.
                    _progress.Blocked($"ticket feed: cannot read after {cursor}: {ex.Message}");
                    LogUnreadable(logger, ex, cursor);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<long> LoadOpenAsync(CancellationToken cancellationToken)
    {
        // The feed's end first: a change saved while the tickets load is then read again, and the version tells.
        var (newest, _) = await feed.BoundsAsync(cancellationToken);
        for (var offset = 0; ; offset += TicketQuery.MaxLimit)
        {
            var page = await tickets.ListAsync(new TicketQuery { OpenOnly = true, Limit = TicketQuery.MaxLimit, Offset = offset }, cancellationToken);
            plant.LoadOpen(page);
            if (page.Count < TicketQuery.MaxLimit)
            {
                break;
            }
        }

        events.StartTicketsAt(newest);
        LogStarted(logger, newest);
        return newest;
    }

    private async Task<long> FollowAsync(long cursor, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changes = await feed.ReadAfterAsync(cursor, ReadLimit, cancellationToken);
            foreach (var change in changes)
            {
                plant.Apply(change);
                events.Publish(change);
                cursor = change.Seq;
            }

            if (changes.Count < ReadLimit)
            {
                return cursor;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot read the ticket changes after {Seq}; trying again")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, long seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Following ticket changes after {Seq}")]
    private static partial void LogStarted(ILogger logger, long seq);
}
