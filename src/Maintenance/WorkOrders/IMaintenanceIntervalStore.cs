namespace Telemetry.Maintenance.WorkOrders;

/// <summary>The intervals engineers set for the recurring tasks, with the history of every change.</summary>
public interface IMaintenanceIntervalStore
{
    /// <summary>The interval in force for every recurring task: the last one set, else the domain's default.</summary>
    Task<IReadOnlyDictionary<MaintenanceTask, MaintenanceInterval>> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Validates and stores a change. Throws <see cref="MaintenanceIntervalException"/> naming what is wrong.</summary>
    Task<MaintenanceIntervalChange> ApplyAsync(MaintenanceTask task, MaintenanceInterval interval, string actor, string? reason, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The changes, newest first, optionally of one task.</summary>
    Task<IReadOnlyList<MaintenanceIntervalChange>> HistoryAsync(MaintenanceTask? task, int limit, CancellationToken cancellationToken);
}

/// <summary>One stored change of an interval.</summary>
public sealed record MaintenanceIntervalChange(long Version, MaintenanceTask Task, MaintenanceInterval Interval, string Actor, string? Reason, DateTimeOffset At);

/// <summary>An interval change that breaks a rule: a special patrol (it has no interval) or an invalid count.</summary>
public sealed class MaintenanceIntervalException(MaintenanceTask task, IReadOnlyList<string> problems)
    : ArgumentException($"Interval of {task.ToName()}: {string.Join("; ", problems)}")
{
    public MaintenanceTask Task { get; } = task;

    public IReadOnlyList<string> Problems { get; } = problems;

    /// <summary>The problems with setting <paramref name="interval"/> for <paramref name="task"/>; empty when it may be set.</summary>
    public static IReadOnlyList<string> Check(MaintenanceTask task, MaintenanceInterval interval)
    {
        ArgumentNullException.ThrowIfNull(interval);
        return MaintenanceTasks.Recurring.Contains(task) ? [.. interval.Problems()] : [$"{task.ToName()} is a special patrol and has no interval"];
    }
}
