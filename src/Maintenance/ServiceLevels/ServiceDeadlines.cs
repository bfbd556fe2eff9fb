namespace Telemetry.Maintenance.ServiceLevels;

/// <summary>
/// When a ticket must be acknowledged, reached and fixed; null where the grade sets no target
/// (a grade 4 fault is handled remotely, a grade 3 fix may wait for the next patrol).
/// </summary>
public sealed record ServiceDeadlines(DateTimeOffset? RespondBy, DateTimeOffset? OnSiteBy, DateTimeOffset? FixBy)
{
    /// <summary>The deadline of one kind, or null when there is none.</summary>
    public DateTimeOffset? For(DeadlineKind kind) => kind switch
    {
        DeadlineKind.Response => RespondBy,
        DeadlineKind.Arrival => OnSiteBy,
        DeadlineKind.Fix => FixBy,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown deadline kind"),
    };

    /// <summary>
    /// Whether the deadline of <paramref name="kind"/> is breached at <paramref name="now"/>: it has passed and the step
    /// it measures had not happened by then (<paramref name="doneAt"/> null or later than the deadline). Computed from
    /// stored times alone, so a restart cannot lose a breach, and a late step stays a breach.
    /// </summary>
    public bool IsBreached(DeadlineKind kind, DateTimeOffset? doneAt, DateTimeOffset now) =>
        For(kind) is { } due && now > due && (doneAt is null || doneAt > due);
}
