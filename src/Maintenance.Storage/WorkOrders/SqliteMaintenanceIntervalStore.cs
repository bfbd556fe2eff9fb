using Microsoft.Data.Sqlite;
using Telemetry.Maintenance.Storage;

namespace Telemetry.Maintenance.WorkOrders;

/// <summary>The maintenance intervals engineers set, with their history, in the maintenance database.</summary>
public sealed class SqliteMaintenanceIntervalStore(SqliteDatabase database) : IMaintenanceIntervalStore
{
    private readonly WorkOrderStoreSchema.Connections connections = new(database);

    public async Task<IReadOnlyDictionary<MaintenanceTask, MaintenanceInterval>> LoadAsync(CancellationToken cancellationToken)
    {
        var intervals = MaintenanceTasks.Recurring.ToDictionary(t => t, t => t.DefaultInterval());
        var seen = new HashSet<MaintenanceTask>();
        foreach (var change in await HistoryAsync(null, int.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            // Newest first: the first change seen per task is the one in force.
            if (seen.Add(change.Task))
            {
                intervals[change.Task] = change.Interval;
            }
        }

        return intervals;
    }

    public async Task<MaintenanceIntervalChange> ApplyAsync(MaintenanceTask task, MaintenanceInterval interval, string actor, string? reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interval);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var problems = MaintenanceIntervalException.Check(task, interval);
        if (problems.Count > 0)
        {
            throw new MaintenanceIntervalException(task, problems);
        }

        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null,
            "INSERT INTO maintenance_intervals (task, times, per, actor, reason, changed_at) VALUES ($task, $times, $per, $actor, $reason, $at) RETURNING version",
            ("$task", task.ToName()), ("$times", interval.Times), ("$per", interval.Per.ToString().ToLowerInvariant()), ("$actor", actor),
            ("$reason", string.IsNullOrWhiteSpace(reason) ? null : reason.Trim()), ("$at", at.ToUnixTimeMilliseconds()));
        var version = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new MaintenanceIntervalChange(version, task, interval, actor, reason, at);
    }

    public async Task<IReadOnlyList<MaintenanceIntervalChange>> HistoryAsync(MaintenanceTask? task, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null,
            "SELECT version, task, times, per, actor, reason, changed_at FROM maintenance_intervals WHERE $task IS NULL OR task = $task ORDER BY version DESC LIMIT $limit",
            ("$task", task?.ToName()), ("$limit", Math.Max(1, limit)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var changes = new List<MaintenanceIntervalChange>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!MaintenanceTasks.TryParse(reader.GetString(1), out var stored) || !Enum.TryParse<IntervalPeriod>(reader.GetString(3), true, out var per))
            {
                throw new InvalidDataException($"maintenance interval version {reader.GetInt64(0)} names an unknown task or period");
            }

            changes.Add(new MaintenanceIntervalChange(reader.GetInt64(0), stored, new MaintenanceInterval((int)reader.GetInt64(2), per),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))));
        }

        return changes;
    }
}
