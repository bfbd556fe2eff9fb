using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telemetry.Maintenance.Storage;

namespace Telemetry.Maintenance.ServiceLevels;

/// <summary>
/// Holds the service-level terms in force for a running service, like the threshold monitor holds thresholds: loaded
/// before the host starts the services that open tickets, then reloaded when polling sees the store's version move,
/// so an admin's change applies to the next deadline set without a restart.
/// </summary>
public sealed partial class ServiceLevelMonitor : BackgroundService, IServiceLevelSource
{
    private readonly SqliteServiceLevelStore store;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<ServiceLevelMonitor> logger;
    private readonly TimeSpan pollInterval;
    private readonly SemaphoreSlim refreshing = new(1, 1);
    private Loaded current = new(-1, ServiceLevelTerms.Default);

    /// <param name="store">Where the terms are kept.</param>
    /// <param name="timeProvider">The polling clock.</param>
    /// <param name="logger">Where changes are logged.</param>
    /// <param name="pollInterval">How often to ask the store for its version (the threshold monitor's interval).</param>
    public ServiceLevelMonitor(SqliteServiceLevelStore store, TimeProvider timeProvider, ILogger<ServiceLevelMonitor> logger, TimeSpan pollInterval)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(pollInterval, TimeSpan.FromMilliseconds(10));
        this.store = store;
        this.timeProvider = timeProvider;
        this.logger = logger;
        this.pollInterval = pollInterval;
    }

    /// <summary>The terms in force: the compiled defaults until the first load.</summary>
    public ServiceLevelTerms Current => Volatile.Read(ref current).Terms;

    /// <summary>The store's version of <see cref="Current"/>; -1 before the first load.</summary>
    public long Version => Volatile.Read(ref current).Version;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reloads the terms if the store's version has moved.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var version = await store.CurrentVersionAsync(cancellationToken).ConfigureAwait(false);
            if (version == Version)
            {
                return;
            }

            var loaded = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref current, new Loaded(loaded.Version, loaded.Terms));
            LogLoaded(logger, loaded.Version);
        }
        finally
        {
            refreshing.Release();
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        SettingsPolling.RunAsync(pollInterval, timeProvider, RefreshAsync, ex => LogRefreshFailed(logger, Version, ex.Message, ex), stoppingToken);

    // One reference, so that a reader never sees the version of one load with the terms of another.
    private sealed record Loaded(long Version, ServiceLevelTerms Terms);

    [LoggerMessage(Level = LogLevel.Information, Message = "Service-level terms in force at version {Version}")]
    private static partial void LogLoaded(ILogger logger, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the service-level terms, keeping version {Version}: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, long version, string reason, Exception exception);
}
