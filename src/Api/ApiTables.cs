using Microsoft.Data.Sqlite;
using Telemetry.Maintenance.Storage;

namespace Telemetry.Api;

/// <summary>
/// Connections to the maintenance database for one of the Api's own stores (users and tokens, idempotency keys, the
/// command audit), whose tables are made where missing on the store's first connection in the process.
/// </summary>
internal sealed class ApiTables(SqliteDatabase database, string schema)
{
    private int ready;

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref ready) == 0)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = schema;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref ready, 1);
        }

        return connection;
    }
}
