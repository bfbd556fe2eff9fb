using Microsoft.Extensions.Time.Testing;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tickets;
using static Telemetry.Maintenance.Tests.Tickets.Detections;

namespace Telemetry.Maintenance.Tests.Storage;

public sealed class SqliteTicketChangeFeedTests : IDisposable
{
    private readonly TemporaryDatabase database = new();
    private readonly FakeTimeProvider time = TestClock.Create();

    private static CancellationToken Cancel => CancellationToken.None;

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task Every_save_of_a_ticket_in_any_process_is_one_change_in_the_order_saved()
    {
        var rules = database.OpenRepository(time);
        var api = database.OpenRepository(time);
        var feed = new SqliteTicketChangeFeed(new SqliteDatabase(database.Path));

        var number = (await rules.RecordAsync(Detected(time.GetUtcNow()), Cancel)).Ticket.Number;
        time.Advance(TimeSpan.FromMinutes(5));
        await api.ChangeAsync(number, t => t.Acknowledge("li.wei", time.GetUtcNow()), Cancel);
        await rules.RecordClearedAsync(Cleared(time.GetUtcNow()), Cancel);
        await rules.RecordAsync(Detected(time.GetUtcNow(), asset: Mast(2)), Cancel);

        var changes = await feed.ReadAfterAsync(0, 100, Cancel);

        Assert.Equal([1L, 2, 3, 4], changes.Select(c => c.Seq));
        Assert.Equal(
            [(number, 1L, TicketStatus.Open), (number, 2, TicketStatus.Acknowledged), (number, 3, TicketStatus.Acknowledged)],
            changes.Take(3).Select(c => (c.Number, c.Version, c.Status)));
        Assert.Equal(("north/gw-north-01/mast-02", "mast_outage", "crew-north"), (changes[3].Asset.Key, changes[3].Fault, changes[3].Crew));
        Assert.Equal(time.GetUtcNow(), changes[1].At);
        Assert.Equal([3L, 4], (await feed.ReadAfterAsync(2, 100, Cancel)).Select(c => c.Seq));
        Assert.Equal((4L, 1L), await feed.BoundsAsync(Cancel));
    }

    [Fact]
    public async Task A_save_that_loses_the_race_leaves_no_change()
    {
        var repository = database.OpenRepository(time);
        var feed = new SqliteTicketChangeFeed(new SqliteDatabase(database.Path));
        var number = (await repository.RecordAsync(Detected(time.GetUtcNow()), Cancel)).Ticket.Number;

        // The same detection again changes nothing, and writes nothing to the feed.
        await repository.RecordAsync(Detected(time.GetUtcNow()), Cancel);

        Assert.Equal([(number, 1L)], (await feed.ReadAfterAsync(0, 100, Cancel)).Select(c => (c.Number, c.Version)));
    }

    [Fact]
    public async Task Pruning_forgets_old_changes_and_all_but_the_newest_yet_never_gives_a_sequence_twice()
    {
        var repository = database.OpenRepository(time);
        var feed = new SqliteTicketChangeFeed(new SqliteDatabase(database.Path));
        for (var mast = 1; mast <= 5; mast++)
        {
            await repository.RecordAsync(Detected(time.GetUtcNow(), asset: Mast(mast)), Cancel);
            time.Advance(TimeSpan.FromDays(1));
        }

        Assert.Equal(1, await feed.PruneAsync(TestClock.Start.AddHours(1), keep: 100, Cancel));
        Assert.Equal(2, await feed.PruneAsync(DateTimeOffset.MinValue, keep: 2, Cancel));
        Assert.Equal((5L, 4L), await feed.BoundsAsync(Cancel));

        Assert.Equal(5, await feed.PruneAsync(time.GetUtcNow().AddDays(1), keep: 100, Cancel) + 3);
        await repository.RecordAsync(Detected(time.GetUtcNow(), asset: Mast(9)), Cancel);

        Assert.Equal([6L], (await feed.ReadAfterAsync(0, 100, Cancel)).Select(c => c.Seq));
    }
}
