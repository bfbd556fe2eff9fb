using Microsoft.Data.Sqlite;
using Telemetry.Maintenance.Storage;

namespace Telemetry.Api.Commands;

/// <summary>One command as audited: who asked what of which device, and what became of it.</summary>
/// <param name="Id">The command's id: its envelope's <c>id</c>, also its MQTT correlation data.</param>
/// <param name="User">Who asked: the envelope's <c>issuer</c>.</param>
/// <param name="Client">From which client (how it signed in, and its user agent).</param>
/// <param name="Site">The device's site.</param>
/// <param name="Gateway">The gateway the command was sent through.</param>
/// <param name="Device">The device.</param>
/// <param name="Action">The command's action.</param>
/// <param name="Value">The command's circuit, on/off, point, value and time in one text.</param>
/// <param name="Result"><c>pending</c> until answered; then the gateway's <c>done</c>, <c>rejected</c> or <c>device_error</c>, or <c>timeout</c>, or <c>not_sent</c> (the broker could not be reached). A <c>pending</c> or <c>timeout</c> row takes the gateway's result when its <c>command_result</c> event comes later.</param>
/// <param name="Reason">The gateway's reason (<c>expired: ...</c>, <c>replayed: ...</c>...), or why there was no answer.</param>
/// <param name="RequestedAt">When it was asked for: the envelope's <c>issued</c> (it <c>expires</c> <c>Commands:Lifetime</c> later).</param>
/// <param name="AnsweredAt">When the gateway's answer (or late result) came; null while pending and when none came.</param>
public sealed record AuditedCommand(
    string Id,
    string User,
    string Client,
    string Site,
    string Gateway,
    string Device,
    string Action,
    string Value,
    string Result,
    string? Reason,
    DateTimeOffset RequestedAt,
    DateTimeOffset? AnsweredAt);

/// <summary>A page of the audit, newest first.</summary>
public sealed record AuditPage(IReadOnlyList<AuditedCommand> Commands, int Limit, int Offset);

/// <summary>
/// The audit of device commands, in the maintenance database beside the tickets: written before the command is sent
/// (so a command whose answer is lost in a crash still shows, as pending) and completed with its result.
/// </summary>
public sealed class CommandAudit(SqliteDatabase database)
{
    public const int MaxLimit = 500;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS api_commands (
            id TEXT NOT NULL PRIMARY KEY,
            user_name TEXT NOT NULL,
            client TEXT NOT NULL,
            site TEXT NOT NULL,
            gateway TEXT NOT NULL,
            device TEXT NOT NULL,
            action TEXT NOT NULL,
            value TEXT NOT NULL,
            result TEXT NOT NULL,
            reason TEXT,
            requested_at INTEGER NOT NULL,
            answered_at INTEGER
        ) STRICT;
        CREATE INDEX IF NOT EXISTS api_commands_requested ON api_commands (requested_at DESC, id);
        """;

    private readonly ApiTables tables = new(database, Schema);

    public async Task RequestedAsync(AuditedCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO api_commands (id, user_name, client, site, gateway, device, action, value, result, reason, requested_at, answered_at)
            VALUES ($id, $user, $client, $site, $gateway, $device, $action, $value, $result, $reason, $requested, NULL);
            """;
        insert.Parameters.AddWithValue("$id", command.Id);
        insert.Parameters.AddWithValue("$user", command.User);
        insert.Parameters.AddWithValue("$client", command.Client);
        insert.Parameters.AddWithValue("$site", command.Site);
        insert.Parameters.AddWithValue("$gateway", command.Gateway);
        insert.Parameters.AddWithValue("$device", command.Device);
        insert.Parameters.AddWithValue("$action", command.Action);
        insert.Parameters.AddWithValue("$value", command.Value);
        insert.Parameters.AddWithValue("$result", command.Result);
        insert.Parameters.AddWithValue("$reason", (object?)command.Reason ?? DBNull.Value);
        insert.Parameters.AddWithValue("$requested", command.RequestedAt.ToUnixTimeMilliseconds());
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task AnsweredAsync(string id, string result, string? reason, DateTimeOffset? answeredAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var update = connection.CreateCommand();
        // Only a pending row: a late result from the gateway's event may have completed it already.
        update.CommandText = "UPDATE api_commands SET result = $result, reason = $reason, answered_at = $answered WHERE id = $id AND result = 'pending';";
        update.Parameters.AddWithValue("$id", id);
        update.Parameters.AddWithValue("$result", result);
        update.Parameters.AddWithValue("$reason", (object?)reason ?? DBNull.Value);
        update.Parameters.AddWithValue("$answered", answeredAt is { } at ? at.ToUnixTimeMilliseconds() : DBNull.Value);
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Completes a row still <c>pending</c> or <c>timeout</c> with the result the gateway reported later on its event topic;
    /// false when there is no such row (another process's command, or one already answered).
    /// </summary>
    public async Task<bool> LateResultAsync(string id, string result, string? reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var update = connection.CreateCommand();
        update.CommandText = "UPDATE api_commands SET result = $result, reason = $reason, answered_at = $answered WHERE id = $id AND result IN ('pending', 'timeout');";
        update.Parameters.AddWithValue("$id", id);
        update.Parameters.AddWithValue("$result", result);
        update.Parameters.AddWithValue("$reason", (object?)reason ?? DBNull.Value);
        update.Parameters.AddWithValue("$answered", at.ToUnixTimeMilliseconds());
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<AuditPage> ListAsync(string? site, string? device, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.CreateCommand();
        select.CommandText = """
            SELECT id, user_name, client, site, gateway, device, action, value, result, reason, requested_at, answered_at
            FROM api_commands
            WHERE ($site IS NULL OR site = $site) AND ($device IS NULL OR device = $device)
            ORDER BY requested_at DESC, id
            LIMIT $limit OFFSET $offset;
            """;
        select.Parameters.AddWithValue("$site", (object?)site ?? DBNull.Value);
        select.Parameters.AddWithValue("$device", (object?)device ?? DBNull.Value);
        select.Parameters.AddWithValue("$limit", limit);
        select.Parameters.AddWithValue("$offset", offset);
        var commands = new List<AuditedCommand>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            commands.Add(new AuditedCommand(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), reader.GetString(7), reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
                reader.IsDBNull(11) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(11))));
        }

        return new AuditPage(commands, limit, offset);
    }

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => tables.OpenAsync(cancellationToken);
}
