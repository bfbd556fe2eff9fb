using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Maintenance.ServiceLevels;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tests.Storage;
using Telemetry.Maintenance.Tests.Tickets;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Maintenance.Tests.ServiceLevels;

/// <summary>The service-level terms stored in a real SQLite file, and the monitor that keeps a process's terms current.</summary>
public sealed class SqliteServiceLevelStoreTests : IDisposable
{
    private readonly TemporaryDatabase database = new();

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task An_empty_store_holds_the_compiled_defaults_at_version_0()
    {
        var (version, terms) = await Open().LoadAsync(CancellationToken.None);

        Assert.Equal(0, version);
        Assert.Equal(ServiceLevelTerms.Default.ToMinutes(), terms.ToMinutes());
        Assert.Empty(await Open().HistoryAsync(10, null, CancellationToken.None));
    }

    [Fact]
    public async Task A_change_is_read_by_another_process_and_kept_in_the_history_with_old_and_new()
    {
        var changed = Change(grade1RespondMinutes: 20, repeatDays: 14);

        var applied = await Open().ApplyAsync(changed, "admin.chen", "winter nights", null, CancellationToken.None);

        var (version, terms) = await Open().LoadAsync(CancellationToken.None);
        Assert.Equal((1, 1L), (applied.Version, version));
        Assert.Equal(TimeSpan.FromMinutes(20), terms.Policy.Grade1Respond);
        Assert.Equal(TimeSpan.FromDays(14), terms.RepeatRepairWindow);
        var row = Assert.Single(await Open().HistoryAsync(10, null, CancellationToken.None));
        Assert.Equal(("admin.chen", "winter nights"), (row.Author, row.Reason));
        Assert.Equal(ServiceLevelTerms.Default.ToMinutes(), row.Old.ToMinutes());
        Assert.Equal(changed.ToMinutes(), row.New.ToMinutes());
    }

    [Fact]
    public async Task A_change_from_a_stale_version_is_refused_and_writes_nothing()
    {
        var store = Open();
        await store.ApplyAsync(Change(grade1RespondMinutes: 20), "admin.chen", "first", 0, CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<ServiceLevelConflictException>(() => store.ApplyAsync(Change(grade1RespondMinutes: 30), "admin.li", "second", 0, CancellationToken.None));

        Assert.Equal(1, conflict.CurrentVersion);
        Assert.Equal(TimeSpan.FromMinutes(20), (await store.LoadAsync(CancellationToken.None)).Terms.Policy.Grade1Respond);
    }

    [Fact]
    public async Task The_history_pages_newest_first_each_row_with_the_terms_before_it()
    {
        var store = Open();
        foreach (var minutes in new[] { 11, 12, 13 })
        {
            await store.ApplyAsync(Change(grade1RespondMinutes: minutes), "admin.chen", $"to {minutes}", null, CancellationToken.None);
        }

        var first = await store.HistoryAsync(2, null, CancellationToken.None);
        var second = await store.HistoryAsync(2, first[^1].Version, CancellationToken.None);

        Assert.Equal([3L, 2L, 1L], first.Concat(second).Select(r => r.Version));
        Assert.Equal([12L, 11L, 10L], first.Concat(second).Select(r => (long)r.Old.Policy.Grade1Respond.TotalMinutes));
    }

    [Fact]
    public async Task Tickets_opened_after_a_change_seen_by_the_monitor_take_the_new_deadlines()
    {
        var time = TestClock.Create();
        using var monitor = new ServiceLevelMonitor(Open(), time, NullLogger<ServiceLevelMonitor>.Instance, TimeSpan.FromSeconds(1));
        await monitor.StartAsync(CancellationToken.None);
        var tickets = database.OpenRepository(time, new TicketOptions { ServiceLevelSource = monitor });
        var before = (await tickets.RecordAsync(Detections.Detected(time.GetUtcNow(), Detections.Mast(1)), CancellationToken.None)).Ticket;

        // Changed by another process (the Api), then seen on the next refresh.
        await Open().ApplyAsync(Change(grade1RespondMinutes: 20, grade2RespondMinutes: 90), "admin.chen", "longer", null, CancellationToken.None);
        await monitor.RefreshAsync(CancellationToken.None);
        var after = (await tickets.RecordAsync(Detections.Detected(time.GetUtcNow(), Detections.Mast(2)), CancellationToken.None)).Ticket;
        await monitor.StopAsync(CancellationToken.None);

        Assert.Equal(time.GetUtcNow().AddHours(1), before.Deadlines.RespondBy);
        Assert.Equal(time.GetUtcNow().AddMinutes(90), after.Deadlines.RespondBy);
        Assert.Equal(1, monitor.Version);
    }

    private SqliteServiceLevelStore Open() => new(new SqliteDatabase(database.Path), TestClock.Create());

    private static ServiceLevelTerms Change(int grade1RespondMinutes, int? grade2RespondMinutes = null, int? repeatDays = null)
    {
        var terms = ServiceLevelTerms.Default;
        return terms with
        {
            Policy = terms.Policy with
            {
                Grade1Respond = TimeSpan.FromMinutes(grade1RespondMinutes),
                Grade2Respond = grade2RespondMinutes is { } g2 ? TimeSpan.FromMinutes(g2) : terms.Policy.Grade2Respond,
            },
            RepeatRepairWindow = repeatDays is { } days ? TimeSpan.FromDays(days) : terms.RepeatRepairWindow,
        };
    }
}
