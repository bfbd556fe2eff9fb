using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telemetry.Contracts;
using Telemetry.Maintenance.Thresholds;
using static Telemetry.Maintenance.Tests.Thresholds.ThresholdDatabaseFolder;

namespace Telemetry.Maintenance.Tests.Thresholds;

public sealed class ThresholdMonitorTests : IDisposable
{
    private static readonly int Seeded = Shipped.Catalogue.All.Count;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
    private readonly ThresholdDatabaseFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Starting_loads_the_stored_thresholds_before_anything_reads_them()
    {
        var api = folder.OpenStore();
        await api.ApplyAsync(Set(Shipped.DoorOpenLimitMin, ThresholdScope.ForSite("north"), 12), folder.Token);
        using var monitor = NewMonitor(folder.OpenStore());
        Assert.Same(Shipped.Defaults, monitor.Current);

        await monitor.StartAsync(folder.Token);
        await monitor.StopAsync(folder.Token);

        Assert.Equal(Seeded + 1, monitor.Current.Version);
        Assert.Equal(12, monitor.Current.ForSite("north")[Shipped.DoorOpenLimitMin]);
    }

    [Fact]
    public async Task A_change_made_by_another_process_is_current_after_the_next_poll()
    {
        var api = folder.OpenStore();
        using var rules = NewMonitor(folder.OpenStore());
        await rules.StartAsync(folder.Token);
        var changed = new TaskCompletionSource<ThresholdsChangedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        rules.Changed += (_, e) => changed.TrySetResult(e);

        var applied = await api.ApplyAsync(Set(Shipped.InsulationTripMohm, ThresholdScope.ForFamily(DeviceFamily.DistributionBox), 0.55), folder.Token);
        Assert.Equal(Seeded, rules.Current.Version);
        var seen = await UntilPolledAsync(changed.Task);
        await rules.StopAsync(folder.Token);

        Assert.Equal(applied.Version, rules.Current.Version);
        Assert.Same(seen.Current, rules.Current);
        Assert.Equal(0.55, rules.Current.For(DeviceFamily.DistributionBox, "north", "box-03")[Shipped.InsulationTripMohm]);
        Assert.Equal(0.5, rules.Current.For(DeviceFamily.HighMast, "north", "mast-07")[Shipped.InsulationTripMohm]);
        Assert.Equal([applied], seen.Changes);
        Assert.Equal(Seeded, seen.Previous.Version);
    }

    [Fact]
    public async Task A_change_applied_through_the_monitor_is_current_when_the_call_returns()
    {
        using var monitor = NewMonitor(folder.OpenStore());
        await monitor.StartAsync(folder.Token);

        var applied = await monitor.ApplyAsync(Set(Shipped.EarthTripOhm, ThresholdScope.ForDevice("north", "mast-07"), 6), folder.Token);
        await monitor.StopAsync(folder.Token);

        Assert.Equal(applied.Version, monitor.Current.Version);
        Assert.Equal(6, monitor.Current.For(DeviceFamily.HighMast, "north", "mast-07")[Shipped.EarthTripOhm]);
    }

    [Fact]
    public async Task A_refused_change_through_the_monitor_leaves_the_current_thresholds_alone()
    {
        using var monitor = NewMonitor(folder.OpenStore());
        await monitor.StartAsync(folder.Token);
        var before = monitor.Current;

        await Assert.ThrowsAsync<ThresholdValidationException>(() =>
            monitor.ApplyAsync(Set(Shipped.EarthClearOhm, ThresholdScope.Global, 4.5), folder.Token));
        await monitor.StopAsync(folder.Token);

        Assert.Same(before, monitor.Current);
    }

    [Fact]
    public async Task A_refresh_that_finds_the_same_version_keeps_the_same_snapshot()
    {
        using var monitor = NewMonitor(folder.OpenStore());

        var first = await monitor.RefreshAsync(folder.Token);
        var second = await monitor.RefreshAsync(folder.Token);

        Assert.Same(first, second);
    }

    [Fact]
    public async Task Each_change_is_logged_with_parameter_scope_old_and_new_values_author_and_version()
    {
        var logger = new RecordingLogger<ThresholdMonitor>();
        var api = folder.OpenStore();
        using var monitor = new ThresholdMonitor(folder.OpenStore(), folder.Time, logger);
        await monitor.RefreshAsync(folder.Token);

        await api.ApplyAsync(Set(Shipped.LeakageTripMa, ThresholdScope.ForSite("north"), 40), folder.Token);
        var removed = await api.ApplyAsync(Remove(Shipped.LeakageTripMa, ThresholdScope.ForSite("north")), folder.Token);
        await monitor.RefreshAsync(folder.Token);

        var logged = logger.Entries.Where(e => e.Properties.ContainsKey("Parameter")).Select(e => e.Properties).ToList();
        Assert.Equal(2, logged.Count);
        Assert.Equal("leakage.trip_ma", logged[1]["Parameter"]);
        Assert.Equal("site:north", logged[1]["Scope"]);
        Assert.Equal(40.0, logged[1]["OldValue"]);
        Assert.Null(logged[1]["NewValue"]);
        Assert.Equal(Author, logged[1]["Author"]);
        Assert.Equal(removed.Version, logged[1]["Version"]);
        Assert.Equal(Reason, logged[1]["Reason"]);
        Assert.Equal(40.0, logged[0]["NewValue"]);
    }

    [Fact]
    public async Task A_failing_subscriber_does_not_stop_the_thresholds_from_being_replaced()
    {
        var logger = new RecordingLogger<ThresholdMonitor>();
        using var monitor = new ThresholdMonitor(folder.OpenStore(), folder.Time, logger);
        monitor.Changed += (_, _) => throw new InvalidOperationException("subscriber bug");

        var loaded = await monitor.RefreshAsync(folder.Token);

        Assert.Same(loaded, monitor.Current);
        Assert.Equal(Seeded, monitor.Current.Version);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("subscriber bug", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7200)]
    public void A_poll_interval_outside_the_limits_is_refused_naming_the_option(int seconds)
    {
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new ThresholdMonitor(folder.OpenStore(), folder.Time, NullLogger<ThresholdMonitor>.Instance, new ThresholdMonitorOptions { PollInterval = TimeSpan.FromSeconds(seconds) }));

        Assert.Contains("PollInterval", refused.Message, StringComparison.Ordinal);
    }

    private ThresholdMonitor NewMonitor(IThresholdStore store) =>
        new(store, folder.Time, NullLogger<ThresholdMonitor>.Instance, new ThresholdMonitorOptions { PollInterval = Poll });

    /// <summary>
    /// Moves the fake clock on by poll intervals until the poll has brought the change in. The loop is there because the
    /// poll timer is created on the monitor's own thread, which may not have started when the clock first moves.
    /// </summary>
    private async Task<T> UntilPolledAsync<T>(Task<T> polled)
    {
        while (!polled.IsCompleted)
        {
            folder.Token.ThrowIfCancellationRequested();
            folder.Time.Advance(Poll);
            await Task.WhenAny(polled, Task.Delay(TimeSpan.FromMilliseconds(50), folder.Token));
        }

        return await polled;
    }
}
