using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Telemetry.Maintenance.Storage;

namespace Telemetry.Maintenance.ServiceLevels;

/// <summary>One change of the service-level terms: who, when, why, and the terms before and after.</summary>
/// <param name="Version">The store's version after this change; 0 is the compiled defaults, before any change.</param>
/// <param name="Old">The terms before.</param>
/// <param name="New">The terms after.</param>
/// <param name="Author">Who changed them.</param>
/// <param name="ChangedAt">When the store accepted the change.</param>
/// <param name="Reason">Why.</param>
public sealed record ServiceLevelVersion(long Version, ServiceLevelTerms Old, ServiceLevelTerms New, string Author, DateTimeOffset ChangedAt, string Reason);

/// <summary>The terms were edited from a version the store has moved past; nothing was written.</summary>
public sealed class ServiceLevelConflictException(long expectedVersion, long currentVersion)
    : Exception(string.Create(CultureInfo.InvariantCulture, $"The service levels were edited from version {expectedVersion}, but the store is at version {currentVersion}; reload and edit again."))
{
    public long ExpectedVersion { get; } = expectedVersion;

    public long CurrentVersion { get; } = currentVersion;
}

/// <summary>
/// The service-level terms in the maintenance database, beside the thresholds: <c>service_level_history</c> is
/// append-only, one row per change with the whole terms as JSON (minutes by term name), and its latest row is in force;
/// no row is the compiled defaults. Shared by processes: Api writes, Rules and Api poll the version.
/// </summary>
public sealed class SqliteServiceLevelStore
{
    public const int MaxReasonLength = 500;

    public const int MaxHistoryLimit = 500;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS service_level_history (
            version    INTEGER PRIMARY KEY,
            terms      TEXT NOT NULL,
            author     TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            reason     TEXT NOT NULL
        );

        CREATE TRIGGER IF NOT EXISTS service_level_history_no_update BEFORE UPDATE ON service_level_history
        BEGIN SELECT RAISE(ABORT, 'service_level_history is append-only'); END;

        CREATE TRIGGER IF NOT EXISTS service_level_history_no_delete BEFORE DELETE ON service_level_history
        BEGIN SELECT RAISE(ABORT, 'service_level_history is append-only'); END;
        """;

    private readonly SqliteDatabase database;
    private readonly TimeProvider timeProvider;
    private readonly SemaphoreSlim initializing = new(1, 1);
    private volatile bool initialized;

    public SqliteServiceLevelStore(SqliteDatabase database, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.database = database;
        this.timeProvider = timeProvider;
    }

    /// <summary>The terms in force and the version they were read at.</summary>
    public async Task<(long Version, ServiceLevelTerms Terms)> LoadAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadLatestAsync(connection, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The store's version: the number of the latest change, 0 for none. Cheap, for polling.</summary>
    public async Task<long> CurrentVersionAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null, "SELECT COALESCE(MAX(version), 0) FROM service_level_history");
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Stores <paramref name="terms"/> as the terms in force. The caller has checked every term (<see cref="ServiceLevelTerm.Check"/>);
    /// throws <see cref="ServiceLevelConflictException"/> when <paramref name="basedOnVersion"/> is given and the store has moved past it.
    /// </summary>
    public async Task<ServiceLevelVersion> ApplyAsync(ServiceLevelTerms terms, string author, string reason, long? basedOnVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentException.ThrowIfNullOrWhiteSpace(author);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (terms.Policy.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(terms));
        }

        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = SqliteDatabase.BeginWrite(connection);
            await using (transaction.ConfigureAwait(false))
            {
                var (version, old) = await ReadLatestAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                if (basedOnVersion is { } expected && expected != version)
                {
                    throw new ServiceLevelConflictException(expected, version);
                }

                var row = new ServiceLevelVersion(version + 1, old, terms, author.Trim(), timeProvider.GetUtcNow(), reason.Trim());
                using var command = Command(connection, transaction, """
                    INSERT INTO service_level_history (version, terms, author, changed_at, reason) VALUES ($version, $terms, $author, $changedAt, $reason)
                    """);
                command.Parameters.AddWithValue("$version", row.Version);
                command.Parameters.AddWithValue("$terms", JsonSerializer.Serialize(terms.ToMinutes()));
                command.Parameters.AddWithValue("$author", row.Author);
                command.Parameters.AddWithValue("$changedAt", row.ChangedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
                command.Parameters.AddWithValue("$reason", row.Reason);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return row;
            }
        }
    }

    /// <summary>The changes, newest first, at most <paramref name="limit"/>; with <paramref name="beforeVersion"/> only older ones (the next page).</summary>
    public async Task<IReadOnlyList<ServiceLevelVersion>> HistoryAsync(int limit, long? beforeVersion, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxHistoryLimit);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One row more than the page, so the oldest row of the page knows the terms before it.
            using var command = Command(connection, null, """
                SELECT version, terms, author, changed_at, reason FROM service_level_history
                WHERE version < $before ORDER BY version DESC LIMIT $limit
                """);
            command.Parameters.AddWithValue("$before", beforeVersion ?? long.MaxValue);
            command.Parameters.AddWithValue("$limit", limit + 1);
            var rows = new List<(long Version, ServiceLevelTerms Terms, string Author, DateTimeOffset At, string Reason)>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add((reader.GetInt64(0), Read(reader.GetString(1)), reader.GetString(2),
                        DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), reader.GetString(4)));
                }
            }

            var page = new List<ServiceLevelVersion>();
            for (var i = 0; i < Math.Min(limit, rows.Count); i++)
            {
                var old = i + 1 < rows.Count ? rows[i + 1].Terms : ServiceLevelTerms.Default;
                page.Add(new ServiceLevelVersion(rows[i].Version, old, rows[i].Terms, rows[i].Author, rows[i].At, rows[i].Reason));
            }

            return page;
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!initialized)
        {
            await initializing.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!initialized)
                {
                    var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
                    await using (connection.ConfigureAwait(false))
                    {
                        using var command = Command(connection, null, Schema);
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    initialized = true;
                }
            }
            finally
            {
                initializing.Release();
            }
        }

        return await database.OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(long Version, ServiceLevelTerms Terms)> ReadLatestAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, "SELECT version, terms FROM service_level_history ORDER BY version DESC LIMIT 1");
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? (reader.GetInt64(0), Read(reader.GetString(1)))
                : (0, ServiceLevelTerms.Default);
        }
    }

    // A term missing from a stored row (added by a later release) reads as its default.
    private static ServiceLevelTerms Read(string json) =>
        ServiceLevelTerms.FromMinutes(JsonSerializer.Deserialize<Dictionary<string, long?>>(json) ?? [], ServiceLevelTerms.Default);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
