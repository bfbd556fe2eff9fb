using Microsoft.Data.Sqlite;

namespace Telemetry.Maintenance.Storage;

/// <summary>
/// The maintenance database: one SQLite file in WAL mode shared by the ticket, notification and threshold stores,
/// and by Rules and Api (several processes). Every connection waits for a busy writer instead of failing.
/// </summary>
public sealed class SqliteDatabase
{
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    public SqliteDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();

        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
    }

    public string Path { get; }

    public string ConnectionString { get; }

    /// <summary>An open connection with the pragmas every store relies on.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // NORMAL is durable in WAL mode against a process crash; only a power cut can lose the last commits.
            Execute(connection, $"PRAGMA busy_timeout={(int)BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;");
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts a write transaction that takes the write lock at once (BEGIN IMMEDIATE), so two writers
    /// serialise at the start instead of one failing with SQLITE_BUSY when it upgrades a read lock.
    /// </summary>
    public static SqliteTransaction BeginWrite(SqliteConnection connection) => connection.BeginTransaction(deferred: false);

    /// <summary>
    /// Whether a failure of the database is worth a retry: the file busy, locked, unreadable, full or gone, as opposed
    /// to a statement that broke a constraint, which would break it again.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        // 18 too big, 19 constraint, 20 type mismatch, 21 misuse, 25 range: the data or the statement, not the file.
        SqliteException sqlite => sqlite.SqliteErrorCode is not (18 or 19 or 20 or 21 or 25),
        IOException or UnauthorizedAccessException or TimeoutException => true,
        _ => false,
    };

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
