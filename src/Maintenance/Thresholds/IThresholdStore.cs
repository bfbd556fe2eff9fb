namespace Telemetry.Maintenance.Thresholds;

/// <summary>
/// The thresholds engineers tune, with the history of every change. Shared by processes: Api writes, Rules polls
/// <see cref="CurrentVersionAsync"/> and reloads when it moves.
/// </summary>
public interface IThresholdStore
{
    /// <summary>The parameters that may be set, with their defaults.</summary>
    ThresholdCatalogue Catalogue { get; }

    /// <summary>The settings in force, at the store's current version.</summary>
    Task<ThresholdSnapshot> LoadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Validates <paramref name="change"/> against the current settings and, if it breaks no rule, stores it with its
    /// history row. Throws <see cref="ThresholdValidationException"/> naming every rule broken, or
    /// <see cref="ThresholdConflictException"/> when the change was edited from a version the store has moved past.
    /// </summary>
    /// <returns>The history row of the change, with the store's new version.</returns>
    Task<ThresholdVersion> ApplyAsync(ThresholdChange change, CancellationToken cancellationToken);

    /// <summary>
    /// The history, newest first, optionally of one parameter and/or one scope; with <paramref name="beforeVersion"/>,
    /// only the changes older than that version (the next page).
    /// </summary>
    Task<IReadOnlyList<ThresholdVersion>> HistoryAsync(string? parameter, ThresholdScope? scope, int limit, CancellationToken cancellationToken, long? beforeVersion = null);

    /// <summary>The changes after <paramref name="version"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ThresholdVersion>> ChangesSinceAsync(long version, int limit, CancellationToken cancellationToken);

    /// <summary>The store's version: the number of the latest change. Cheap, for polling.</summary>
    Task<long> CurrentVersionAsync(CancellationToken cancellationToken);
}
