using Microsoft.Data.Sqlite;
using Telemetry.Contracts;
using Telemetry.Maintenance.Thresholds;
using static Telemetry.Maintenance.Tests.Thresholds.ThresholdDatabaseFolder;

namespace Telemetry.Maintenance.Tests.Thresholds;

public sealed class SqliteThresholdStoreTests : IDisposable
{
    private static readonly int Seeded = Shipped.Catalogue.All.Count;
    private readonly ThresholdDatabaseFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task A_new_store_seeds_one_history_row_per_parameter_with_the_domain_default()
    {
        var store = folder.OpenStore();

        var history = await store.HistoryAsync(null, null, 1000, folder.Token);

        Assert.Equal(Shipped.Catalogue.All.Select(p => p.Name).Order(), history.Select(h => h.Parameter).Order());
        Assert.All(history, row =>
        {
            Assert.Equal(ThresholdScope.Global, row.Scope);
            Assert.Null(row.OldValue);
            Assert.Equal(Shipped.Catalogue.Find(row.Parameter)!.Default, row.NewValue);
            Assert.Equal("system", row.Author);
            Assert.Equal("seeded from the domain defaults", row.Reason);
            Assert.Equal(folder.Time.GetUtcNow(), row.ChangedAt);
        });
        Assert.Equal(Seeded, await store.CurrentVersionAsync(folder.Token));
    }

    [Fact]
    public async Task A_new_store_resolves_every_parameter_to_its_default_with_nothing_stored()
    {
        var snapshot = await folder.OpenStore().LoadAsync(folder.Token);

        Assert.Empty(snapshot.Settings);
        Assert.Equal(Seeded, snapshot.Version);
        var values = snapshot.For(DeviceFamily.DistributionBox, "north", "box-03");
        Assert.All(Shipped.Catalogue.All, p => Assert.Equal(p.Default, values[p]));
    }

    [Fact]
    public async Task Reopening_the_store_does_not_seed_again()
    {
        await folder.OpenStore().ApplyAsync(Set(Shipped.LeakageTripMa, ThresholdScope.Global, 35), folder.Token);

        var restarted = folder.OpenStore();

        Assert.Equal(Seeded + 1, await restarted.CurrentVersionAsync(folder.Token));
        Assert.Equal(Seeded + 1, (await restarted.HistoryAsync(null, null, 1000, folder.Token)).Count);
        Assert.Equal(35, (await restarted.LoadAsync(folder.Token)).For(DeviceFamily.DistributionBox, "north", "box-03")[Shipped.LeakageTripMa]);
    }

    [Fact]
    public async Task Processes_opening_a_new_database_together_seed_each_parameter_once()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => folder.OpenStore()).ToList();

        var versions = await Task.WhenAll(stores.Select(s => Task.Run(() => s.CurrentVersionAsync(folder.Token))));

        Assert.All(versions, v => Assert.Equal(Seeded, v));
        var history = await stores[0].HistoryAsync(null, null, 1000, folder.Token);
        Assert.Equal(Seeded, history.Count);
        Assert.Equal(Seeded, history.Select(h => h.Parameter).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, Seeded).Select(v => (long)v), history.Select(h => h.Version).Order());
    }

    [Fact]
    public async Task A_change_is_recorded_with_author_time_reason_and_the_old_and_new_values()
    {
        var store = folder.OpenStore();
        var north = ThresholdScope.ForSite("north");
        await store.ApplyAsync(Set(Shipped.LeakageTripMa, north, 40), folder.Token);
        folder.Time.Advance(TimeSpan.FromHours(3));

        var applied = await store.ApplyAsync(
            ThresholdChange.Set(Shipped.LeakageTripMa, north, 45, "zhang.min", "new RCDs fitted on the north feeders"), folder.Token);

        var expected = new ThresholdVersion(Seeded + 2, "leakage.trip_ma", north, 40, 45, "zhang.min", folder.Time.GetUtcNow(), "new RCDs fitted on the north feeders");
        Assert.Equal(expected, applied);
        var history = await store.HistoryAsync("leakage.trip_ma", north, 10, folder.Token);
        Assert.Equal(expected, history[0]);
        Assert.Equal((null, 40.0, Author, Reason), (history[1].OldValue, history[1].NewValue, history[1].Author, history[1].Reason));
        Assert.Equal(2, history.Count);
    }

    [Fact]
    public async Task A_global_change_records_the_default_it_replaces_as_the_old_value()
    {
        var applied = await folder.OpenStore().ApplyAsync(Set(Shipped.EarthTripOhm, ThresholdScope.Global, 5), folder.Token);

        Assert.Equal((4.0, 5.0), (applied.OldValue, applied.NewValue));
    }

    [Fact]
    public async Task Author_and_reason_are_stored_without_surrounding_blanks()
    {
        var applied = await folder.OpenStore().ApplyAsync(
            ThresholdChange.Set(Shipped.EarthTripOhm, ThresholdScope.Global, 5, "  li.wei ", " soil is dry this season\n"), folder.Token);

        Assert.Equal(("li.wei", "soil is dry this season"), (applied.Author, applied.Reason));
    }

    [Fact]
    public async Task Versions_rise_by_one_per_change_across_parameters_and_scopes()
    {
        var store = folder.OpenStore();

        var versions = new List<long>
        {
            (await store.ApplyAsync(Set(Shipped.EarthTripOhm, ThresholdScope.Global, 5), folder.Token)).Version,
            (await store.ApplyAsync(Set(Shipped.DoorOpenLimitMin, ThresholdScope.ForSite("north"), 10), folder.Token)).Version,
            (await store.ApplyAsync(Set(Shipped.OutageRatio, ThresholdScope.ForFamily(DeviceFamily.HighMast), 0.3), folder.Token)).Version,
        };

        Assert.Equal([Seeded + 1, Seeded + 2, Seeded + 3], versions);
        Assert.Equal(Seeded + 3, await store.CurrentVersionAsync(folder.Token));
        Assert.Equal(Seeded + 3, (await store.LoadAsync(folder.Token)).Version);
    }

    [Fact]
    public async Task History_is_newest_first_and_filters_by_parameter_and_scope()
    {
        var store = folder.OpenStore();
        var north = ThresholdScope.ForSite("north");
        await store.ApplyAsync(Set(Shipped.DoorOpenLimitMin, north, 10), folder.Token);
        await store.ApplyAsync(Set(Shipped.DoorOpenLimitMin, ThresholdScope.ForSite("south"), 15), folder.Token);
        await store.ApplyAsync(Set(Shipped.EarthTripOhm, north, 5), folder.Token);
        await store.ApplyAsync(Set(Shipped.DoorOpenLimitMin, north, 20), folder.Token);

        var doorAtNorth = await store.HistoryAsync("door_open.limit_min", north, 10, folder.Token);
        var atNorth = await store.HistoryAsync(null, north, 10, folder.Token);
        var door = await store.HistoryAsync("door_open.limit_min", null, 10, folder.Token);
        var latestTwo = await store.HistoryAsync(null, null, 2, folder.Token);

        Assert.Equal([20.0, 10.0], doorAtNorth.Select(h => h.NewValue!.Value));
        Assert.Equal([20.0, 5.0, 10.0], atNorth.Select(h => h.NewValue!.Value));
        Assert.Equal([20.0, 15.0, 10.0, 5.0], door.Select(h => h.NewValue!.Value));
        Assert.Equal([Seeded + 4, Seeded + 3], latestTwo.Select(h => h.Version));
    }

    [Fact]
    public async Task Changes_since_a_version_are_listed_oldest_first()
    {
        var store = folder.OpenStore();
        await store.ApplyAsync(Set(Shipped.EarthTripOhm, ThresholdScope.Global, 5), folder.Token);
        await store.ApplyAsync(Set(Shipped.EarthTripOhm, ThresholdScope.Global, 6), folder.Token);

        var since = await store.ChangesSinceAsync(Seeded, 10, folder.Token);

        Assert.Equal([(5.0, 6.0)], since.Skip(1).Select(c => (c.OldValue!.Value, c.NewValue!.Value)));
        Assert.Equal([Seeded + 1, Seeded + 2], since.Select(c => c.Version));
    }

    [Fact]
    public async Task Removing_an_override_falls_back_to_the_next_wider_scope()
    {
        var store = folder.OpenStore();
        var p = Shipped.LeakageTripMa;
        var family = ThresholdScope.ForFamily(DeviceFamily.DistributionBox);
        var site = ThresholdScope.ForSite("north");
        var device = ThresholdScope.ForDevice("north", "box-03");
        await store.ApplyAsync(Set(p, ThresholdScope.Global, 35), folder.Token);
        await store.ApplyAsync(Set(p, family, 40), folder.Token);
        await store.ApplyAsync(Set(p, site, 45), folder.Token);
        await store.ApplyAsync(Set(p, device, 50), folder.Token);

        async Task<double> ResolvedAsync() => (await store.LoadAsync(folder.Token)).For(DeviceFamily.DistributionBox, "north", "box-03")[p];

        Assert.Equal(50, await ResolvedAsync());
        var removed = await store.ApplyAsync(Remove(p, device), folder.Token);
        Assert.Equal((50.0, (double?)null), (removed.OldValue, removed.NewValue));
        Assert.Equal(45, await ResolvedAsync());
        await store.ApplyAsync(Remove(p, site), folder.Token);
        Assert.Equal(40, await ResolvedAsync());
        await store.ApplyAsync(Remove(p, family), folder.Token);
        Assert.Equal(35, await ResolvedAsync());
        Assert.Equal([ThresholdScope.Global], (await store.LoadAsync(folder.Token)).Settings.Select(s => s.Scope));
    }

    [Fact]
    public async Task A_change_edited_from_the_current_version_is_accepted()
    {
        var store = folder.OpenStore();
        var version = await store.CurrentVersionAsync(folder.Token);

        var applied = await store.ApplyAsync(Set(Shipped.EarthTripOhm, ThresholdScope.Global, 5, basedOnVersion: version), folder.Token);

        Assert.Equal(version + 1, applied.Version);
    }

    [Fact]
    public async Task A_change_edited_from_a_version_the_store_has_moved_past_is_refused_as_a_conflict()
    {
        var api = folder.OpenStore();
        var other = folder.OpenStore();
        var seen = await api.CurrentVersionAsync(folder.Token);
        await other.ApplyAsync(Set(Shipped.InsulationClearMohm, ThresholdScope.ForSite("north"), 0.65, basedOnVersion: seen), folder.Token);

        var conflict = await Assert.ThrowsAsync<ThresholdConflictException>(() =>
            api.ApplyAsync(Set(Shipped.InsulationTripMohm, ThresholdScope.ForSite("north"), 0.55, basedOnVersion: seen), folder.Token));

        Assert.Equal((seen, seen + 1), (conflict.ExpectedVersion, conflict.CurrentVersion));
        Assert.Equal("insulation.clear_mohm", Assert.Single(conflict.ChangesSince).Parameter);
        Assert.Contains($"edited from version {seen}", conflict.Message, StringComparison.Ordinal);
        Assert.Contains("insulation.clear_mohm", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(seen + 1, await api.CurrentVersionAsync(folder.Token));
    }

    [Fact]
    public async Task A_change_edited_from_a_version_that_never_existed_is_refused_as_a_conflict()
    {
        var store = folder.OpenStore();

        var conflict = await Assert.ThrowsAsync<ThresholdConflictException>(() =>
            store.ApplyAsync(Set(Shipped.EarthTripOhm, ThresholdScope.Global, 5, basedOnVersion: 9999), folder.Token));

        Assert.Contains("does not exist", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(Seeded, await store.CurrentVersionAsync(folder.Token));
    }

    [Fact]
    public async Task The_history_cannot_be_rewritten_or_deleted()
    {
        await folder.OpenStore().CurrentVersionAsync(folder.Token);
        var connection = await folder.OpenDatabase().OpenAsync(folder.Token);
        await using (connection)
        {
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE threshold_history SET author = 'someone else'";
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM threshold_history";

            Assert.Contains("append-only", Assert.Throws<SqliteException>(() => update.ExecuteNonQuery()).Message, StringComparison.Ordinal);
            Assert.Contains("append-only", Assert.Throws<SqliteException>(() => delete.ExecuteNonQuery()).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Writers_in_two_processes_each_get_their_own_version()
    {
        var first = folder.OpenStore();
        var second = folder.OpenStore();
        await first.CurrentVersionAsync(folder.Token);
        await second.CurrentVersionAsync(folder.Token);

        var applied = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            (i % 2 == 0 ? first : second).ApplyAsync(Set(Shipped.DoorOpenLimitMin, ThresholdScope.ForSite($"site-{i}"), 10 + i), folder.Token))));

        Assert.Equal(Enumerable.Range(Seeded + 1, 10).Select(v => (long)v), applied.Select(a => a.Version).Order());
        Assert.Equal(10, (await first.LoadAsync(folder.Token)).Settings.Count);
    }

    [Fact]
    public async Task History_limit_must_be_positive()
    {
        var store = folder.OpenStore();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.HistoryAsync(null, null, 0, folder.Token));
    }
}
