using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telemetry.Maintenance.Storage;

namespace Telemetry.Maintenance.Thresholds;

/// <summary>How a <see cref="ThresholdMonitor"/> keeps up with the store.</summary>
public sealed class ThresholdMonitorOptions
{
    public static readonly TimeSpan MinPollInterval = TimeSpan.FromMilliseconds(10);

    public static readonly TimeSpan MaxPollInterval = TimeSpan.FromHours(1);

    /// <summary>How often to ask the store for its version, so a change made by another process applies within this time.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>What a refresh of the <see cref="ThresholdMonitor"/> brought in.</summary>
/// <param name="Previous">The snapshot that was current before.</param>
/// <param name="Current">The snapshot now current.</param>
/// <param name="Changes">
/// The changes between the two, oldest first; empty on the first load, and cut at
/// <see cref="ThresholdMonitor.MaxChangesPerRefresh"/> (compare the versions to tell).
/// </param>
public sealed record ThresholdsChangedEventArgs(ThresholdSnapshot Previous, ThresholdSnapshot Current, IReadOnlyList<ThresholdVersion> Changes);

/// <summary>
/// Holds the thresholds in force for a running service. <see cref="Current"/> is one volatile read, for the hot path
/// of the rules; a new snapshot replaces it whole. The snapshot is reloaded when this process applies a change through
/// <see cref="ApplyAsync"/>, and when polling sees the store's version move because another process (the Api) wrote,
/// so an engineer's change applies without a restart.
/// </summary>
public sealed partial class ThresholdMonitor : BackgroundService
{
    /// <summary>How many changes one refresh fetches to log and report; more than that in one poll interval are summarised.</summary>
    public const int MaxChangesPerRefresh = 200;

    private readonly IThresholdStore store;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<ThresholdMonitor> logger;
    private readonly TimeSpan pollInterval;

    // Serialises refreshes so that snapshots replace each other in version order and events fire in that order.
    private readonly SemaphoreSlim refreshing = new(1, 1);
    private ThresholdSnapshot current;
    private bool loaded;

    public ThresholdMonitor(IThresholdStore store, TimeProvider timeProvider, ILogger<ThresholdMonitor> logger, ThresholdMonitorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options ??= new ThresholdMonitorOptions();
        if (options.PollInterval < ThresholdMonitorOptions.MinPollInterval || options.PollInterval > ThresholdMonitorOptions.MaxPollInterval)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                options.PollInterval,
                $"{nameof(ThresholdMonitorOptions.PollInterval)} must be between {ThresholdMonitorOptions.MinPollInterval} and {ThresholdMonitorOptions.MaxPollInterval}");
        }

        this.store = store;
        current = store.Catalogue.Defaults;
        this.timeProvider = timeProvider;
        this.logger = logger;
        pollInterval = options.PollInterval;
    }

    /// <summary>Raised after <see cref="Current"/> has been replaced, on the thread that refreshed it.</summary>
    public event EventHandler<ThresholdsChangedEventArgs>? Changed;

    /// <summary>The thresholds in force: the catalogue defaults until the first load (done by <see cref="StartAsync"/>).</summary>
    public ThresholdSnapshot Current => Volatile.Read(ref current);

    /// <summary>Loads the thresholds before the host starts the services that read them, then starts polling.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies a change through the store, then reloads, so the change is in <see cref="Current"/> when this returns.</summary>
    public async Task<ThresholdVersion> ApplyAsync(ThresholdChange change, CancellationToken cancellationToken)
    {
        var applied = await store.ApplyAsync(change, cancellationToken).ConfigureAwait(false);
        try
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The change is stored whatever happens here; the next poll brings it in.
            LogRefreshFailed(logger, Current.Version, ex.Message, ex);
        }

        return applied;
    }

    /// <summary>Reloads the snapshot if the store's version has moved; returns the snapshot now current.</summary>
    public async Task<ThresholdSnapshot> RefreshAsync(CancellationToken cancellationToken)
    {
        await refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = current;
            var version = await store.CurrentVersionAsync(cancellationToken).ConfigureAwait(false);
            if (loaded && version == previous.Version)
            {
                return previous;
            }

            var next = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
            IReadOnlyList<ThresholdVersion> changes = loaded && next.Version > previous.Version
                ? [.. (await store.ChangesSinceAsync(previous.Version, MaxChangesPerRefresh, cancellationToken).ConfigureAwait(false)).Where(c => c.Version <= next.Version)]
                : [];

            Volatile.Write(ref current, next);
            var first = !loaded;
            loaded = true;
            Report(previous, next, changes, first);
            return next;
        }
        finally
        {
            refreshing.Release();
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        SettingsPolling.RunAsync(pollInterval, timeProvider, RefreshAsync, ex => LogRefreshFailed(logger, Current.Version, ex.Message, ex), stoppingToken);

    private void Report(ThresholdSnapshot previous, ThresholdSnapshot next, IReadOnlyList<ThresholdVersion> changes, bool first)
    {
        if (first)
        {
            LogLoaded(logger, next.Version, next.Settings.Count);
        }
        else if (next.Version < previous.Version)
        {
            LogWentBack(logger, previous.Version, next.Version);
        }

        foreach (var change in changes)
        {
            LogChange(logger, change.Parameter, change.Scope.Key, change.OldValue, change.NewValue, change.Author, change.Version, change.Reason);
        }

        var unreported = next.Version - previous.Version - changes.Count;
        if (!first && unreported > 0)
        {
            LogUnreported(logger, unreported, next.Version);
        }

        try
        {
            Changed?.Invoke(this, new ThresholdsChangedEventArgs(previous, next, changes));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A subscriber's bug must not stop the thresholds from being refreshed for everyone else.
            LogSubscriberFailed(logger, next.Version, ex.Message, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Thresholds loaded at version {Version} with {Overrides} settings stored")]
    private static partial void LogLoaded(ILogger logger, long version, int overrides);

    [LoggerMessage(Level = LogLevel.Information, Message = "Threshold {Parameter} at {Scope} changed from {OldValue} to {NewValue} by {Author} at version {Version}: {Reason}")]
    private static partial void LogChange(ILogger logger, string parameter, string scope, double? oldValue, double? newValue, string author, long version, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} more threshold changes up to version {Version} are in the store's history")]
    private static partial void LogUnreported(ILogger logger, long count, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The threshold store went back from version {Previous} to {Version} (restored from a backup?); using what it holds now")]
    private static partial void LogWentBack(ILogger logger, long previous, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the thresholds, keeping version {Version}: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, long version, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A subscriber to threshold changes failed at version {Version}: {Reason}")]
    private static partial void LogSubscriberFailed(ILogger logger, long version, string reason, Exception exception);
}
