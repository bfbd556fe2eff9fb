using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Telemetry.Maintenance.Storage;

namespace Telemetry.Maintenance.Thresholds;

/// <summary>
/// The threshold store in the maintenance database. <c>threshold_settings</c> holds the overrides in force;
/// <c>threshold_history</c> is append-only and its row numbers are the store's versions. Every change is checked
/// and written inside one BEGIN IMMEDIATE transaction, so two processes writing at once cannot both pass a check
/// against a state the other is about to change.
/// </summary>
public sealed partial class SqliteThresholdStore : IThresholdStore
{
    /// <summary>How many intervening changes a conflict error lists.</summary>
    public const int ConflictChangesListed = 10;

    public const int MaxHistoryLimit = 10_000;

    internal const string SeedReason = "seeded from the domain defaults";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS threshold_settings (
            parameter TEXT NOT NULL,
            scope     TEXT NOT NULL,
            value     REAL NOT NULL,
            version   INTEGER NOT NULL,
            PRIMARY KEY (parameter, scope)
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS threshold_history (
            version    INTEGER PRIMARY KEY,
            parameter  TEXT NOT NULL,
            scope      TEXT NOT NULL,
            old_value  REAL,
            new_value  REAL,
            author     TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            reason     TEXT NOT NULL
        );

        CREATE INDEX IF NOT EXISTS threshold_history_by_parameter ON threshold_history (parameter, scope, version);
        CREATE INDEX IF NOT EXISTS threshold_history_by_scope ON threshold_history (scope, version);

        CREATE TRIGGER IF NOT EXISTS threshold_history_no_update BEFORE UPDATE ON threshold_history
        BEGIN SELECT RAISE(ABORT, 'threshold_history is append-only'); END;

        CREATE TRIGGER IF NOT EXISTS threshold_history_no_delete BEFORE DELETE ON threshold_history
        BEGIN SELECT RAISE(ABORT, 'threshold_history is append-only'); END;
        """;

    private const string HistoryColumns = "version, parameter, scope, old_value, new_value, author, changed_at, reason";

    private readonly SqliteDatabase database;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<SqliteThresholdStore> logger;
    private readonly SemaphoreSlim initializing = new(1, 1);
    private volatile bool initialized;

    /// <inheritdoc/>
    public ThresholdCatalogue Catalogue { get; }

    /// <param name="database">Where the settings and their history are kept.</param>
    /// <param name="catalogue">The parameters of the rules in force: what may be set, and what is seeded.</param>
    /// <param name="timeProvider">The clock of the history.</param>
    /// <param name="logger">Where seeding is logged.</param>
    public SqliteThresholdStore(SqliteDatabase database, ThresholdCatalogue catalogue, TimeProvider timeProvider, ILogger<SqliteThresholdStore> logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        this.database = database;
        Catalogue = catalogue;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    public async Task<ThresholdSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One read transaction, so the settings and the version are read from the same state.
            var transaction = connection.BeginTransaction(deferred: true);
            await using (transaction.ConfigureAwait(false))
            {
                return await ReadSnapshotAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task<ThresholdVersion> ApplyAsync(ThresholdChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = SqliteDatabase.BeginWrite(connection);
            await using (transaction.ConfigureAwait(false))
            {
                var current = await ReadSnapshotAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                if (change.BasedOnVersion is long basedOn && basedOn != current.Version)
                {
                    var since = await ReadChangesSinceAsync(connection, transaction, basedOn, ConflictChangesListed, cancellationToken).ConfigureAwait(false);
                    throw new ThresholdConflictException(change, current.Version, since);
                }

                var problems = ThresholdChangeValidator.Validate(change, current);
                if (problems.Count > 0)
                {
                    throw new ThresholdValidationException(problems);
                }

                var parameter = Catalogue.Find(change.Parameter)!;
                var scope = ThresholdScope.TryParse(change.Scope)!;
                var applied = new ThresholdVersion(
                    current.Version + 1,
                    parameter.Name,
                    scope,
                    ThresholdChangeValidator.ValueAt(current, parameter, scope),
                    change.Value,
                    change.Author.Trim(),
                    timeProvider.GetUtcNow(),
                    change.Reason.Trim());

                await WriteSettingAsync(connection, transaction, applied, cancellationToken).ConfigureAwait(false);
                await AppendHistoryAsync(connection, transaction, applied, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return applied;
            }
        }
    }

    public async Task<IReadOnlyList<ThresholdVersion>> HistoryAsync(string? parameter, ThresholdScope? scope, int limit, CancellationToken cancellationToken, long? beforeVersion = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxHistoryLimit);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            var filters = new List<string>();
            if (parameter is not null)
            {
                filters.Add("parameter = $parameter");
                command.Parameters.AddWithValue("$parameter", parameter);
            }

            if (scope is not null)
            {
                filters.Add("scope = $scope");
                command.Parameters.AddWithValue("$scope", scope.Key);
            }

            if (beforeVersion is { } before)
            {
                filters.Add("version < $before");
                command.Parameters.AddWithValue("$before", before);
            }

            var where = filters.Count == 0 ? "" : $"WHERE {string.Join(" AND ", filters)}";
            command.CommandText = $"SELECT {HistoryColumns} FROM threshold_history {where} ORDER BY version DESC LIMIT $limit";
            command.Parameters.AddWithValue("$limit", limit);
            return await ReadHistoryAsync(command, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<ThresholdVersion>> ChangesSinceAsync(long version, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxHistoryLimit);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadChangesSinceAsync(connection, null, version, limit, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<long> CurrentVersionAsync(CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Creates the tables and seeds a history row for every catalogue parameter that has none, once per store and
    /// under the write lock, so processes opening the database together seed each parameter exactly once.
    /// A parameter added to the catalogue by a later release is seeded on the first open after it.
    /// </summary>
    private async Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        if (initialized)
        {
            return;
        }

        await initializing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (initialized)
            {
                return;
            }

            var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = SqliteDatabase.BeginWrite(connection);
                await using (transaction.ConfigureAwait(false))
                {
                    await ExecuteAsync(connection, transaction, Schema, cancellationToken).ConfigureAwait(false);
                    var seeded = new HashSet<string>(StringComparer.Ordinal);
                    using (var command = Command(connection, transaction, "SELECT DISTINCT parameter FROM threshold_history"))
                    {
                        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                        await using (reader.ConfigureAwait(false))
                        {
                            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                            {
                                seeded.Add(reader.GetString(0));
                            }
                        }
                    }

                    var version = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                    var missing = Catalogue.All.Where(p => !seeded.Contains(p.Name)).ToList();
                    var now = timeProvider.GetUtcNow();
                    foreach (var parameter in missing)
                    {
                        var row = new ThresholdVersion(++version, parameter.Name, ThresholdScope.Global, null, parameter.Default, ThresholdChange.SystemAuthor, now, SeedReason);
                        await AppendHistoryAsync(connection, transaction, row, cancellationToken).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    if (missing.Count > 0)
                    {
                        LogSeeded(logger, missing.Count, version, database.Path);
                    }
                }
            }

            initialized = true;
        }
        finally
        {
            initializing.Release();
        }
    }

    private async Task<ThresholdSnapshot> ReadSnapshotAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var version = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var settings = new List<ThresholdSetting>();
        using var command = Command(connection, transaction, "SELECT parameter, scope, value FROM threshold_settings");
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                // A parameter dropped from the catalogue, or a scope spelled by a newer release, has nothing to apply to here.
                var parameter = Catalogue.Find(reader.GetString(0));
                var scope = ThresholdScope.TryParse(reader.GetString(1));
                if (parameter is not null && scope is not null)
                {
                    settings.Add(new ThresholdSetting(parameter, scope, reader.GetDouble(2)));
                }
            }
        }

        return new ThresholdSnapshot(Catalogue, version, settings);
    }

    private static async Task<long> ReadVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM threshold_history");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private static async Task<IReadOnlyList<ThresholdVersion>> ReadChangesSinceAsync(
        SqliteConnection connection, SqliteTransaction? transaction, long version, int limit, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, $"SELECT {HistoryColumns} FROM threshold_history WHERE version > $version ORDER BY version LIMIT $limit");
        command.Parameters.AddWithValue("$version", version);
        command.Parameters.AddWithValue("$limit", limit);
        return await ReadHistoryAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<ThresholdVersion>> ReadHistoryAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<ThresholdVersion>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var scopeKey = reader.GetString(2);
                rows.Add(new ThresholdVersion(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    ThresholdScope.TryParse(scopeKey) ?? throw new InvalidDataException($"threshold_history version {reader.GetInt64(0)} has scope '{scopeKey}', which is not a scope key"),
                    reader.IsDBNull(3) ? null : reader.GetDouble(3),
                    reader.IsDBNull(4) ? null : reader.GetDouble(4),
                    reader.GetString(5),
                    DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                    reader.GetString(7)));
            }
        }

        return rows;
    }

    private static async Task WriteSettingAsync(SqliteConnection connection, SqliteTransaction transaction, ThresholdVersion change, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, change.NewValue is null
            ? "DELETE FROM threshold_settings WHERE parameter = $parameter AND scope = $scope"
            : """
              INSERT INTO threshold_settings (parameter, scope, value, version) VALUES ($parameter, $scope, $value, $version)
              ON CONFLICT (parameter, scope) DO UPDATE SET value = excluded.value, version = excluded.version
              """);
        command.Parameters.AddWithValue("$parameter", change.Parameter);
        command.Parameters.AddWithValue("$scope", change.Scope.Key);
        command.Parameters.AddWithValue("$value", (object?)change.NewValue ?? DBNull.Value);
        command.Parameters.AddWithValue("$version", change.Version);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task AppendHistoryAsync(SqliteConnection connection, SqliteTransaction transaction, ThresholdVersion row, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, $"""
            INSERT INTO threshold_history ({HistoryColumns})
            VALUES ($version, $parameter, $scope, $old, $new, $author, $changedAt, $reason)
            """);
        command.Parameters.AddWithValue("$version", row.Version);
        command.Parameters.AddWithValue("$parameter", row.Parameter);
        command.Parameters.AddWithValue("$scope", row.Scope.Key);
        command.Parameters.AddWithValue("$old", (object?)row.OldValue ?? DBNull.Value);
        command.Parameters.AddWithValue("$new", (object?)row.NewValue ?? DBNull.Value);
        command.Parameters.AddWithValue("$author", row.Author);
        command.Parameters.AddWithValue("$changedAt", row.ChangedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$reason", row.Reason);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Count} threshold parameters from the domain defaults, up to version {Version}, in {Database}")]
    private static partial void LogSeeded(ILogger logger, int count, long version, string database);
}
