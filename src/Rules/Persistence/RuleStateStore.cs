using System.Text.Json;
using Telemetry.Maintenance.Storage;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Persistence;

/// <summary>
/// Keeps what the rule engine has learned (per-circuit current baselines and the like) in the maintenance
/// database, so a restart does not have to learn it again. Active conditions are not kept here: they are
/// rebuilt from the open tickets, which are the record of truth.
/// </summary>
public sealed class RuleStateStore(SqliteDatabase database, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task SaveAsync(RuleEngineState state, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(state, Json);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await EnsureTableAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO rule_engine_state (id, state, saved_at) VALUES (1, $state, $at)
            ON CONFLICT (id) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at;
            """;
        command.Parameters.AddWithValue("$state", json);
        command.Parameters.AddWithValue("$at", clock.GetUtcNow().ToString("O"));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The state last saved, or null on a first start.</summary>
    public async Task<RuleEngineState?> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await EnsureTableAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT state FROM rule_engine_state WHERE id = 1;";
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json
            ? JsonSerializer.Deserialize<RuleEngineState>(json, Json)
            : null;
    }

    private static async Task EnsureTableAsync(Microsoft.Data.Sqlite.SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE IF NOT EXISTS rule_engine_state (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL, saved_at TEXT NOT NULL);";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
