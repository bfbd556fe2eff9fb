using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Telemetry.Maintenance.Storage;

namespace Telemetry.Maintenance.WorkOrders;

/// <summary>
/// The tables of planned maintenance: work orders (stored whole as JSON, with the columns queries filter on), their
/// numbering, how far each site's schedule is generated, and the intervals engineers set with their history.
/// </summary>
internal static class WorkOrderStoreSchema
{
    private const string Script = """
        CREATE TABLE IF NOT EXISTS work_orders (
            number TEXT NOT NULL PRIMARY KEY,
            asset_key TEXT NOT NULL,
            site TEXT NOT NULL,
            task TEXT NOT NULL,
            period TEXT NOT NULL,
            crew TEXT,
            due_date TEXT NOT NULL,
            due_at INTEGER NOT NULL,
            status TEXT NOT NULL,
            done_at INTEGER,
            version INTEGER NOT NULL,
            document TEXT NOT NULL
        ) STRICT;
        -- One work order per asset, task and schedule period, whichever process or run generates it.
        CREATE UNIQUE INDEX IF NOT EXISTS work_orders_once ON work_orders (asset_key, task, period);
        CREATE INDEX IF NOT EXISTS work_orders_by_due ON work_orders (due_date, number);
        CREATE INDEX IF NOT EXISTS work_orders_by_site ON work_orders (site, due_date, number);
        CREATE INDEX IF NOT EXISTS work_orders_by_crew ON work_orders (crew, due_date, number);

        -- The last number given per month of the due day, taken in the transaction that inserts the work order.
        CREATE TABLE IF NOT EXISTS work_order_sequences (
            period TEXT NOT NULL PRIMARY KEY,
            last INTEGER NOT NULL
        ) STRICT;

        -- The last site-local day each site's schedule was generated through: the next run continues from the day after.
        CREATE TABLE IF NOT EXISTS work_order_schedule (
            site TEXT NOT NULL PRIMARY KEY,
            through TEXT NOT NULL,
            updated_at INTEGER NOT NULL
        ) STRICT;

        -- Every interval an engineer set; the latest per task is in force, the task's default before any.
        CREATE TABLE IF NOT EXISTS maintenance_intervals (
            version INTEGER PRIMARY KEY AUTOINCREMENT,
            task TEXT NOT NULL,
            times INTEGER NOT NULL,
            per TEXT NOT NULL,
            actor TEXT NOT NULL,
            reason TEXT,
            changed_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX IF NOT EXISTS maintenance_intervals_by_task ON maintenance_intervals (task, version);
        """;

    /// <summary>Connections to a database whose work order tables have been made sure of on the first one.</summary>
    internal sealed class Connections(SqliteDatabase database)
    {
        private int ready;

        public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
        {
            var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (Volatile.Read(ref ready) == 0)
            {
                try
                {
                    await using var transaction = SqliteDatabase.BeginWrite(connection);
                    await using var command = connection.Command(transaction, Script);
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    throw;
                }

                Volatile.Write(ref ready, 1);
            }

            return connection;
        }
    }
}

/// <summary>The stored form of a work order's state.</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(WorkOrderState))]
internal sealed partial class WorkOrderStoreJson : JsonSerializerContext;
