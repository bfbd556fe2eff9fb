namespace Telemetry.Maintenance.Thresholds;

/// <summary>
/// A threshold change was edited from a version the store has since moved past; nothing was written. The engineer
/// reloads, looks at what changed (<see cref="ChangesSince"/>) and decides again.
/// </summary>
public sealed class ThresholdConflictException : Exception
{
    public ThresholdConflictException(ThresholdChange change, long currentVersion, IReadOnlyList<ThresholdVersion> changesSince)
        : base(Describe(change, currentVersion, changesSince))
    {
        ExpectedVersion = change.BasedOnVersion ?? currentVersion;
        CurrentVersion = currentVersion;
        ChangesSince = changesSince;
    }

    /// <summary>The version the change was edited from.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The store's version when the change was refused.</summary>
    public long CurrentVersion { get; }

    /// <summary>The changes made since <see cref="ExpectedVersion"/>, oldest first (at most a few; see the store).</summary>
    public IReadOnlyList<ThresholdVersion> ChangesSince { get; }

    private static string Describe(ThresholdChange change, long currentVersion, IReadOnlyList<ThresholdVersion> changesSince)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(changesSince);
        var what = $"The change of {change.Parameter} at {change.Scope} was edited from version {change.BasedOnVersion}";
        if (change.BasedOnVersion > currentVersion)
        {
            return $"{what}, which does not exist: the store is at version {currentVersion}.";
        }

        var since = changesSince.Count == 0 ? "" : $" Changed since: {string.Join("; ", changesSince)}.";
        return $"{what}, but the store has moved on to version {currentVersion}; reload and edit again.{since}";
    }
}
