using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Maintenance.Storage;

/// <summary>
/// The tables of tickets, their numbering, their change feed and their notification outbox. A ticket is stored whole as a JSON document;
/// the columns beside it are only what queries filter on. Times in columns are Unix milliseconds, UTC.
/// </summary>
internal static class TicketStoreSchema
{
    private const string Script = """
        CREATE TABLE IF NOT EXISTS tickets (
            number TEXT NOT NULL PRIMARY KEY,
            asset_key TEXT NOT NULL,
            site TEXT NOT NULL,
            fault TEXT NOT NULL,
            grade INTEGER NOT NULL,
            status TEXT NOT NULL,
            crew TEXT,
            opened_at INTEGER NOT NULL,
            closed_at INTEGER,
            condition_active INTEGER NOT NULL,
            -- A deadline that can still give an escalation (breached or not yet, not met on time, not escalated); else null.
            watch_response INTEGER,
            watch_arrival INTEGER,
            watch_fix INTEGER,
            version INTEGER NOT NULL,
            document TEXT NOT NULL
        ) STRICT;
        -- One ticket not closed per asset and fault, even when two processes race to open it.
        CREATE UNIQUE INDEX IF NOT EXISTS tickets_one_not_closed ON tickets (asset_key, fault) WHERE status <> 'closed';
        CREATE INDEX IF NOT EXISTS tickets_by_condition ON tickets (asset_key, fault, opened_at);
        CREATE INDEX IF NOT EXISTS tickets_active ON tickets (opened_at) WHERE status <> 'closed';
        -- The ticket list, newest first (opened_at, then number), by time and by each filter. Each filter's index
        -- carries the list's order and then the other filters' columns, so that a page of a year of tickets is found
        -- in the index alone, and only the documents of the page are read. (tickets_by_opening was the order's first
        -- index, without the number.)
        DROP INDEX IF EXISTS tickets_by_opening;
        CREATE INDEX IF NOT EXISTS tickets_in_order ON tickets (opened_at, number);
        CREATE INDEX IF NOT EXISTS tickets_by_site ON tickets (site, opened_at, number, status, grade, fault, crew);
        CREATE INDEX IF NOT EXISTS tickets_by_crew ON tickets (crew, opened_at, number, status, grade, fault, site);
        CREATE INDEX IF NOT EXISTS tickets_by_fault ON tickets (fault, opened_at, number, status, grade, site, crew);

        -- The related conditions of each ticket (one event, one dispatch), where the ticket for an asset and fault is
        -- looked for beside the ticket's own fault. condition_active above is 1 while any of a ticket's conditions is.
        CREATE TABLE IF NOT EXISTS ticket_related (
            number TEXT NOT NULL REFERENCES tickets (number),
            asset_key TEXT NOT NULL,
            fault TEXT NOT NULL,
            PRIMARY KEY (number, fault)
        ) STRICT;
        CREATE INDEX IF NOT EXISTS ticket_related_by_condition ON ticket_related (asset_key, fault);

        -- The follow-up tasks each ticket still owes (verification, survey, return visit), with their deadlines, so the
        -- operators' list of what is due is one indexed read.
        CREATE TABLE IF NOT EXISTS ticket_follow_ups (
            number TEXT NOT NULL REFERENCES tickets (number),
            kind TEXT NOT NULL,
            due INTEGER NOT NULL,
            PRIMARY KEY (number, kind)
        ) STRICT;
        CREATE INDEX IF NOT EXISTS ticket_follow_ups_by_due ON ticket_follow_ups (due);

        -- The case library: each repaired ticket's fault, cause, action and parts, searchable as text (trigrams, so that
        -- Chinese words match inside a sentence as English ones do), while its repair stands.
        CREATE VIRTUAL TABLE IF NOT EXISTS ticket_cases USING fts5(
            number UNINDEXED, fault UNINDEXED, asset_key UNINDEXED, resolved_at UNINDEXED,
            cause, action, parts, note, summary,
            tokenize = 'trigram');

        -- The last number given per service unit and month, taken in the transaction that inserts the ticket,
        -- so a creation rolled back gives its number back.
        CREATE TABLE IF NOT EXISTS ticket_sequences (
            unit TEXT NOT NULL,
            period TEXT NOT NULL,
            last INTEGER NOT NULL,
            PRIMARY KEY (unit, period)
        ) STRICT;

        CREATE TABLE IF NOT EXISTS ticket_notifications (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL,
            channel TEXT NOT NULL,
            kind TEXT NOT NULL,
            ticket_number TEXT NOT NULL REFERENCES tickets (number),
            payload TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            UNIQUE (id, channel)
        ) STRICT;

        CREATE TABLE IF NOT EXISTS notification_deliveries (
            notification_seq INTEGER NOT NULL REFERENCES ticket_notifications (seq),
            destination TEXT NOT NULL,
            delivered_at INTEGER,
            attempts INTEGER NOT NULL,
            last_error TEXT,
            retry_at INTEGER,
            PRIMARY KEY (notification_seq, destination)
        ) STRICT;

        -- Every saved version of a ticket, in the order saved, for readers that follow changes (the Api's event
        -- stream) whichever process made them. AUTOINCREMENT: a sequence is never given twice, even after pruning.
        CREATE TABLE IF NOT EXISTS ticket_changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            ticket_number TEXT NOT NULL,
            version INTEGER NOT NULL,
            status TEXT NOT NULL,
            grade INTEGER NOT NULL,
            fault TEXT NOT NULL,
            asset_key TEXT NOT NULL,
            crew TEXT,
            changed_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX IF NOT EXISTS ticket_changes_by_time ON ticket_changes (changed_at);

        -- The one-off steps done on a store made by an earlier version (the case library filled from the repairs made
        -- before it existed), each recorded so it is done once.
        CREATE TABLE IF NOT EXISTS ticket_store_steps (
            name TEXT NOT NULL PRIMARY KEY,
            done_at INTEGER NOT NULL
        ) STRICT;
        """;

    private const string CaseLibraryFilled = "case_library_filled";

    /// <summary>Creates what is missing; safe to run from several processes at once.</summary>
    private static async Task EnsureAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = SqliteDatabase.BeginWrite(connection);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Script;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await FillCaseLibraryAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts a repair in the case library (the caller has removed the ticket's previous entry).</summary>
    internal static async Task InsertCaseAsync(
        SqliteConnection connection, SqliteTransaction transaction, string number, FaultType fault, string assetKey, DateTimeOffset resolvedAt, Resolution repair, string summary, CancellationToken cancellationToken)
    {
        await using var insert = connection.Command(
            transaction,
            """
            INSERT INTO ticket_cases (number, fault, asset_key, resolved_at, cause, action, parts, note, summary)
            VALUES ($number, $fault, $asset, $resolved, $cause, $action, $parts, $note, $summary)
            """,
            ("$number", number),
            ("$fault", fault.ToName()),
            ("$asset", assetKey),
            ("$resolved", resolvedAt.ToUnixTimeMilliseconds()),
            ("$cause", repair.Cause),
            ("$action", repair.Action),
            ("$parts", string.Join("\n", repair.PartsReplaced)),
            ("$note", repair.Note ?? ""),
            ("$summary", summary));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Once per store: the repairs of tickets saved before the case library existed (their documents hold the resolution,
    /// the library has no entry) go into it, so a store carried over from an earlier version searches its whole past.
    /// </summary>
    private static async Task FillCaseLibraryAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using (var done = connection.Command(transaction, "SELECT 1 FROM ticket_store_steps WHERE name = $name", ("$name", CaseLibraryFilled)))
        {
            if (await done.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }
        }

        var repaired = new List<TicketState>();
        await using (var select = connection.Command(
            transaction,
            "SELECT document FROM tickets WHERE status IN ('resolved', 'closed') AND number NOT IN (SELECT number FROM ticket_cases)"))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (JsonSerializer.Deserialize(reader.GetString(0), TicketStoreJson.Default.TicketState) is { Resolution: not null, ResolvedAt: not null } state)
                {
                    repaired.Add(state);
                }
            }
        }

        foreach (var state in repaired)
        {
            await InsertCaseAsync(connection, transaction, state.Number, state.Fault, state.AssetKey, state.ResolvedAt!.Value, state.Resolution!, state.Summary, cancellationToken).ConfigureAwait(false);
        }

        await using var record = connection.Command(
            transaction,
            "INSERT INTO ticket_store_steps (name, done_at) VALUES ($name, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))",
            ("$name", CaseLibraryFilled));
        await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Connections to a database whose ticket tables have been made sure of on the first one.</summary>
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
                    await EnsureAsync(connection, cancellationToken).ConfigureAwait(false);
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

/// <summary>The stored form of a ticket's state.</summary>
[JsonSourceGenerationOptions(
    UseStringEnumConverter = true,
    Converters = [typeof(FaultTypeJsonConverter)],
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(TicketState))]
internal sealed partial class TicketStoreJson : JsonSerializerContext;
