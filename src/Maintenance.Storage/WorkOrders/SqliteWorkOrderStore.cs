using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Telemetry.Maintenance.Storage;

namespace Telemetry.Maintenance.WorkOrders;

/// <summary>The work orders in the maintenance database (<see cref="SqliteDatabase"/>), shared by Rules and Api.</summary>
public sealed class SqliteWorkOrderStore(SqliteDatabase database) : IWorkOrderStore
{
    private readonly WorkOrderStoreSchema.Connections connections = new(database);

    public async Task<int> AddScheduledAsync(string site, DateOnly through, IReadOnlyList<PlannedWorkOrder> planned, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(site);
        ArgumentNullException.ThrowIfNull(planned);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = SqliteDatabase.BeginWrite(connection);
        var added = await InsertNewAsync(connection, transaction, planned, at, cancellationToken).ConfigureAwait(false);
        await using (var command = connection.Command(transaction,
            """
            INSERT INTO work_order_schedule (site, through, updated_at) VALUES ($site, $through, $at)
            ON CONFLICT (site) DO UPDATE SET through = max(through, excluded.through), updated_at = excluded.updated_at
            """,
            ("$site", site), ("$through", Day(through)), ("$at", at.ToUnixTimeMilliseconds())))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return added.Count;
    }

    public async Task<IReadOnlyList<WorkOrder>> AddAsync(IReadOnlyList<PlannedWorkOrder> planned, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planned);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = SqliteDatabase.BeginWrite(connection);
        var added = await InsertNewAsync(connection, transaction, planned, at, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return added;
    }

    public async Task<DateOnly?> ScheduledThroughAsync(string site, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null, "SELECT through FROM work_order_schedule WHERE site = $site", ("$site", site));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string text
            ? DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;
    }

    public async Task<WorkOrder?> FindAsync(WorkOrderNumber number, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(number);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await LoadAsync(connection, null, number, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<WorkOrder>> ListAsync(WorkOrderQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder("SELECT document FROM work_orders WHERE 1 = 1");
        var parameters = new List<(string, object?)>();
        void Filter(string clause, string name, object? value)
        {
            sql.Append(" AND ").Append(clause);
            parameters.Add((name, value));
        }

        if (query.Site is not null)
        {
            Filter("site = $site", "$site", query.Site);
        }

        if (query.Crew is not null)
        {
            Filter("crew = $crew", "$crew", query.Crew);
        }

        if (query.Task is { } task)
        {
            Filter("task = $task", "$task", task.ToName());
        }

        if (query.AssetKey is not null)
        {
            Filter("asset_key = $asset", "$asset", query.AssetKey);
        }

        if (query.DueFrom is { } from)
        {
            Filter("due_date >= $from", "$from", Day(from));
        }

        if (query.DueTo is { } to)
        {
            Filter("due_date <= $to", "$to", Day(to));
        }

        if (query.OverdueAt is { } overdue)
        {
            Filter("status IN ('planned', 'in_progress') AND due_at <= $overdue", "$overdue", overdue.ToUnixTimeMilliseconds());
        }

        if (query.Statuses is { Count: > 0 } statuses)
        {
            sql.Append(" AND status IN (").AppendJoin(", ", statuses.Select(s => $"'{s.ToName()}'")).Append(')');
        }

        sql.Append(" ORDER BY due_date, number LIMIT $limit OFFSET $offset");
        parameters.Add(("$limit", Math.Clamp(query.Limit, 1, WorkOrderQuery.MaxLimit)));
        parameters.Add(("$offset", Math.Max(0, query.Offset)));

        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null, sql.ToString(), [.. parameters]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var orders = new List<WorkOrder>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            orders.Add(Read(reader.GetString(0)));
        }

        return orders;
    }

    public async Task<WorkOrder> ChangeAsync(WorkOrderNumber number, Action<WorkOrder> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(number);
        ArgumentNullException.ThrowIfNull(change);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);

        // Under the write lock from load to save: a work order changes a few times in its life, never in a hurry.
        await using var transaction = SqliteDatabase.BeginWrite(connection);
        var order = await LoadAsync(connection, transaction, number, cancellationToken).ConfigureAwait(false)
            ?? throw new WorkOrderNotFoundException(number);
        change(order);
        order.State.Version++;
        await using (var command = connection.Command(transaction,
            "UPDATE work_orders SET status = $status, done_at = $done, due_date = $due_date, due_at = $due_at, version = $version, document = $document WHERE number = $number",
            ("$status", order.Status.ToName()), ("$due_date", Day(order.DueDate)), ("$due_at", order.DueAt.ToUnixTimeMilliseconds()), ("$done", order.DoneAt?.ToUnixTimeMilliseconds()), ("$version", order.Version),
            ("$document", JsonSerializer.Serialize(order.State, WorkOrderStoreJson.Default.WorkOrderState)), ("$number", number.ToString())))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return order;
    }

    private static async Task<List<WorkOrder>> InsertNewAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<PlannedWorkOrder> planned, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var added = new List<WorkOrder>();
        foreach (var item in planned)
        {
            await using (var exists = connection.Command(transaction,
                "SELECT 1 FROM work_orders WHERE asset_key = $asset AND task = $task AND period = $period",
                ("$asset", item.Asset.Key), ("$task", item.Task.ToName()), ("$period", item.Period)))
            {
                if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
                {
                    continue;
                }
            }

            var period = string.Create(CultureInfo.InvariantCulture, $"{item.DueDate.Year % 100:00}{item.DueDate.Month:00}");
            long sequence;
            await using (var next = connection.Command(transaction,
                "INSERT INTO work_order_sequences (period, last) VALUES ($period, 1) ON CONFLICT (period) DO UPDATE SET last = last + 1 RETURNING last",
                ("$period", period)))
            {
                sequence = (long)(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            var order = WorkOrder.Create(item, WorkOrderNumber.Create(item.DueDate, (int)sequence), at);
            order.State.Version = 1;
            await using (var insert = connection.Command(transaction,
                """
                INSERT INTO work_orders (number, asset_key, site, task, period, crew, due_date, due_at, status, done_at, version, document)
                VALUES ($number, $asset, $site, $task, $period, $crew, $due_date, $due_at, $status, NULL, 1, $document)
                """,
                ("$number", order.Number.ToString()), ("$asset", item.Asset.Key), ("$site", item.Asset.Site), ("$task", item.Task.ToName()),
                ("$period", item.Period), ("$crew", item.Crew), ("$due_date", Day(item.DueDate)), ("$due_at", item.DueAt.ToUnixTimeMilliseconds()),
                ("$status", order.Status.ToName()), ("$document", JsonSerializer.Serialize(order.State, WorkOrderStoreJson.Default.WorkOrderState))))
            {
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            added.Add(order);
        }

        return added;
    }

    private static async Task<WorkOrder?> LoadAsync(SqliteConnection connection, SqliteTransaction? transaction, WorkOrderNumber number, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, "SELECT document FROM work_orders WHERE number = $number", ("$number", number.ToString()));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string document ? Read(document) : null;
    }

    private static WorkOrder Read(string document) =>
        WorkOrder.Restore(JsonSerializer.Deserialize(document, WorkOrderStoreJson.Default.WorkOrderState)
            ?? throw new InvalidDataException("a stored work order is empty"));

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
